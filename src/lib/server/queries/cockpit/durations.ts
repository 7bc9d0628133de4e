import { beijingDate } from '../../../time/working-days.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

/**
 * The P10, P25, median, P75 and P90 of case handling time (seconds) over the
 * Beijing days [from, to), inside the caller's scope; empty when there is no row.
 */
export async function durationQuantiles(ctx: QueryCtx, adcode: number, from: number, to: number): Promise<number[]> {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ q: number[] }>(
		ctx,
		`SELECT quantilesIfMerge(0.1, 0.25, 0.5, 0.75, 0.9)(duration_digest) AS q FROM case_region_stats_day
		 WHERE bucket >= {from:Date} AND bucket < {to:Date} ${andAll(f.where)}`,
		{ ...f.params, from: beijingDate(from), to: beijingDate(to) }
	);
	return r?.q ?? [];
}
