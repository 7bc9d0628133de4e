/**
 * The leaders' cockpit: each panel of a region, on demand (`panel`) or live
 * (`live`). A wall opens one stream for all its panels — browsers allow only a
 * few connections per host — and the stream merges one hub topic per (region,
 * panel), so a hundred walls on the same region cost one computation per panel
 * per tick.
 */
import { setMaxListeners } from 'node:events';
import { z } from 'zod';
import { Adcode } from '../../planner/request.ts';
import { TRPCError, tracked } from '@trpc/server';
import { MAP_INDICATORS, PANELS, PANEL_MIN_INTERVAL_MS, type MapIndicator, type PanelData, type PanelName } from '../../../cockpit/model.ts';
import { computePanel } from '../../cockpit/panels.ts';
import { regionFilter } from '../../planner/plan.ts';
import { procedure, router } from '../trpc.ts';

const adcode = Adcode;

const PanelInput = z.object({
	adcode,
	panel: z.enum(PANELS),
	mapIndicator: z.enum(MAP_INDICATORS).default('caseVolume'),
	/** The instant to compute for (epoch ms); now when absent. */
	at: z.number().int().positive().optional()
});

const LiveInput = z.object({
	adcode,
	panels: z.array(z.enum(PANELS)).min(1).max(PANELS.length).default([...PANELS]),
	/** The map in each of these colourings (scenes switch between them without a new stream). */
	mapIndicators: z.array(z.enum(MAP_INDICATORS)).min(1).max(MAP_INDICATORS.length).default(['caseVolume']),
	lastEventId: z.string().optional()
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

export const cockpitRouter = router({
	panel: procedure.input(PanelInput).query(async ({ ctx, input }): Promise<PanelTick> => {
		const at = input.at ?? Date.now();
		return { panel: input.panel, mapIndicator: input.panel === 'map' ? input.mapIndicator : undefined, at, data: await computePanel(ctx, input.panel, input.adcode, at, input.mapIndicator) };
	}),

	live: procedure.input(LiveInput).subscription(async function* ({ ctx, input, signal }) {
		// FORBIDDEN before any topic opens (a generator's errors do not pass the procedure middleware).
		try {
			regionFilter(input.adcode, ctx.scope);
		} catch (e) {
			throw new TRPCError({ code: 'FORBIDDEN', message: (e as Error).message });
		}
		const last = input.lastEventId === undefined ? undefined : Number(input.lastEventId);
		// One abort listener per topic on the request's signal: a dozen is expected, not a leak.
		if (signal) setMaxListeners(32, signal);
		const topics = input.panels.flatMap((panel): Array<{ panel: PanelName; mapIndicator?: MapIndicator }> => (panel === 'map' ? input.mapIndicators.map((m) => ({ panel, mapIndicator: m })) : [{ panel }]));
		const streams = topics.map(({ panel, mapIndicator }) => {
			const key = JSON.stringify({ cockpit: panel, adcode: input.adcode, mapIndicator, scope: ctx.scope });
			const compute = async (): Promise<PanelTick> => {
				const at = Date.now();
				return { panel, mapIndicator, at, data: await computePanel(ctx, panel, input.adcode, at, mapIndicator) };
			};
			return ctx.hub.subscribe(key, compute, signal, Number.isFinite(last) ? last : undefined, { minIntervalMs: MIN_INTERVAL_MS[panel] });
		});
		for await (const tick of merge(streams, signal)) yield tracked(String(tick.id), tick.data);
	})
});

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
