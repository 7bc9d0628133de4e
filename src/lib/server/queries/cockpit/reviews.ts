/** 好差评 statements of a region, inside the caller's scope (regionFilter). */
import { beijingDate } from '../../../time/working-days.ts';
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { through, type TimeWindow } from '../../../time/windows.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

/**
 * Negative reviews open at the instant `at` (received by then, not rectified by then): waiting while their
 * deadline's Beijing date has not passed on `at`'s date, late after. The view's own open/overdue columns are
 * as of now(), so the state at `at` is read from its times.
 */
export async function negativeBacklog(ctx: QueryCtx, adcode: number, at: number): Promise<{ waiting: number; late: number }> {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ waiting: number; late: number }>(
		ctx,
		`SELECT countIf(bucket >= {today:Date}) AS waiting, countIf(bucket < {today:Date}) AS late FROM negative_review_status
		 WHERE reviewed_ts <= {at:DateTime64(3, 'UTC')} AND (rectified_ts IS NULL OR rectified_ts > {at:DateTime64(3, 'UTC')}) ${andAll(f.where)}`,
		{ ...f.params, at: clickhouseDateTime64(at), today: beijingDate(at) }
	);
	return { waiting: Number(r?.waiting ?? 0), late: Number(r?.late ?? 0) };
}

/**
 * 差评整改率's cohort (GB/T 39735): the 差评 a region received in the window capped at the instant `at`, and of
 * them those whose first rectification is stamped by `at`, from the state of each 差评 (negative_reviews, one row
 * per review once merged) — so `rectified` ≤ `negative`. Named as the rollup catalogue's measures of rectifiedRate.
 */
export async function negativeCohort(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number): Promise<{ negative: number; rectified: number }> {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ negative: number | string; rectified: number | string }>(
		ctx,
		`SELECT count() AS negative, countIf(rectified_ts <= {at:DateTime64(3, 'UTC')}) AS rectified
		 FROM (
		   SELECT review_id, max(negative_reviews.province_code) AS province_code, max(negative_reviews.city_code) AS city_code,
		          max(negative_reviews.adcode) AS adcode, max(negative_reviews.reviewed_ts) AS reviewed_ts, min(negative_reviews.rectified_ts) AS rectified_ts
		   FROM negative_reviews GROUP BY review_id
		 )
		 WHERE reviewed_ts >= {from:DateTime64(3, 'UTC')} AND reviewed_ts < {to:DateTime64(3, 'UTC')} ${andAll(f.where)}`,
		{ ...f.params, from: clickhouseDateTime64(w.from), to: clickhouseDateTime64(Math.min(w.to, through(at))), at: clickhouseDateTime64(at) }
	);
	return { negative: Number(r?.negative ?? 0), rectified: Number(r?.rectified ?? 0) };
}

// The six top 差评 reasons over a window up to an instant: negativeReasonsUpTo in so-far.ts.
