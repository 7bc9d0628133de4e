/**
 * The Monte Carlo job the browser worker runs (mc-worker.ts is only its entry):
 * the engine's own `monteCarlo`, with a progress message every few hundred draws,
 * so the result for a seed is exactly the engine's. Cancelling terminates the
 * worker (the engine's loop is synchronous). Pure apart from `post`; tested here.
 */
import type { Row } from '$lib/indices/engine';
import type { Methodology } from '$lib/indices/methodology';
import { monteCarlo, type MonteCarloOptions, type UnitUncertainty } from '$lib/indices/simulate';
import { rankSensitivity, type SensitivityResult } from '$lib/indices/sensitivity';

export interface McRequest {
	type: 'run';
	id: number;
	methodology: Methodology;
	rows: Row[];
	options: Pick<MonteCarloOptions, 'draws' | 'seed' | 'weights' | 'normalisations' | 'aggregations' | 'topK'>;
	/** Also the first-order sensitivity of the ranks to each weight, from this many draws of the weights (0: none). */
	sensitivityDraws?: number;
}

export type McMessage =
	| { type: 'progress'; id: number; done: number; total: number; phase: 'draws' | 'sensitivity' }
	| { type: 'done'; id: number; draws: number; units: UnitUncertainty[]; sensitivity: SensitivityResult | null; ms: number }
	| { type: 'error'; id: number; message: string };

/** Draws between two progress messages: often enough for a smooth bar, rare enough to cost nothing. */
export const PROGRESS_EVERY = 250;

export function runMonteCarlo(request: McRequest, post: (m: McMessage) => void, now: () => number = () => performance.now()): void {
	const { id, methodology, rows, options } = request;
	const started = now();
	try {
		post({ type: 'progress', id, done: 0, total: options.draws, phase: 'draws' });
		const r = monteCarlo(methodology, rows, {
			...options,
			progressEvery: PROGRESS_EVERY,
			onProgress: (done) => post({ type: 'progress', id, done, total: options.draws, phase: 'draws' })
		});
		const weights = options.weights;
		let sensitivity: SensitivityResult | null = null;
		if (request.sensitivityDraws && weights?.kind !== 'none') {
			post({ type: 'progress', id, done: options.draws, total: options.draws, phase: 'sensitivity' });
			sensitivity = rankSensitivity(methodology, rows, { draws: request.sensitivityDraws, seed: options.seed, weights });
		}
		post({ type: 'done', id, draws: r.draws, units: r.units, sensitivity, ms: now() - started });
	} catch (e) {
		post({ type: 'error', id, message: e instanceof Error ? e.message : String(e) });
	}
}
