import { DAY_MS } from '../../../time/beijing-time.ts';
import { clickhouseDateTime, clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { MINUTE_MS } from '../../../time/windows.ts';
import { rows, type QueryCtx } from '../statement.ts';

/**
 * The last minute the case feed reached by the instant `at` (Beijing time,
 * `YYYY-MM-DD HH:mm:00`), or null when nothing arrived in the two days before it.
 * Whole minutes from the minute rollup; the minute holding `at` from the events,
 * up to and including `at` (that minute's bucket also holds what came after).
 * The whole feed's freshness: no region's data is shown, so no scope applies.
 */
export async function dataAsOf(ctx: Pick<QueryCtx, 'warehouse'>, at: number): Promise<string | null> {
	const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
	const [r] = await rows<{ ts: string | null }>(
		ctx,
		`SELECT if(max(m) = 0, NULL, formatDateTime(max(m), '%Y-%m-%d %H:%i:00', 'Asia/Shanghai')) AS ts FROM (
		   SELECT max(bucket) AS m FROM case_stats_minute WHERE bucket > {from:DateTime('UTC')} AND bucket < {minute:DateTime('UTC')}
		   UNION ALL SELECT toDateTime(toStartOfMinute(max(ts)), 'UTC') AS m FROM case_events
		   WHERE ts >= {minute64:DateTime64(3, 'UTC')} AND ts <= {at:DateTime64(3, 'UTC')}
		 )`,
		{ from: clickhouseDateTime(at - 2 * DAY_MS), minute: clickhouseDateTime(minute), minute64: clickhouseDateTime64(minute), at: clickhouseDateTime64(at) }
	);
	return r?.ts ?? null;
}
