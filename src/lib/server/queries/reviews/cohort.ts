/**
 * The handling of 差评 as a cohort (GB/T 39735), one statement for /reviews and the cockpit alike: of the 差评 a
 * region received in a window (by the review's time, up to the instant `at`), how many had their appeal upheld
 * (申诉成立) by `at` — they leave every figure (src/lib/reviews/figures.ts says how) — and, of the others, how many
 * were replied to (核实 or 回复), rectified, followed up (回访), with which satisfaction, and rectified by their
 * deadline's Beijing date. Read from the state of each 差评 (negative_reviews, one row per review once merged:
 * migrations 0006, 0010, 0011), inside the caller's scope (regionFilter).
 *
 * The measures are written once here and used by every statement that counts the cohort (this one, and the
 * rankings by department, item and hall in rankings.ts, which join the same state to the review's own columns).
 */
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { through, type TimeWindow } from '../../../time/windows.ts';
import { beijingDate } from '../../../time/working-days.ts';
import { childColumn } from '../../planner/plan.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

const AT = "{at:DateTime64(3, 'UTC')}";
/** The 差评's appeal was upheld by the instant: out of the figures. */
const UPHELD = `ifNull(upheld_ts <= ${AT}, false)`;
const COUNTED = `NOT ${UPHELD}`;

/**
 * Each measure of the cohort over the merged state of a 差评 (columns upheld_ts, replied_ts, rectified_ts,
 * followed_up_ts, follow_up_satisfaction, rectify_due_date), with `{at}` bound. Fixed text, never input.
 */
export const COHORT_MEASURES = {
	/** 差评 received (upheld appeals included). */
	negative: 'count()',
	upheld: `countIf(${UPHELD})`,
	/** Replied to: the first 核实 (verify) or 回复 (reply) by the instant. */
	replied: `countIf(${COUNTED} AND replied_ts <= ${AT})`,
	rectified: `countIf(${COUNTED} AND rectified_ts <= ${AT})`,
	followed_up: `countIf(${COUNTED} AND followed_up_ts <= ${AT})`,
	/** Followed up with 回访整改满意度 基本满意 or better (isSatisfied in reviews/state.ts). */
	satisfied: `countIf(${COUNTED} AND followed_up_ts <= ${AT} AND follow_up_satisfaction >= 3)`,
	/** Followed up with a satisfaction given. */
	rated: `countIf(${COUNTED} AND followed_up_ts <= ${AT} AND follow_up_satisfaction IS NOT NULL)`,
	rectified_on_time: `countIf(${COUNTED} AND rectify_due_date > toDate(0) AND rectified_ts <= ${AT} AND toDate(rectified_ts, 'Asia/Shanghai') <= rectify_due_date)`,
	with_deadline: `countIf(${COUNTED} AND rectify_due_date > toDate(0))`
} as const;

export type CohortMeasure = keyof typeof COHORT_MEASURES;
export type CohortCounts = Record<CohortMeasure, number>;

/** The measures as SELECT terms. */
export const cohortSelect = (): string =>
	Object.entries(COHORT_MEASURES)
		.map(([name, sql]) => `${sql} AS ${name}`)
		.join(', ');

export const cohortCounts = (r: Record<string, unknown> | undefined): CohortCounts =>
	Object.fromEntries(Object.keys(COHORT_MEASURES).map((k) => [k, Number(r?.[k] ?? 0)])) as CohortCounts;

/** The state of each 差评: negative_reviews merged to one row per review (a replayed row repeats its values). */
export const NEGATIVE_REVIEW_STATE = `(
	SELECT review_id, max(negative_reviews.province_code) AS province_code, max(negative_reviews.city_code) AS city_code,
	       max(negative_reviews.adcode) AS adcode, max(negative_reviews.reviewed_ts) AS reviewed_ts,
	       max(negative_reviews.rectify_due_date) AS rectify_due_date, min(negative_reviews.rectified_ts) AS rectified_ts,
	       min(negative_reviews.replied_ts) AS replied_ts, min(negative_reviews.followed_up_ts) AS followed_up_ts,
	       max(negative_reviews.follow_up_satisfaction) AS follow_up_satisfaction, min(negative_reviews.upheld_ts) AS upheld_ts
	FROM negative_reviews GROUP BY review_id
)`;

/** How the cohort is split: one total, per sub-region (the planner's child column), or per Beijing date received. */
export type CohortSplit = 'total' | 'child' | 'day';

function keyOf(by: CohortSplit, adcode: number): string {
	if (by === 'total') return "'total'";
	if (by === 'child') return `toString(${childColumn(adcode)})`;
	return "toString(toDate(reviewed_ts, 'Asia/Shanghai'))";
}

/**
 * The cohort of the 差评 received in the window [w.from, w.to) capped at the instant `at` (inclusive), and its
 * handling by `at`, split as asked.
 */
export async function negativeCohortCounts(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number, by: CohortSplit): Promise<Map<string, CohortCounts>> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<Record<string, unknown>>(
		ctx,
		`SELECT ${keyOf(by, adcode)} AS key, ${cohortSelect()}
		 FROM ${NEGATIVE_REVIEW_STATE}
		 WHERE reviewed_ts > toDateTime64(0, 3, 'UTC') AND reviewed_ts >= {from:DateTime64(3, 'UTC')} AND reviewed_ts < {to:DateTime64(3, 'UTC')} ${andAll(f.where)}
		 GROUP BY key`,
		{ ...f.params, from: clickhouseDateTime64(w.from), to: clickhouseDateTime64(Math.min(w.to, through(at))), at: clickhouseDateTime64(at) }
	);
	return new Map(r.map((x) => [String(x.key), cohortCounts(x)]));
}

/**
 * The 差评 backlog at the instant `at` (待整改): 差评 with a deadline received by then, neither rectified nor
 * taken out by an upheld appeal by then — waiting while their deadline's Beijing date has not passed on `at`'s
 * Beijing date, late after.
 */
export async function negativeBacklog(ctx: QueryCtx, adcode: number, at: number): Promise<{ waiting: number; late: number }> {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ waiting: number | string; late: number | string }>(
		ctx,
		`SELECT countIf(rectify_due_date >= {today:Date}) AS waiting, countIf(rectify_due_date < {today:Date}) AS late
		 FROM ${NEGATIVE_REVIEW_STATE}
		 WHERE reviewed_ts > toDateTime64(0, 3, 'UTC') AND reviewed_ts <= ${AT} AND rectify_due_date > toDate(0)
		   AND NOT ifNull(rectified_ts <= ${AT}, false) AND ${COUNTED} ${andAll(f.where)}`,
		{ ...f.params, at: clickhouseDateTime64(at), today: beijingDate(at) }
	);
	return { waiting: Number(r?.waiting ?? 0), late: Number(r?.late ?? 0) };
}
