/**
 * The leaders' cockpit: each panel of a region, on demand (`panel`) or live
 * (`live`). A wall opens one stream for all its panels — browsers allow only a
 * few connections per host — and the stream merges one hub topic per (region,
 * panel), so a hundred walls on the same region cost one computation per panel
 * per tick.
 */
import { setMaxListeners } from 'node:events';
import { z } from 'zod';
import { Adcode, Instant, LastEventId } from '../../planner/request.ts';
import { tracked } from '@trpc/server';
import { MAP_INDICATORS, PANELS, PANEL_MIN_INTERVAL_MS, type MapIndicator, type PanelData, type PanelName } from '../../../cockpit/model.ts';
import { computePanel } from '../../cockpit/panels.ts';
import { assertInScope } from '../../scope.ts';
import { scopedProcedure, router } from '../trpc.ts';
import { whileAdmitted } from '../../live/admitted.ts';
import type { Context } from '../context.ts';

const adcode = Adcode;

const PanelInput = z.strictObject({
	adcode,
	panel: z.enum(PANELS),
	mapIndicator: z.enum(MAP_INDICATORS).default('caseVolume'),
	/** The instant to compute for (epoch ms, within 400 days of now); now when absent. */
	at: Instant.optional()
});

const LiveInput = z.strictObject({
	adcode,
	panels: z
		.array(z.enum(PANELS))
		.min(1)
		.max(PANELS.length)
		.default([...PANELS]),
	/** The map in each of these colourings (scenes switch between them without a new stream). */
	mapIndicators: z.array(z.enum(MAP_INDICATORS)).min(1).max(MAP_INDICATORS.length).default(['caseVolume']),
	lastEventId: LastEventId.optional()
});

/** Slow panels are recomputed at most this often (one definition, shared with the wall's freshness check). */
const MIN_INTERVAL_MS = PANEL_MIN_INTERVAL_MS;

export interface PanelTick<P extends PanelName = PanelName> {
	panel: P;
	/** For the map: the indicator it is coloured by. */
	mapIndicator?: MapIndicator;
	/** When it was computed (epoch ms). */
	at: number;
	data: PanelData[P];
}

/**
 * The hub topic of a panel of a region: the same key and computation for the
 * live stream and for one-off requests, so both get the same values.
 */
function panelTopic(ctx: Context, adcode: number, panel: PanelName, mapIndicator: MapIndicator | undefined) {
	const key = JSON.stringify({ cockpit: panel, adcode, mapIndicator, scope: ctx.scope });
	const compute = async (): Promise<PanelTick> => {
		const at = Date.now();
		return { panel, mapIndicator, at, data: await computePanel(ctx, panel, adcode, at, mapIndicator) };
	};
	return { key, compute };
}

const PictureInput = z.strictObject({
	adcode,
	/** The map in each of these colourings (the scenes' indicators). */
	mapIndicators: z.array(z.enum(MAP_INDICATORS)).min(1).max(MAP_INDICATORS.length).default(['caseVolume'])
});

/** A wall's first picture: every panel (the map in each colouring asked) of a region, as of `at` (the oldest value's instant). */
export interface Picture {
	at: number;
	panels: Omit<PanelData, 'map'>;
	maps: Partial<Record<MapIndicator, PanelData['map']>>;
}

/** A panel's value now: the live topic's when fresh, else one computation shared by every concurrent caller. */
async function currentPanel(ctx: Context, adcode: number, panel: PanelName, mapIndicator?: MapIndicator): Promise<PanelTick> {
	const { key, compute } = panelTopic(ctx, adcode, panel, mapIndicator);
	return (await ctx.hub.current(key, compute, { maxAgeMs: Math.max(ctx.hub.floor, MIN_INTERVAL_MS[panel]) })).data;
}

export const cockpitRouter = router({
	/**
	 * Everything a wall shows first, in one call, from the same hub topics as the stream: a hundred walls
	 * opening at once cost one computation per panel.
	 */
	picture: scopedProcedure.input(PictureInput).query(async ({ ctx, input }): Promise<Picture> => {
		assertInScope(input.adcode, ctx.scope);
		const names = PANELS.filter((p) => p !== 'map');
		const indicators = [...new Set(input.mapIndicators)];
		const [panels, maps] = await Promise.all([
			Promise.all(names.map((panel) => currentPanel(ctx, input.adcode, panel))),
			Promise.all(indicators.map((m) => currentPanel(ctx, input.adcode, 'map', m)))
		]);
		return {
			at: Math.min(...[...panels, ...maps].map((t) => t.at)),
			panels: Object.fromEntries(panels.map((t) => [t.panel, t.data])) as Omit<PanelData, 'map'>,
			maps: Object.fromEntries(maps.map((t) => [t.mapIndicator!, t.data as PanelData['map']]))
		};
	}),

	panel: scopedProcedure.input(PanelInput).query(async ({ ctx, input }): Promise<PanelTick> => {
		assertInScope(input.adcode, ctx.scope); // before a shared topic's value is handed out
		const mapIndicator = input.panel === 'map' ? input.mapIndicator : undefined;
		if (input.at !== undefined)
			return { panel: input.panel, mapIndicator, at: input.at, data: await computePanel(ctx, input.panel, input.adcode, input.at, mapIndicator) };
		// Now: the live topic's value when fresh, else one computation for every concurrent viewer — as the stream
		// does, so a hundred viewers polling cost one query per panel per tick (a slow panel: per its interval);
		// a value just past its age is answered while the next is computed, so no viewer waits behind it.
		return currentPanel(ctx, input.adcode, input.panel, mapIndicator);
	}),

	live: scopedProcedure.input(LiveInput).subscription(({ ctx, input, signal }) => {
		// FORBIDDEN before any topic opens: a stream's own errors never pass the procedure middleware.
		assertInScope(input.adcode, ctx.scope);
		const last = input.lastEventId === undefined ? undefined : Number(input.lastEventId);
		// The stream ends when the caller is no longer let in (signed out, revoked, expired): src/lib/server/live/admitted.ts.
		const admission = whileAdmitted(signal, ctx.admitted);
		// One abort listener per topic on the stream's signal: a dozen is expected, not a leak.
		if (admission.signal) setMaxListeners(32, admission.signal);
		const topics = input.panels.flatMap((panel): Array<{ panel: PanelName; mapIndicator?: MapIndicator }> =>
			panel === 'map' ? input.mapIndicators.map((m) => ({ panel, mapIndicator: m })) : [{ panel }]
		);
		const streams = topics.map(({ panel, mapIndicator }) => {
			const { key, compute } = panelTopic(ctx, input.adcode, panel, mapIndicator);
			return ctx.hub.subscribe(key, compute, admission.signal, Number.isFinite(last) ? last : undefined, { minIntervalMs: MIN_INTERVAL_MS[panel] });
		});
		return trackedTicks(merge(streams, admission.signal), admission.dispose);
	})
});

async function* trackedTicks<T>(ticks: AsyncGenerator<{ id: number; data: T }>, dispose: () => void) {
	try {
		for await (const tick of ticks) yield tracked(String(tick.id), tick.data);
	} finally {
		dispose();
	}
}

/** Values of several async streams as they come, until `signal` aborts; each stream is closed at the end. */
async function* merge<T>(streams: AsyncGenerator<T>[], signal?: AbortSignal): AsyncGenerator<T> {
	const next = (i: number) => streams[i]!.next().then((r) => ({ i, r }));
	const pending = new Map(streams.map((_, i) => [i, next(i)]));
	try {
		while (pending.size && !signal?.aborted) {
			const { i, r } = await Promise.race(pending.values());
			if (r.done) pending.delete(i);
			else {
				pending.set(i, next(i));
				yield r.value;
			}
		}
	} finally {
		await Promise.all(streams.map((s) => s.return(undefined as never)));
	}
}
