/**
 * The 好差评 satisfaction index's inputs per sub-region of a region over a window
 * of Beijing days capped at the instant `at` (src/lib/time cutAt): one row per
 * unit in the methodology's columns (indices/builtins.ts), inside the caller's
 * scope (regionFilter). Counts come from so-far.ts (days, hours, then the events
 * up to `at`); 整改及时 counts 差评 received in the window whose first
 * rectification, by `at`, fell on or before their deadline's Beijing date.
 */
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { through, type TimeWindow } from '../../../time/windows.ts';
import { childColumn } from '../../planner/plan.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';
import { caseCountsUpTo, reviewActionsUpTo, reviewCountsUpTo, type Counts } from './so-far.ts';

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

export async function satisfactionInputs(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number): Promise<SatisfactionInput[]> {
	const [reviews, cases, actions, onTime] = await Promise.all([
		reviewCountsUpTo(ctx, adcode, w, at, 'child'),
		caseCountsUpTo(ctx, adcode, w, at, 'child'),
		reviewActionsUpTo(ctx, adcode, w, at, 'child'),
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
