/**
 * Live topics over SSE. A topic is a query with a window relative to now (today,
 * the last hour, …): computed once per tick by the hub for all subscribers.
 */
import { z } from 'zod';
import { TRPCError, tracked } from '@trpc/server';
import { PlanError, plan } from '../../planner/plan.ts';
import { QueryRequest } from '../../planner/request.ts';
import { runQuery } from '../../planner/run.ts';
import { procedure, router } from '../trpc.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const BJ = 8 * HOUR;

/** [from, to) of a window, in Beijing time. */
export function windowRange(window: string, now = Date.now()): { from: string; to: string } {
	const iso = (ms: number) => new Date(ms + BJ).toISOString().slice(0, 16);
	const startOfDay = Math.floor((now + BJ) / DAY) * DAY - BJ;
	const minute = Math.floor(now / 60_000) * 60_000 + 60_000;
	switch (window) {
		case 'today':
			return { from: iso(startOfDay), to: iso(startOfDay + DAY) };
		case 'last60m':
			return { from: iso(minute - HOUR), to: iso(minute) };
		case 'last24h':
			return { from: iso(Math.floor(now / HOUR) * HOUR + HOUR - DAY), to: iso(Math.floor(now / HOUR) * HOUR + HOUR) };
		case 'last7d':
			return { from: iso(startOfDay - 6 * DAY).slice(0, 10), to: iso(startOfDay + DAY).slice(0, 10) };
		case 'last30d':
			return { from: iso(startOfDay - 29 * DAY).slice(0, 10), to: iso(startOfDay + DAY).slice(0, 10) };
		default:
			throw new Error(`unknown window ${window}`);
	}
}

const LiveQuery = z.object({
	window: z.enum(['today', 'last60m', 'last24h', 'last7d', 'last30d']),
	query: z.record(z.string(), z.unknown()),
	lastEventId: z.string().optional()
});

export const liveRouter = router({
	/** Indicators over a moving window, pushed on every tick. */
	query: procedure.input(LiveQuery).subscription(async function* ({ ctx, input, signal }) {
		// Validate and plan once, clearly: a generator's errors do not pass the procedure middleware.
		const parsed = QueryRequest.safeParse({ ...input.query, ...windowRange(input.window) });
		if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', message: parsed.error.issues.map((i) => `query.${i.path.join('.')}: ${i.message}`).join('; ') });
		const probe = parsed.data;
		try {
			plan(probe, ctx.scope);
		} catch (e) {
			if (!(e instanceof PlanError)) throw e;
			throw new TRPCError({ code: /outside your scope/.test(e.message) ? 'FORBIDDEN' : 'BAD_REQUEST', message: e.message });
		}
		const key = JSON.stringify({ window: input.window, query: { ...input.query }, scope: ctx.scope, grain: probe.grain });
		const compute = () => runQuery(ctx.warehouse, QueryRequest.parse({ ...input.query, ...windowRange(input.window) }), ctx.scope);
		const last = input.lastEventId === undefined ? undefined : Number(input.lastEventId);
		for await (const tick of ctx.hub.subscribe(key, compute, signal, Number.isFinite(last) ? last : undefined)) {
			yield tracked(String(tick.id), tick.data);
		}
	})
});
