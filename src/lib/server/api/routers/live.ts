/**
 * Live topics over SSE. A topic is a query with a window relative to now (today,
 * the last hour, …): computed once per tick by the hub for all subscribers.
 */
import { z } from 'zod';
import { TRPCError, tracked } from '@trpc/server';
import { PlanError, plan } from '../../planner/plan.ts';
import { QueryRequest } from '../../planner/request.ts';
import { beijingLocal, DAY_MS, HOUR_MS, startOfBeijingDay } from '../../../calendar/beijing-time.ts';
import { beijingDate } from '../../../calendar/working-days.ts';
import { runQuery } from '../../planner/run.ts';
import { procedure, router } from '../trpc.ts';

/** [from, to) of a window, in Beijing time. */
export function windowRange(window: string, now = Date.now()): { from: string; to: string } {
	const startOfDay = startOfBeijingDay(now);
	const minute = Math.floor(now / 60_000) * 60_000 + 60_000;
	const hour = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
	switch (window) {
		case 'today':
			return { from: beijingLocal(startOfDay), to: beijingLocal(startOfDay + DAY_MS) };
		case 'last60m':
			return { from: beijingLocal(minute - HOUR_MS), to: beijingLocal(minute) };
		case 'last24h':
			return { from: beijingLocal(hour - DAY_MS), to: beijingLocal(hour) };
		case 'last7d':
			return { from: beijingDate(startOfDay - 6 * DAY_MS), to: beijingDate(startOfDay + DAY_MS) };
		case 'last30d':
			return { from: beijingDate(startOfDay - 29 * DAY_MS), to: beijingDate(startOfDay + DAY_MS) };
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
