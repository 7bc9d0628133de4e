/**
 * The region names the cockpit header, rankings and economy panel read. Names are
 * public reference data (no scope); callers filter what they show by scope.
 * (To fold into queries/regions/ once it exists.)
 */
import { rows, type QueryCtx } from '../statement.ts';

export type RegionRow = { adcode: number; name: string; short_name: string };

/** The regions with these codes (those that exist). */
export function regionsByCode(ctx: QueryCtx, codes: number[]): Promise<RegionRow[]> {
	return rows<RegionRow>(ctx, 'SELECT adcode, name, short_name FROM regions FINAL WHERE adcode IN {codes:Array(UInt32)}', { codes });
}

/** The regions directly below `parent`, by code. */
export function childRegions(ctx: QueryCtx, parent: number): Promise<Array<{ adcode: number; name: string }>> {
	return rows<{ adcode: number; name: string }>(ctx, 'SELECT adcode, name FROM regions FINAL WHERE parent_code = {parent:UInt32} ORDER BY adcode', {
		parent
	});
}

/** The name of one region, or undefined when there is none. */
export async function regionName(ctx: QueryCtx, adcode: number): Promise<string | undefined> {
	const [r] = await rows<{ name: string }>(ctx, 'SELECT name FROM regions FINAL WHERE adcode = {adcode:UInt32}', { adcode });
	return r?.name;
}
