/**
 * The 好差评 satisfaction index's inputs per sub-region of a region over the
 * Beijing days [from, to): one row per unit in the methodology's columns
 * (indices/builtins.ts), inside the caller's scope (regionFilter).
 */
import { beijingDate } from '../../../time/working-days.ts';
import { childColumn } from '../../planner/plan.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

export type SatisfactionInput = Record<string, string | number>;

export async function satisfactionInputs(ctx: QueryCtx, adcode: number, from: number, to: number): Promise<SatisfactionInput[]> {
	const f = regionFilter(adcode, ctx.scope);
	// A column name from a fixed list (the planner's), never input: the sub-region of this level.
	const child = childColumn(adcode);
	const and = andAll(f.where);
	const params = { ...f.params, from: beijingDate(from), to: beijingDate(to) };
	const period = 'bucket >= {from:Date} AND bucket < {to:Date}';
	const lists = await Promise.all([
		rows<Record<string, number>>(
			ctx,
			`SELECT ${child} AS unit, sum(reviews) AS reviews, sum(positive) AS positive, sum(negative) AS negative FROM review_region_stats_day WHERE ${period} ${and} GROUP BY unit`,
			params
		),
		rows<Record<string, number>>(
			ctx,
			`SELECT ${child} AS unit, sum(completed) AS completed_cases FROM case_region_stats_day WHERE ${period} ${and} GROUP BY unit`,
			params
		),
		rows<Record<string, number>>(
			ctx,
			`SELECT ${child} AS unit, sum(verified) AS replied, sum(rectified) AS rectified, sum(followed_up) AS followed_up FROM review_action_stats_day WHERE ${period} ${and} GROUP BY unit`,
			params
		),
		rows<Record<string, number>>(
			ctx,
			`SELECT ${child} AS unit, countIf(rectified_ts IS NOT NULL AND overdue = 0) AS rectified_on_time FROM negative_review_status WHERE toDate(reviewed_ts, 'Asia/Shanghai') >= {from:Date} AND toDate(reviewed_ts, 'Asia/Shanghai') < {to:Date} ${and} GROUP BY unit`,
			params
		)
	]);
	const units = new Map<number, SatisfactionInput>();
	for (const list of lists) {
		for (const r of list) {
			const u = Number(r.unit);
			const row = units.get(u) ?? {
				unit: String(u),
				reviews: 0,
				positive: 0,
				negative: 0,
				completed_cases: 0,
				replied: 0,
				rectified: 0,
				followed_up: 0,
				rectified_on_time: 0
			};
			for (const [k, v] of Object.entries(r)) if (k !== 'unit') row[k] = Number(v);
			units.set(u, row);
		}
	}
	for (const row of units.values()) row.reviewed_cases = row.reviews!;
	return [...units.values()].filter((r) => Number(r.reviews) > 0);
}
