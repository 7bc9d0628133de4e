/**
 * The Monte Carlo run as the page sees it: status, progress and the result, with
 * the job in a Web Worker so the page stays responsive. Cancel terminates the
 * worker (a fresh one serves the next run); a run started while another is going
 * replaces it.
 */
import type { Row } from '$lib/indices/engine';
import type { Methodology } from '$lib/indices/methodology';
import type { UnitUncertainty } from '$lib/indices/simulate';
import type { SensitivityResult } from '$lib/indices/sensitivity';
import type { McMessage, McRequest } from './mc-run.ts';

export interface WorkerLike {
	postMessage(m: McRequest): void;
	terminate(): void;
	onmessage: ((event: MessageEvent<McMessage>) => void) | null;
	onerror: ((event: ErrorEvent) => void) | null;
}

export type McStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export class MonteCarloRun {
	status = $state<McStatus>('idle');
	done = $state(0);
	total = $state(0);
	units = $state.raw<UnitUncertainty[] | null>(null);
	sensitivity = $state.raw<SensitivityResult | null>(null);
	phase = $state<'draws' | 'sensitivity'>('draws');
	ms = $state<number | null>(null);
	error = $state<string | null>(null);
	#worker: WorkerLike | null = null;
	#id = 0;

	constructor(private readonly makeWorker: () => WorkerLike) {}

	start(
		methodology: Methodology,
		rows: Row[],
		draws: number,
		seed: number,
		weights: McRequest['options']['weights'] = { kind: 'dirichlet', concentration: 50 },
		sensitivityDraws = 0
	): void {
		this.#stop();
		const id = ++this.#id;
		const worker = this.makeWorker();
		this.#worker = worker;
		this.status = 'running';
		this.done = 0;
		this.total = draws;
		this.units = null;
		this.sensitivity = null;
		this.phase = 'draws';
		this.ms = null;
		this.error = null;
		worker.onmessage = (event) => {
			const m = event.data;
			if (m.id !== id || this.#id !== id) return;
			if (m.type === 'progress') {
				this.done = m.done;
				this.phase = m.phase;
			} else if (m.type === 'done') {
				this.units = m.units;
				this.sensitivity = m.sensitivity;
				this.ms = m.ms;
				this.done = m.draws;
				this.status = 'done';
				this.#stop();
			} else {
				this.error = m.message;
				this.status = 'error';
				this.#stop();
			}
		};
		worker.onerror = (event) => {
			if (this.#id !== id) return;
			this.error = event.message || '模拟进程出错';
			this.status = 'error';
			this.#stop();
		};
		// Plain data only: the methodology and rows are structured-cloned into the worker.
		worker.postMessage({
			type: 'run',
			id,
			methodology: $state.snapshot(methodology) as Methodology,
			rows: $state.snapshot(rows) as Row[],
			options: { draws, seed, weights },
			sensitivityDraws
		});
	}

	cancel(): void {
		if (this.status !== 'running') return;
		this.#id++;
		this.#stop();
		this.status = 'cancelled';
	}

	#stop(): void {
		this.#worker?.terminate();
		this.#worker = null;
	}

	destroy(): void {
		this.#id++;
		this.#stop();
	}
}
