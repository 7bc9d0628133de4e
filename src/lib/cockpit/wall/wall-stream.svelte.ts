/**
 * The wall's one live stream and what it knows about freshness. EventSource
 * reconnects by itself (tRPC resumes from the last id); if the stream ends for
 * good (an error the server sent), a new one opens after 5 s from the last id, so
 * a wall never needs a person to reload it. Per panel it keeps when the newest
 * value arrived (the wall's own clock, so a skewed clock cannot make it look
 * stale) and the instant the server computed it for (what the wall shows).
 */
import { stoppedPanels } from '../freshness.ts';
import { PANELS, type MapIndicator, type PanelName } from '../model.ts';

export const RECONNECT_AFTER_MS = 5000;

export interface WallTick {
	panel: PanelName;
	mapIndicator?: MapIndicator;
	/** When the server computed it (epoch ms). */
	at: number;
	data: unknown;
}

interface Handlers {
	onData: (value: { id: string; data: WallTick }) => void;
	onConnectionStateChange: (state: { state: string; error?: unknown }) => void;
	onError: (e: unknown) => void;
	onComplete: () => void;
}

/** Opens the stream from a last id (the tRPC client's `cockpit.live.subscribe`, bound to the wall's region). */
export type Subscribe = (lastEventId: string | undefined, handlers: Handlers) => { unsubscribe: () => void };

const keyOf = (panel: PanelName, m?: MapIndicator) => (panel === 'map' ? `map:${m ?? 'caseVolume'}` : panel);

export class WallStream {
	/** The connection is down (the marker greys; panels keep their values). */
	stale = $state(false);
	/** When any value last arrived (wall clock). */
	lastUpdate = $state(0);
	/** The wall clock, moved every second (drives "N秒前" and panel freshness). */
	now = $state(0);
	#received = $state.raw<Record<string, number>>({});
	#computedAt = $state.raw<Record<string, number>>({});
	#lastId: string | undefined;
	#unsubscribe: (() => void) | undefined;
	#retry: ReturnType<typeof setTimeout> | undefined;
	#clock: ReturnType<typeof setInterval> | undefined;
	#closed = false;
	readonly #subscribe: Subscribe;
	readonly #onTick: (tick: WallTick) => void;
	readonly #loadedAt: number;
	readonly #firstAt: number;

	/** `firstAt`: the instant the server's first picture was computed for. */
	constructor(subscribe: Subscribe, onTick: (tick: WallTick) => void, firstAt: number, now = Date.now()) {
		this.#subscribe = subscribe;
		this.#onTick = onTick;
		this.#firstAt = firstAt;
		this.#loadedAt = now;
		this.lastUpdate = now;
		this.now = now;
	}

	get lastId(): string | undefined {
		return this.#lastId;
	}

	open(): void {
		this.#clock ??= setInterval(() => (this.now = Date.now()), 1000);
		this.#connect();
	}

	#connect(): void {
		const sub = this.#subscribe(this.#lastId, {
			onData: ({ id, data: tick }) => {
				this.#lastId = id;
				const key = keyOf(tick.panel, tick.mapIndicator);
				const now = Date.now();
				this.#received = { ...this.#received, [key]: now };
				this.#computedAt = { ...this.#computedAt, [key]: tick.at };
				this.lastUpdate = now;
				this.stale = false;
				this.#onTick(tick);
			},
			onConnectionStateChange: (state) => {
				if (state.state === 'connecting' && state.error) this.stale = true;
			},
			onError: () => this.#reconnectLater(),
			onComplete: () => this.#reconnectLater()
		});
		this.#unsubscribe = () => sub.unsubscribe();
	}

	#reconnectLater(): void {
		if (this.#closed) return; // the page is going away: onComplete follows our own unsubscribe
		this.stale = true;
		clearTimeout(this.#retry);
		this.#retry = setTimeout(() => this.#connect(), RECONNECT_AFTER_MS);
	}

	/**
	 * Panels (the map in the colouring shown) whose data stopped coming while the
	 * stream is up, each with the instant of its newest value. Empty while the
	 * stream is down: then the marker says so for all of them.
	 */
	stopped(mapIndicator: MapIndicator): Partial<Record<PanelName, number>> {
		if (this.stale) return {};
		const arrived: Partial<Record<PanelName, number>> = {};
		for (const p of PANELS) arrived[p] = this.#received[keyOf(p, mapIndicator)] ?? this.#loadedAt;
		const since: Partial<Record<PanelName, number>> = {};
		for (const p of Object.keys(stoppedPanels(arrived, this.now)) as PanelName[]) since[p] = this.#computedAt[keyOf(p, mapIndicator)] ?? this.#firstAt;
		return since;
	}

	close(): void {
		this.#closed = true;
		clearTimeout(this.#retry);
		clearInterval(this.#clock);
		this.#unsubscribe?.();
	}
}
