/**
 * Live topics over SSE. A topic is a query with a window relative to now (today,
 * the last hour, …): computed once per tick by the hub for all subscribers.
 */
import { z } from 'zod';
import { tracked } from '@trpc/server';
import { LastEventId, QueryFields, QueryRequest } from '../../planner/request.ts';
import { beijingLocal, DAY_MS, HOUR_MS, startOfBeijingDay } from '../../../time/beijing-time.ts';
import { beijingDate } from '../../../time/working-days.ts';
import { admitQuery, runQuery } from '../../planner/run.ts';
import { scopedProcedure, router } from '../trpc.ts';
import { whileAdmitted } from '../../live/admitted.ts';

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
			throw new RangeError(`unknown window ${window}`);
	}
}

/** A live query: the request without its range (the window gives it); unknown keys are refused, never made into topics. */
const LiveQuery = z.strictObject({
	window: z.enum(['today', 'last60m', 'last24h', 'last7d', 'last30d']),
	query: QueryFields.omit({ from: true, to: true }),
	lastEventId: LastEventId.optional()
});

export const liveRouter = router({
	/** Indicators over a moving window, pushed on every tick. */
	query: scopedProcedure.input(LiveQuery).subscription(async ({ ctx, input, signal }) => {
		// Validated, planned and checked against the work cap once before the stream opens, so a bad, forbidden or
		// too large query is a clear 400/403 here (a stream's own errors never pass the procedure middleware; a
		// topic over the cap would otherwise be refused at every tick and send nothing).
		const request = () => QueryRequest.parse({ ...input.query, ...windowRange(input.window) });
		await admitQuery(ctx.warehouse, request(), ctx.scope);
		// The topic is the validated query, defaults filled in: the same question is the same topic, whatever its spelling.
		const key = JSON.stringify({ window: input.window, query: input.query, scope: ctx.scope });
		const compute = () => runQuery(ctx.warehouse, request(), ctx.scope);
		const last = input.lastEventId === undefined ? undefined : Number(input.lastEventId);
		// The stream ends when the caller is no longer let in (signed out, revoked, expired): src/lib/server/live/admitted.ts.
		const admission = whileAdmitted(signal, ctx.admitted);
		return stream(ctx.hub.subscribe(key, compute, admission.signal, Number.isFinite(last) ? last : undefined), admission.dispose);
	})
});

async function* stream<T>(ticks: AsyncGenerator<{ id: number; data: T }>, dispose: () => void) {
	try {
		for await (const tick of ticks) yield tracked(String(tick.id), tick.data);
	} finally {
		dispose();
	}
}
