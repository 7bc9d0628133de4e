import { rows, type QueryCtx } from '../statement.ts';

/**
 * The last minute the case feed reached (Beijing time, `YYYY-MM-DD HH:mm:00`), or
 * null when nothing arrived in two days. The whole feed's freshness: no region's
 * data is shown, so no scope applies.
 */
export async function dataAsOf(ctx: QueryCtx): Promise<string | null> {
	const [r] = await rows<{ ts: string | null }>(
		ctx,
		"SELECT if(max(bucket) = 0, NULL, formatDateTime(max(bucket), '%Y-%m-%d %H:%i:00', 'Asia/Shanghai')) AS ts FROM case_stats_minute WHERE bucket > now() - INTERVAL 2 DAY",
		{}
	);
	return r?.ts ?? null;
}
