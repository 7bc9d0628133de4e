/**
 * Counts behind the 好差评 overview of a region, per Beijing day, inside the caller's scope (regionFilter):
 * reviews from the review rollup, completed cases from the case rollup, and the handling of each 差评 as a
 * cohort from negative_reviews (one row per 差评 once grouped: migrations 0006, 0010, 0011). A 差评 whose appeal
 * was upheld by the instant is counted apart (`upheld`) so the figures can leave it out of their denominators.
 */
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, identifier, rows, type QueryCtx } from '../statement.ts';
import { rollupTable } from '../cockpit/so-far.ts';

export interface ReviewDay {
	bucket: string;
	reviews: number;
	positive: number;
	negative: number;
}

/** Reviews, 好评 and 差评 per Beijing day from the smallest review day rollup that answers (the catalogue's table decider). */
export async function reviewDays(ctx: QueryCtx, adcode: number, from: string, to: string): Promise<ReviewDay[]> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<{ bucket: string; reviews: string; positive: string; negative: string }>(
		ctx,
		`SELECT bucket, sum(reviews) AS reviews, sum(positive) AS positive, sum(negative) AS negative FROM ${identifier(rollupTable('reviews', 'day', adcode, 'total', ctx.scope))}
		 WHERE bucket >= {from:Date} AND bucket <= {to:Date} ${andAll(f.where)} GROUP BY bucket ORDER BY bucket`,
		{ ...f.params, from, to }
	);
	return r.map((x) => ({ bucket: x.bucket, reviews: Number(x.reviews), positive: Number(x.positive), negative: Number(x.negative) }));
}

/** Completed cases (办结) per Beijing day from the smallest case day rollup that answers. */
export async function completedDays(ctx: QueryCtx, adcode: number, from: string, to: string): Promise<Map<string, number>> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<{ bucket: string; completed: string }>(
		ctx,
		`SELECT bucket, sum(completed) AS completed FROM ${identifier(rollupTable('cases', 'day', adcode, 'total', ctx.scope))}
		 WHERE bucket >= {from:Date} AND bucket <= {to:Date} ${andAll(f.where)} GROUP BY bucket ORDER BY bucket`,
		{ ...f.params, from, to }
	);
	return new Map(r.map((x) => [x.bucket, Number(x.completed)]));
}

export interface HandlingDay {
	bucket: string;
	/** 差评 received that day (upheld appeals included). */
	negative: number;
	/** Of them, appeals upheld by the instant: out of the figures. */
	upheld: number;
	/** Of the rest, by the instant: */
	replied: number;
	rectified: number;
	followed_up: number;
	/** Followed up with 回访整改满意度 基本满意 or better. */
	satisfied: number;
	/** Followed up with a satisfaction given. */
	rated: number;
	/** Rectified on or before the deadline's Beijing date. */
	rectified_on_time: number;
	/** With a known deadline. */
	with_deadline: number;
}

/** The 差评 cohort of each Beijing day received in [from, to] and its handling by the instant `at`. */
export async function handlingDays(ctx: QueryCtx, adcode: number, from: string, to: string, at: number): Promise<HandlingDay[]> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<Record<string, string>>(
		ctx,
		`SELECT toString(toDate(reviewed_ts, 'Asia/Shanghai')) AS bucket, count() AS negative,
		        countIf(upheld_ts <= {at:DateTime64(3, 'UTC')}) AS upheld,
		        countIf(NOT ifNull(upheld_ts <= {at:DateTime64(3, 'UTC')}, false) AND replied_ts <= {at:DateTime64(3, 'UTC')}) AS replied,
		        countIf(NOT ifNull(upheld_ts <= {at:DateTime64(3, 'UTC')}, false) AND rectified_ts <= {at:DateTime64(3, 'UTC')}) AS rectified,
		        countIf(NOT ifNull(upheld_ts <= {at:DateTime64(3, 'UTC')}, false) AND followed_up_ts <= {at:DateTime64(3, 'UTC')}) AS followed_up,
		        countIf(NOT ifNull(upheld_ts <= {at:DateTime64(3, 'UTC')}, false) AND followed_up_ts <= {at:DateTime64(3, 'UTC')} AND follow_up_satisfaction >= 3) AS satisfied,
		        countIf(NOT ifNull(upheld_ts <= {at:DateTime64(3, 'UTC')}, false) AND followed_up_ts <= {at:DateTime64(3, 'UTC')} AND follow_up_satisfaction IS NOT NULL) AS rated,
		        countIf(NOT ifNull(upheld_ts <= {at:DateTime64(3, 'UTC')}, false) AND rectify_due_date > toDate(0) AND rectified_ts <= {at:DateTime64(3, 'UTC')}
		                AND toDate(rectified_ts, 'Asia/Shanghai') <= rectify_due_date) AS rectified_on_time,
		        countIf(NOT ifNull(upheld_ts <= {at:DateTime64(3, 'UTC')}, false) AND rectify_due_date > toDate(0)) AS with_deadline
		 FROM (
		   SELECT review_id, max(negative_reviews.province_code) AS province_code, max(negative_reviews.city_code) AS city_code,
		          max(negative_reviews.adcode) AS adcode, max(negative_reviews.reviewed_ts) AS reviewed_ts,
		          max(negative_reviews.rectify_due_date) AS rectify_due_date, min(negative_reviews.rectified_ts) AS rectified_ts,
		          min(negative_reviews.replied_ts) AS replied_ts, min(negative_reviews.followed_up_ts) AS followed_up_ts,
		          max(negative_reviews.follow_up_satisfaction) AS follow_up_satisfaction, min(negative_reviews.upheld_ts) AS upheld_ts
		   FROM negative_reviews GROUP BY review_id
		 )
		 WHERE reviewed_ts > toDateTime64(0, 3, 'UTC') AND toDate(reviewed_ts, 'Asia/Shanghai') >= {from:Date} AND toDate(reviewed_ts, 'Asia/Shanghai') <= {to:Date}
		   AND reviewed_ts <= {at:DateTime64(3, 'UTC')} ${andAll(f.where)}
		 GROUP BY bucket ORDER BY bucket`,
		{ ...f.params, from, to, at: clickhouseDateTime64(at) }
	);
	return r.map((x) => ({
		bucket: x.bucket!,
		negative: Number(x.negative),
		upheld: Number(x.upheld),
		replied: Number(x.replied),
		rectified: Number(x.rectified),
		followed_up: Number(x.followed_up),
		satisfied: Number(x.satisfied),
		rated: Number(x.rated),
		rectified_on_time: Number(x.rectified_on_time),
		with_deadline: Number(x.with_deadline)
	}));
}
