/**
 * The what-if scenario of the workbench: edits to units' indicator values and to
 * the weights, and the engine's own `whatIf` recomputed at most once an animation
 * frame while a slider moves. Edits are immutable values (a new object per edit),
 * so the URL, a saved scenario and the engine all see the same thing.
 */
import { z } from 'zod';
import type { Row } from '$lib/indices/engine';
import type { Methodology } from '$lib/indices/methodology';
import { whatIf } from '$lib/indices/simulate';
import { coalesce, browserFrame, type RequestFrame } from './frame.ts';

const finite = z.number().refine(Number.isFinite, '须为有限数值');
export const ScenarioEdits = z.object({
	/** unit → indicator id → new raw value */
	values: z.record(z.string().max(200), z.record(z.string().max(100), finite)).default({}),
	/** node id → new weight */
	weights: z
		.record(
			z.string().max(100),
			finite.refine((w) => w >= 0, '权重不能为负')
		)
		.default({})
});
export type ScenarioEdits = z.output<typeof ScenarioEdits>;

export const emptyEdits = (): ScenarioEdits => ({ values: {}, weights: {} });

export function editCount(e: ScenarioEdits): number {
	return Object.values(e.values).reduce((s, v) => s + Object.keys(v).length, 0) + Object.keys(e.weights).length;
}

export type WhatIfOutcome = ReturnType<typeof whatIf>;

export class WhatIfModel {
	edits = $state.raw<ScenarioEdits>(emptyEdits());
	outcome = $state.raw<WhatIfOutcome | null>(null);
	error = $state<string | null>(null);
	/** Recomputations done (the e2e waits for the count to move). */
	runs = $state(0);
	#input: { methodology: Methodology; rows: Row[] } | null = null;
	#schedule: () => void;

	constructor(requestFrame: RequestFrame = browserFrame) {
		this.#schedule = coalesce(() => this.recompute(), requestFrame);
	}

	/** New data or methodology: the edits start again unless given. */
	setData(methodology: Methodology, rows: Row[], edits: ScenarioEdits = emptyEdits()): void {
		this.#input = { methodology, rows };
		this.edits = edits;
		this.recompute();
	}

	setValue(unit: string, indicator: string, value: number): void {
		this.edits = { ...this.edits, values: { ...this.edits.values, [unit]: { ...this.edits.values[unit], [indicator]: value } } };
		this.#schedule();
	}

	setValues(unit: string, values: Record<string, number>): void {
		this.edits = { ...this.edits, values: { ...this.edits.values, [unit]: { ...this.edits.values[unit], ...values } } };
		this.#schedule();
	}

	setWeight(node: string, weight: number): void {
		this.edits = { ...this.edits, weights: { ...this.edits.weights, [node]: weight } };
		this.#schedule();
	}

	load(edits: ScenarioEdits): void {
		this.edits = edits;
		this.recompute();
	}

	reset(): void {
		this.load(emptyEdits());
	}

	recompute(): void {
		if (!this.#input) return;
		try {
			this.outcome = whatIf(this.#input.methodology, this.#input.rows, this.edits);
			this.error = null;
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
		}
		this.runs++;
	}
}
