/**
 * A bounded queue for expensive work: at most `concurrency` jobs run at once,
 * at most `maxQueued` wait, and none waits longer than `queueTimeoutMs`. A job
 * that cannot get a place is refused at once with a BusyError rather than
 * piling up: a few heavy warehouse queries must not starve every other request
 * (and /healthz) of the warehouse's cores and the web process's memory.
 */

/** The work was refused because too much of it is already running or waiting. */
export class BusyError extends Error {
	constructor(readonly reason: 'queue-full' | 'queue-timeout') {
		super('服务繁忙，请稍后重试');
		this.name = 'BusyError';
	}
}

export interface WorkQueueOptions {
	concurrency: number;
	maxQueued: number;
	queueTimeoutMs: number;
}

interface Waiter {
	start: () => void;
	timer: NodeJS.Timeout;
}

export class WorkQueue {
	private running = 0;
	private readonly waiting: Waiter[] = [];
	/** Refusals since start, by reason (for logs and the bench). */
	readonly refused = { 'queue-full': 0, 'queue-timeout': 0 };

	constructor(readonly options: WorkQueueOptions) {
		if (!(options.concurrency >= 1) || !(options.maxQueued >= 0) || !(options.queueTimeoutMs > 0))
			throw new Error('work queue: concurrency ≥ 1, maxQueued ≥ 0, queueTimeoutMs > 0');
	}

	get active(): number {
		return this.running;
	}

	get queued(): number {
		return this.waiting.length;
	}

	/** Runs `job` when a place is free; refuses with BusyError when the queue is full or the wait times out. */
	async run<T>(job: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await job();
		} finally {
			this.release();
		}
	}

	private acquire(): Promise<void> {
		if (this.running < this.options.concurrency) {
			this.running++;
			return Promise.resolve();
		}
		if (this.waiting.length >= this.options.maxQueued) return Promise.reject(this.refuse('queue-full'));
		return new Promise<void>((resolve, reject) => {
			const waiter: Waiter = {
				start: () => {
					clearTimeout(waiter.timer);
					resolve();
				},
				timer: setTimeout(() => {
					const i = this.waiting.indexOf(waiter);
					if (i >= 0) this.waiting.splice(i, 1);
					reject(this.refuse('queue-timeout'));
				}, this.options.queueTimeoutMs)
			};
			this.waiting.push(waiter);
		});
	}

	/** Hands the place straight to the next waiter (the running count stays), or frees it. */
	private release(): void {
		const next = this.waiting.shift();
		if (next) next.start();
		else this.running--;
	}

	private refuse(reason: BusyError['reason']): BusyError {
		this.refused[reason]++;
		return new BusyError(reason);
	}
}

/**
 * The web process's queue for heavy warehouse queries. Two at once: the
 * machine this runs on has two cores, and the warehouse gives each query all of
 * them; the rest wait up to 10 s in a queue of 16, then are refused.
 */
export const heavyQueries = new WorkQueue({ concurrency: 2, maxQueued: 16, queueTimeoutMs: 10_000 });
