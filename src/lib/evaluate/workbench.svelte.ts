/**
 * The workbench's current computation: a methodology applied to a table, its
 * results and explanations, the baseline it is compared with, the what-if
 * scenario and the Monte Carlo run. `apply` is all-or-nothing: a methodology or
 * table that does not compute leaves the previous result on screen and says why.
 */
import { compute, evaluate, explain, normaliseAll, prepare, DataError, type Explanation, type IndexResult, type Row } from '$lib/indices/engine';
import type { Methodology } from '$lib/indices/methodology';
import type { ExportBody } from '../../routes/evaluate/export/schema.ts';
import type { BaselineUnit } from './model.ts';
import { MonteCarloRun, type WorkerLike } from './monte-carlo.svelte.ts';
import type { Source } from './url-state.ts';
import { WhatIfModel } from './what-if.svelte.ts';

export type MethodologyChoice = { kind: 'builtin'; id: string } | { kind: 'uploaded'; name: string; document: Record<string, unknown> };

export interface Applied {
	methodology: Methodology;
	choice: MethodologyChoice;
	rows: Row[];
	source: Source;
	sourceLabel: string;
	/** unit → adcode, for the map (live data). */
	adcodes: Map<string, number>;
	/** Map name under /geo (china, province/440000), or null (no map for these units). */
	geo: string | null;
	notes: string[];
}

/** Engine messages, as the screen says them. */
export function dataErrorZh(e: unknown): string {
	const m = e instanceof Error ? e.message : String(e);
	const column = /the data has no column (.*)$/.exec(m);
	if (column) return `数据表缺少评估方法需要的列：${column[1]!.replaceAll("'", '')}`;
	const twice = /unit '(.*)' appears twice/.exec(m);
	if (twice) return `数据表中“${twice[1]}”出现了两次`;
	const noUnit = /row (\d+) has no unit in column '(.*)'/.exec(m);
	if (noUnit) return `数据表第 ${Number(noUnit[1]) + 1} 行的“${noUnit[2]}”列为空`;
	return e instanceof DataError ? `数据无法计算：${m}` : `计算出错：${m}`;
}

interface Explainer {
	p: ReturnType<typeof prepare>;
	ev: ReturnType<typeof evaluate>;
}

export class Workbench {
	current = $state.raw<Applied | null>(null);
	result = $state.raw<IndexResult | null>(null);
	baseline = $state.raw<Map<string, BaselineUnit> | null>(null);
	baselineLabel = $state('');
	error = $state<string | null>(null);
	/** The last target search as an export sheet (the target view fills it). */
	target = $state.raw<ExportBody['sheets'][number] | null>(null);
	whatIf: WhatIfModel;
	mc: MonteCarloRun;
	#explainer: Explainer | null = null;

	constructor(makeWorker: () => WorkerLike, whatIf = new WhatIfModel()) {
		this.mc = new MonteCarloRun(makeWorker);
		this.whatIf = whatIf;
	}

	/** Computes; on success replaces everything, on failure keeps the previous result and sets `error`. */
	apply(next: Applied, edits?: Parameters<WhatIfModel['setData']>[2]): boolean {
		let result: IndexResult;
		let explainer: Explainer;
		try {
			result = compute(next.methodology, next.rows);
			const p = prepare(next.methodology, next.rows);
			explainer = { p, ev: evaluate(p, normaliseAll(p)) };
		} catch (e) {
			this.error = dataErrorZh(e);
			return false;
		}
		this.current = next;
		this.result = result;
		this.#explainer = explainer;
		this.error = null;
		this.target = null;
		this.mc.destroy();
		this.mc.status = 'idle';
		this.mc.units = null;
		this.whatIf.setData(next.methodology, next.rows, edits);
		return true;
	}

	explain(unit: string): Explanation | null {
		if (!this.#explainer || !this.#explainer.p.units.includes(unit)) return null;
		return explain(this.#explainer.p, this.#explainer.ev, unit);
	}

	setBaseline(units: Map<string, BaselineUnit> | null, label: string): void {
		this.baseline = units;
		this.baselineLabel = label;
	}
}
