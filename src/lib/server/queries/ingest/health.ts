/**
 * The ingest feed's health: the whole feed, not split by region, so only for a
 * caller who sees everything (assertWholeScope, before anything is read).
 */
import { assertWholeScope } from '../../scope.ts';
import { rows, type QueryCtx } from '../statement.ts';

/** The latest metrics of each ingest worker that reported in the last day. */
export function workerMetrics(ctx: QueryCtx): Promise<Array<Record<string, number | string>>> {
	assertWholeScope(ctx.scope);
	return rows<Record<string, number | string>>(
		ctx,
		`SELECT worker, argMax(events_per_s, ts) AS events_per_s, argMax(stored_total, ts) AS stored, argMax(dropped_total, ts) AS dropped,
		        argMax(lag_s, ts) AS lag_s, argMax(buffer_rows, ts) AS buffer_rows, max(ts) AS reported_at
		 FROM ingest_metrics WHERE ts > now() - INTERVAL 1 DAY GROUP BY worker ORDER BY worker`,
		{}
	);
}

/** Lines set aside in the last day, by reason, most first. */
export function deadLettersByReason(ctx: QueryCtx): Promise<Array<{ reason: string; lines: number }>> {
	assertWholeScope(ctx.scope);
	return rows<{ reason: string; lines: number }>(
		ctx,
		'SELECT reason, count() AS lines FROM ingest_dead_letter WHERE ingested_at > now() - INTERVAL 1 DAY GROUP BY reason ORDER BY lines DESC',
		{}
	);
}
