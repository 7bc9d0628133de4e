/** Case and 12345 ticket counts per region from the live rollups, inside the caller's scope (regionFilter). */
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';
import { clickhouseDateTime } from '../../../time/clickhouse-params.ts';

export type RegionCount = { adcode: number; n: number };

/** Cases submitted since `since` (a minute boundary), per region code. */
export async function casesSubmittedSince(ctx: QueryCtx, adcode: number, since: number): Promise<RegionCount[]> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<RegionCount>(
		ctx,
		`SELECT adcode, sum(submitted) AS n FROM case_stats_minute WHERE bucket >= {from:DateTime('UTC')} ${andAll(f.where)} GROUP BY adcode`,
		{ ...f.params, from: clickhouseDateTime(since) }
	);
	return r.map((x) => ({ adcode: x.adcode, n: Number(x.n) }));
}

/** 12345 tickets created since `since` (an hour boundary), per region code. */
export async function ticketsCreatedSince(ctx: QueryCtx, adcode: number, since: number): Promise<RegionCount[]> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<RegionCount>(
		ctx,
		`SELECT adcode, sum(created) AS n FROM hotline_stats_hour WHERE bucket >= {from:DateTime('UTC')} ${andAll(f.where)} GROUP BY adcode`,
		{ ...f.params, from: clickhouseDateTime(since) }
	);
	return r.map((x) => ({ adcode: x.adcode, n: Number(x.n) }));
}
