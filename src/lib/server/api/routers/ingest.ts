import { assertWholeScope } from '../../scope.ts';
import { scopedProcedure, router } from '../trpc.ts';

export const ingestRouter = router({
	/** The latest metrics of each ingest worker, and dead letters of the last day by reason: the whole feed, so the whole scope. */
	health: scopedProcedure.query(async ({ ctx }) => {
		assertWholeScope(ctx.scope);
		const [workers, dead] = await Promise.all([
			ctx.warehouse
				.query({
					query: `SELECT worker, argMax(events_per_s, ts) AS events_per_s, argMax(stored_total, ts) AS stored, argMax(dropped_total, ts) AS dropped,
					        argMax(lag_s, ts) AS lag_s, argMax(buffer_rows, ts) AS buffer_rows, max(ts) AS reported_at
					        FROM ingest_metrics WHERE ts > now() - INTERVAL 1 DAY GROUP BY worker ORDER BY worker`,
					format: 'JSONEachRow'
				})
				.then((r) => r.json<Record<string, number | string>>()),
			ctx.warehouse
				.query({
					query: 'SELECT reason, count() AS lines FROM ingest_dead_letter WHERE ingested_at > now() - INTERVAL 1 DAY GROUP BY reason ORDER BY lines DESC',
					format: 'JSONEachRow'
				})
				.then((r) => r.json<{ reason: string; lines: number }>())
		]);
		return { workers, deadLetters: dead };
	})
});
