/**
 * The 好差评 satisfaction index's inputs per sub-region of a region over a window
 * of Beijing days capped at the instant `at` (src/lib/time cutAt): one row per
 * unit in the methodology's columns (indices/builtins.ts), inside the caller's
 * scope (regionFilter). Review and case counts come from so-far.ts (days, hours,
 * then the events up to `at`). The handling of 差评 is counted as a cohort (GB/T
 * 39735), so each rate stays within 100 %: of the 差评 received in the window,
 * those replied to (核实), rectified and followed up by `at`; 整改及时 those whose
 * first rectification, by `at`, fell on or before their deadline's Beijing date.
 * (Actions dated in the window, ÷ 差评 received in it, counted older 差评's too.)
 */
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { through, type TimeWindow } from '../../../time/windows.ts';
import { childColumn } from '../../planner/plan.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';
import { caseCountsUpTo, reviewCountsUpTo, type Counts } from './so-far.ts';

export type SatisfactionInput = Record<string, string | number>;

async function rectifiedOnTime(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number): Promise<Map<string, Counts>> {
	const f = regionFilter(adcode, ctx.scope);
	// A column name from a fixed list (the planner's), never input: the sub-region of this level.
	const r = await rows<{ unit: number; rectified_on_time: number | string }>(
		ctx,
		`SELECT ${childColumn(adcode)} AS unit, count() AS rectified_on_time FROM negative_review_status
		 WHERE reviewed_ts >= {from:DateTime64(3, 'UTC')} AND reviewed_ts < {to:DateTime64(3, 'UTC')}
		   AND rectified_ts <= {at:DateTime64(3, 'UTC')} AND toDate(rectified_ts, 'Asia/Shanghai') <= bucket ${andAll(f.where)}
		 GROUP BY unit`,
		{ ...f.params, from: clickhouseDateTime64(w.from), to: clickhouseDateTime64(Math.min(w.to, through(at))), at: clickhouseDateTime64(at) }
	);
	return new Map(r.map((x) => [String(x.unit), { rectified_on_time: Number(x.rectified_on_time) }]));
}

/** Of the 差评 received in the window, those with a reply (核实), a rectification and a follow-up by `at`, per sub-region. */
async function negativeHandled(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number): Promise<Map<string, Counts>> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<{ unit: number; replied: number | string; rectified: number | string; followed_up: number | string }>(
		ctx,
		`SELECT ${childColumn(adcode)} AS unit,
		        countIf(review_id IN (SELECT review_id FROM review_actions WHERE action = 'verify' AND ts <= {at:DateTime64(3, 'UTC')})) AS replied,
		        countIf(rectified_ts <= {at:DateTime64(3, 'UTC')}) AS rectified,
		        countIf(review_id IN (SELECT review_id FROM review_actions WHERE action = 'follow_up' AND ts <= {at:DateTime64(3, 'UTC')})) AS followed_up
		 FROM (
		   SELECT review_id, max(negative_reviews.province_code) AS province_code, max(negative_reviews.city_code) AS city_code,
		          max(negative_reviews.adcode) AS adcode, max(negative_reviews.reviewed_ts) AS reviewed_ts, min(negative_reviews.rectified_ts) AS rectified_ts
		   FROM negative_reviews GROUP BY review_id
		 )
		 WHERE reviewed_ts >= {from:DateTime64(3, 'UTC')} AND reviewed_ts < {to:DateTime64(3, 'UTC')} ${andAll(f.where)}
		 GROUP BY unit`,
		{ ...f.params, from: clickhouseDateTime64(w.from), to: clickhouseDateTime64(Math.min(w.to, through(at))), at: clickhouseDateTime64(at) }
	);
	return new Map(r.map((x) => [String(x.unit), { verified: Number(x.replied), rectified: Number(x.rectified), followed_up: Number(x.followed_up) }]));
}

export async function satisfactionInputs(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number): Promise<SatisfactionInput[]> {
	const [reviews, cases, actions, onTime] = await Promise.all([
		reviewCountsUpTo(ctx, adcode, w, at, 'child'),
		caseCountsUpTo(ctx, adcode, w, at, 'child'),
		negativeHandled(ctx, adcode, w, at),
		rectifiedOnTime(ctx, adcode, w, at)
	]);
	// The methodology's column names for the counts.
	const lists: Array<Array<Record<string, number>>> = [
		[...reviews].map(([unit, c]) => ({ unit: Number(unit), reviews: c.reviews!, positive: c.positive!, negative: c.negative! })),
		[...cases].map(([unit, c]) => ({ unit: Number(unit), completed_cases: c.completed! })),
		[...actions].map(([unit, c]) => ({ unit: Number(unit), replied: c.verified!, rectified: c.rectified!, followed_up: c.followed_up! })),
		[...onTime].map(([unit, c]) => ({ unit: Number(unit), rectified_on_time: c.rectified_on_time! }))
	];
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
