import { rows, type QueryCtx } from '../statement.ts';

/**
 * The newest Beijing day in [from, to) holding cases: how far the first-start
 * history has reached the warehouse. The whole feed's progress, no region's
 * figures: no scope applies.
 */
export async function historyFrontier(ctx: Pick<QueryCtx, 'warehouse'>, from: string, to: string): Promise<string | null> {
	const [r] = await rows<{ day: string | null }>(
		ctx,
		'SELECT toString(maxOrNull(bucket)) AS day FROM case_stats_day WHERE bucket >= {from:Date} AND bucket < {to:Date}',
		{ from, to }
	);
	return r?.day ?? null;
}
