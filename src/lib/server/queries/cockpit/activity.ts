/** Case and 12345 ticket counts per region up to an instant, inside the caller's scope (regionFilter). */
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';
import { clickhouseDateTime, clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { MINUTE_MS, through } from '../../../time/windows.ts';

export type RegionCount = { adcode: number; n: number };

/**
 * Cases submitted from `since` (a minute boundary) up to and including `at`, per region code: whole
 * minutes from the minute rollup, the minute holding `at` from the events (as the rollup counts them).
 */
export async function casesSubmittedSince(ctx: QueryCtx, adcode: number, since: number, at: number): Promise<RegionCount[]> {
	const f = regionFilter(adcode, ctx.scope);
	const and = andAll(f.where);
	const minute = Math.max(since, Math.floor(at / MINUTE_MS) * MINUTE_MS);
	const r = await rows<RegionCount>(
		ctx,
		`SELECT adcode, sum(n) AS n FROM (
		   SELECT adcode, sum(submitted) AS n FROM case_stats_minute WHERE bucket >= {from:DateTime('UTC')} AND bucket < {minute:DateTime('UTC')} ${and} GROUP BY adcode
		   UNION ALL SELECT adcode, countIf(status = 'submitted') AS n FROM case_events
		   WHERE ts >= {minute64:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')} ${and} GROUP BY adcode
		 ) GROUP BY adcode`,
		{
			...f.params,
			from: clickhouseDateTime(since),
			minute: clickhouseDateTime(minute),
			minute64: clickhouseDateTime64(minute),
			to: clickhouseDateTime64(through(at))
		}
	);
	return r.map((x) => ({ adcode: x.adcode, n: Number(x.n) }));
}

/**
 * 12345 tickets created from `since` up to and including `at` (less than an hour: the hour rollup cannot be cut,
 * so from the events, every row as the rollup counts them), per region code.
 */
export async function ticketsCreatedSince(ctx: QueryCtx, adcode: number, since: number, at: number): Promise<RegionCount[]> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<RegionCount>(
		ctx,
		`SELECT adcode, countIf(status = 'created') AS n FROM hotline_events
		 WHERE ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')} ${andAll(f.where)} GROUP BY adcode`,
		{ ...f.params, from: clickhouseDateTime64(since), to: clickhouseDateTime64(through(at)) }
	);
	return r.map((x) => ({ adcode: x.adcode, n: Number(x.n) }));
}
