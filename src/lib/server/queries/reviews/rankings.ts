/**
 * The satisfaction index's inputs per unit of a region over Beijing dates [from, to], inside the caller's scope:
 * reviews from review_stats_day, completed cases from case_stats_day, and the handling of each 差评 (a cohort
 * by the date received, by the instant `at`) from negative_reviews joined to the review's department, item and
 * channel, counted by the cohort's measures (cohort.ts). Upheld appeals leave the reviews, the 差评 and the handling
 * counts (reviews/figures.ts countedReviews).
 *
 * Units: department (部门), item (事项编码), region (the sub-regions, the planner's child column) and hall (大厅).
 * The feed names no hall: a hall is identified as the counter channel (窗口) of a county-level region — the
 * 区县政务服务中心 where windows are — so `hall` units are the adcodes of counter reviews.
 */
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { childColumn } from '../../planner/plan.ts';
import { regionFilter } from '../../scope.ts';
import { countedReviews } from '../../../reviews/figures.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';
import { cohortSelect } from './cohort.ts';

export type RankBy = 'department' | 'item' | 'region' | 'hall';

/** The unit's column and the rows it keeps (fixed text per kind, never input). */
function unitOf(by: RankBy, adcode: number): { column: string; where: string } {
	switch (by) {
		case 'department':
			return { column: 'department', where: '' };
		case 'item':
			return { column: 'item_code', where: '' };
		case 'region':
			return { column: `toString(${childColumn(adcode)})`, where: '' };
		case 'hall':
			return { column: 'toString(adcode)', where: "AND channel = 'counter'" };
	}
}

export interface UnitRow {
	unit: string;
	reviews: number;
	positive: number;
	negative: number;
	completed_cases: number;
	upheld: number;
	replied: number;
	rectified: number;
	followed_up: number;
	rectified_on_time: number;
}

/** The counts of each unit (reviews and 差评 with upheld appeals already taken out). */
export async function unitCounts(ctx: QueryCtx, adcode: number, by: RankBy, from: string, to: string, at: number): Promise<UnitRow[]> {
	const f = regionFilter(adcode, ctx.scope);
	const u = unitOf(by, adcode);
	const params = { ...f.params, from, to, at: clickhouseDateTime64(at) };
	const [reviews, cases, handling] = await Promise.all([
		rows<{ unit: string; reviews: string; positive: string; negative: string }>(
			ctx,
			`SELECT ${u.column} AS unit, sum(reviews) AS reviews, sum(positive) AS positive, sum(negative) AS negative FROM review_stats_day
			 WHERE bucket >= {from:Date} AND bucket <= {to:Date} ${u.where} ${andAll(f.where)} GROUP BY unit`,
			params
		),
		rows<{ unit: string; completed: string }>(
			ctx,
			`SELECT ${u.column} AS unit, sum(completed) AS completed FROM case_stats_day
			 WHERE bucket >= {from:Date} AND bucket <= {to:Date} ${u.where} ${andAll(f.where)} GROUP BY unit`,
			params
		),
		// One row per 差评 (a replayed review repeats its values), grouped by the columns rather than any(x) AS x: the
		// region filter names these columns, and an alias of the same name would put an aggregate in WHERE (a scoped
		// caller got 'aggregate function found in WHERE'; a SETTINGS clause cannot help, the reader is readonly).
		rows<Record<string, string>>(
			ctx,
			`SELECT ${u.column} AS unit, ${cohortSelect()}
			 FROM (
			   SELECT review_id, department, item_code, channel, province_code, city_code, adcode
			   FROM reviews
			   WHERE rating <= 2 AND toDate(ts, 'Asia/Shanghai') >= {from:Date} AND toDate(ts, 'Asia/Shanghai') <= {to:Date}
			     AND ts <= {at:DateTime64(3, 'UTC')} ${andAll(f.where)}
			   GROUP BY review_id, department, item_code, channel, province_code, city_code, adcode
			 ) AS r
			 INNER JOIN (
			   SELECT review_id, min(rectified_ts) AS rectified_ts, min(replied_ts) AS replied_ts, min(followed_up_ts) AS followed_up_ts,
			          max(follow_up_satisfaction) AS follow_up_satisfaction, min(upheld_ts) AS upheld_ts, max(rectify_due_date) AS rectify_due_date
			   FROM negative_reviews
			   WHERE review_id IN (SELECT review_id FROM reviews WHERE rating <= 2 AND toDate(ts, 'Asia/Shanghai') >= {from:Date} AND toDate(ts, 'Asia/Shanghai') <= {to:Date} ${andAll(f.where)})
			   GROUP BY review_id
			 ) AS n USING review_id
			 WHERE 1 ${u.where} GROUP BY unit`,
			params
		)
	]);
	const units = new Map<string, UnitRow>();
	const get = (unit: string) => {
		let x = units.get(unit);
		if (!x)
			units.set(
				unit,
				(x = { unit, reviews: 0, positive: 0, negative: 0, completed_cases: 0, upheld: 0, replied: 0, rectified: 0, followed_up: 0, rectified_on_time: 0 })
			);
		return x;
	};
	for (const r of reviews) Object.assign(get(r.unit), { reviews: Number(r.reviews), positive: Number(r.positive), negative: Number(r.negative) });
	for (const r of cases) get(r.unit).completed_cases = Number(r.completed);
	for (const r of handling)
		Object.assign(get(r.unit!), {
			upheld: Number(r.upheld),
			replied: Number(r.replied),
			rectified: Number(r.rectified),
			followed_up: Number(r.followed_up),
			rectified_on_time: Number(r.rectified_on_time)
		});
	for (const x of units.values()) Object.assign(x, countedReviews(x));
	return [...units.values()].filter((x) => x.reviews > 0);
}

/** Names of service items (事项) from the catalogue. */
export async function itemNames(ctx: QueryCtx, codes: readonly string[]): Promise<Map<string, string>> {
	if (codes.length === 0) return new Map();
	const r = await rows<{ item_code: string; item_name: string }>(
		ctx,
		`SELECT item_code, argMax(item_name, last_seen) AS item_name FROM service_items WHERE item_code IN {codes:Array(String)} GROUP BY item_code`,
		{ codes: [...codes] }
	);
	return new Map(r.map((x) => [x.item_code, x.item_name]));
}
