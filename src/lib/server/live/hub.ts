/**
 * The live hub: a topic (a tile, a ranking, a map layer) is computed once per
 * tick and its value fanned out to every subscriber, so the number of screens
 * never multiplies warehouse queries. Ticks follow data arrival — the ingest
 * watermark, read once per interval for all topics — with a floor (never more
 * often) and a ceiling (at least this often, so relative windows like "today"
 * move on). A topic with no subscribers stops. Each value carries an increasing
 * id; a screen that reconnects with the last id it saw gets only newer values.
 *
 * One-off requests for the same topics (a tile over HTTP) take the topic's value
 * too (`current`): the live one when fresh enough, else one computation shared by
 * every concurrent caller and kept for the next ones — a hundred viewers polling
 * cost what one stream costs.
 */
import type { Logger } from 'pino';

export interface HubOptions {
	/** Reads the ingest watermark (any value that changes when new data is stored). */
	watermark: () => Promise<string>;
	floorMs?: number;
	ceilingMs?: number;
	logger?: Logger;
}

export interface Tick<T> {
	id: number;
	data: T;
}

interface Subscriber<T> {
	/** The newest value not yet taken (older ones are replaced: a screen needs the latest). */
	pending?: Tick<T>;
	wake?: () => void;
}

interface Topic<T> {
	key: string;
	compute: () => Promise<T>;
	subscribers: Set<Subscriber<T>>;
	latest?: Tick<T>;
	/** When `latest` was computed (a failure moves lastComputed, not this). */
	latestAt: number;
	lastComputed: number;
	computing?: Promise<void>;
	computations: number;
	/** Not recomputed more often than this, whatever arrives (slow-moving topics). */
	minIntervalMs: number;
}

/** A value computed for one-off requests, with the computation in flight if any. */
interface Shared<T> {
	latest?: Tick<T>;
	latestAt: number;
	computing?: Promise<Tick<T>>;
	computations: number;
}

/** One-off values kept at most: the oldest used is dropped beyond (keys are bounded by input validation anyway). */
const MAX_SHARED = 1024;

export class LiveHub {
	private readonly topics = new Map<string, Topic<unknown>>();
	private readonly shared = new Map<string, Shared<unknown>>();
	private timer: NodeJS.Timeout | undefined;
	private lastWatermark: string | undefined;
	private seq = 0;
	private readonly floorMs: number;
	private readonly ceilingMs: number;

	constructor(private readonly options: HubOptions) {
		this.floorMs = options.floorMs ?? 1000;
		this.ceilingMs = options.ceilingMs ?? 15_000;
	}

	/** How many times a topic has been computed (for tests and metrics). */
	computations(key: string): number {
		return (this.topics.get(key)?.computations ?? 0) + (this.shared.get(key)?.computations ?? 0);
	}

	/** The shortest time between two computations of a topic. */
	get floor(): number {
		return this.floorMs;
	}

	get activeTopics(): number {
		return this.topics.size;
	}

	/** Values of a topic as they are computed; ends when `signal` aborts. */
	async *subscribe<T>(
		key: string,
		compute: () => Promise<T>,
		signal?: AbortSignal,
		lastEventId?: number,
		options: { minIntervalMs?: number } = {}
	): AsyncGenerator<Tick<T>> {
		let topic = this.topics.get(key) as Topic<T> | undefined;
		if (!topic) {
			topic = { key, compute, subscribers: new Set(), latestAt: 0, lastComputed: 0, computations: 0, minIntervalMs: options.minIntervalMs ?? 0 };
			this.topics.set(key, topic as Topic<unknown>);
		}
		const me: Subscriber<T> = {};
		topic.subscribers.add(me);
		this.ensureTimer();
		const onAbort = () => me.wake?.();
		signal?.addEventListener('abort', onAbort);
		try {
			if (topic.latest && (lastEventId === undefined || topic.latest.id > lastEventId)) me.pending = topic.latest;
			else if (!topic.latest) void this.primeWatermark().then(() => this.refresh(topic as Topic<unknown>));
			while (!signal?.aborted) {
				if (!me.pending) await new Promise<void>((resolve) => (me.wake = resolve));
				me.wake = undefined;
				const tick = me.pending;
				me.pending = undefined;
				if (tick && !signal?.aborted) yield tick;
			}
		} finally {
			signal?.removeEventListener('abort', onAbort);
			topic.subscribers.delete(me);
			if (topic.subscribers.size === 0) this.topics.delete(key);
			if (this.topics.size === 0) this.stopTimer();
		}
	}

	private ensureTimer(): void {
		if (this.timer) return;
		this.timer = setInterval(() => void this.tick(), this.floorMs);
		this.timer.unref?.();
	}

	private stopTimer(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	private async tick(): Promise<void> {
		let changed = false;
		try {
			const mark = await this.options.watermark();
			// The first mark read is a baseline, not a change: topics are computed when first subscribed.
			changed = this.lastWatermark !== undefined && mark !== this.lastWatermark;
			this.lastWatermark = mark;
		} catch (e) {
			this.options.logger?.warn({ err: (e as Error).message }, 'live hub: watermark unavailable');
		}
		const now = Date.now();
		for (const topic of this.topics.values()) {
			const age = now - topic.lastComputed;
			if (age < topic.minIntervalMs) continue;
			if (changed || age >= this.ceilingMs) void this.refresh(topic);
		}
	}

	/** Reads the watermark once before the first computation, so data stored before it does not count as new. */
	private async primeWatermark(): Promise<void> {
		if (this.lastWatermark !== undefined) return;
		try {
			this.lastWatermark = await this.options.watermark();
		} catch {
			// The tick will say it is unavailable.
		}
	}

	/** Computes a topic once, however many subscribers and ticks ask at the same time. */
	private refresh(topic: Topic<unknown>): Promise<void> {
		topic.computing ??= (async () => {
			try {
				const data = await topic.compute();
				topic.computations++;
				topic.lastComputed = topic.latestAt = Date.now();
				topic.latest = { id: ++this.seq, data };
				for (const s of topic.subscribers) {
					s.pending = topic.latest;
					s.wake?.();
				}
			} catch (e) {
				this.options.logger?.warn({ topic: topic.key, err: (e as Error).message }, 'live hub: topic failed; keeping its last value');
				topic.lastComputed = Date.now();
			} finally {
				topic.computing = undefined;
			}
		})();
		return topic.computing;
	}

	/**
	 * A topic's value for a one-off request (a tile over HTTP). Fresh (no older than
	 * `maxAgeMs`): the live topic's or the last one-off value, as it is. Older but
	 * within `staleMs` (default `maxAgeMs` + the ceiling): answered at once while one
	 * refresh runs behind it — as a live screen keeps its last value until the next
	 * comes — so callers never queue behind a recomputation; a live topic is refreshed
	 * by its own ticks. Nothing usable: one computation shared by every concurrent
	 * caller, and kept. Errors are not kept: callers waiting on a failed computation
	 * get its error, a failed refresh behind a stale answer is logged, the next call tries again.
	 */
	async current<T>(key: string, compute: () => Promise<T>, options: { maxAgeMs: number; staleMs?: number }): Promise<Tick<T>> {
		const { maxAgeMs } = options;
		const staleMs = options.staleMs ?? maxAgeMs + this.ceilingMs;
		const age = (at: number) => Date.now() - at;
		const topic = this.topics.get(key) as Topic<T> | undefined;
		if (topic?.latest && age(topic.latestAt) <= maxAgeMs) return topic.latest;
		let entry = this.shared.get(key) as Shared<T> | undefined;
		if (entry) {
			// Most recently used last, so the first key is the one to drop.
			this.shared.delete(key);
			this.shared.set(key, entry as Shared<unknown>);
			if (entry.latest && age(entry.latestAt) <= maxAgeMs) return entry.latest;
		} else {
			entry = { latestAt: 0, computations: 0 };
			this.shared.set(key, entry as Shared<unknown>);
			if (this.shared.size > MAX_SHARED) this.shared.delete(this.shared.keys().next().value!);
		}
		if (topic?.latest && age(topic.latestAt) <= staleMs) return topic.latest;
		const e = entry;
		e.computing ??= (async () => {
			try {
				const data = await compute();
				e.computations++;
				e.latestAt = Date.now();
				e.latest = { id: ++this.seq, data };
				return e.latest;
			} catch (err) {
				this.options.logger?.warn({ topic: key, err: (err as Error).message }, 'live hub: one-off computation failed');
				throw err;
			} finally {
				e.computing = undefined;
			}
		})();
		if (e.latest && age(e.latestAt) <= staleMs) {
			// Nobody waits for this refresh: its failure is logged above, not left unhandled.
			e.computing.catch(() => undefined);
			return e.latest;
		}
		return e.computing;
	}

	stop(): void {
		this.stopTimer();
		for (const t of this.topics.values()) for (const s of t.subscribers) s.wake?.();
	}
}
