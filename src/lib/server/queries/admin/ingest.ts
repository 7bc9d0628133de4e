/**
 * The ingest page of /admin beyond queries/ingest/health.ts: a few refused lines
 * of each reason with their raw heads (masked at ingest) and the feed's hourly
 * throughput. The whole feed, not split by region: only for a caller who sees
 * everything (assertWholeScope, before anything is read).
 */
import { assertWholeScope } from '../../scope.ts';
import { rows, type QueryCtx } from '../statement.ts';

export interface DeadLetterHead {
	reason: string;
	source: string;
	step: string;
	/** When it was set aside (UTC, the warehouse's text). */
	at: string;
	detail: string;
	head: string;
	raw_bytes: number;
}

/** How many refused lines of each reason are shown (LIMIT BY takes no bound parameter: Tianshu's own constant). */
export const HEADS_PER_REASON = 3;

/** The newest HEADS_PER_REASON dead letters of each reason in the last day, their raw line cut to `headChars` characters. */
export async function deadLetterHeads(ctx: QueryCtx, headChars: number): Promise<DeadLetterHead[]> {
	assertWholeScope(ctx.scope);
	return await rows<DeadLetterHead>(
		ctx,
		`SELECT reason, source, step, toString(ingested_at) AS at, substringUTF8(detail, 1, 200) AS detail,
		        substringUTF8(raw, 1, {headChars:UInt32}) AS head, raw_bytes
		 FROM ingest_dead_letter WHERE ingested_at > now() - INTERVAL 1 DAY
		 ORDER BY ingested_at DESC LIMIT ${HEADS_PER_REASON} BY reason`,
		{ headChars }
	);
}

/** Events per second over the feed, by hour of the last day: each worker's mean rate in the hour, summed over workers. */
export async function hourlyThroughput(ctx: QueryCtx): Promise<Array<{ hour: string; events_per_s: number }>> {
	assertWholeScope(ctx.scope);
	return await rows<{ hour: string; events_per_s: number }>(
		ctx,
		`SELECT toString(hour) AS hour, round(sum(eps), 2) AS events_per_s
		 FROM (SELECT toStartOfHour(ts) AS hour, worker, avg(events_per_s) AS eps FROM ingest_metrics WHERE ts > now() - INTERVAL 1 DAY GROUP BY hour, worker)
		 GROUP BY hour ORDER BY hour`,
		{}
	);
}
