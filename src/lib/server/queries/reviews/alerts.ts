/** Inputs of the 好差评 alerts: reviews and 好评 per item or hall per Beijing day over hours of the day, and 差评 past their deadline. */
import { beijingDate } from '../../../time/working-days.ts';
import { clickhouseDateTime, clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

/**
 * Reviews and 好评 of each item (or hall: a county's counter channel) per Beijing date, counting only the
 * hours [0, hour) of each day, over [from, to) (whole hours, from review_stats_hour); a 差评 whose appeal was
 * upheld is not among the reviews.
 */
export async function unitDayTallies(
	ctx: QueryCtx,
	adcode: number,
	by: 'item' | 'hall',
	from: number,
	to: number,
	hour: number
): Promise<Array<{ unit: string; day: string; positive: number; reviews: number }>> {
	const f = regionFilter(adcode, ctx.scope);
	// Fixed text per kind, never input.
	const unit = by === 'item' ? 'item_code' : 'toString(adcode)';
	const only = by === 'hall' ? "AND channel = 'counter'" : '';
	const r = await rows<{ unit: string; day: string; positive: string; reviews: string }>(
		ctx,
		// reviews without the 差评 whose appeal was upheld (申诉成立): 好评率's denominator (reviews/figures.ts, migration 0013).
		`SELECT ${unit} AS unit, toString(toDate(bucket, 'Asia/Shanghai')) AS day, sum(positive) AS positive, sum(reviews - upheld) AS reviews FROM review_stats_hour
		 WHERE bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')} AND toHour(bucket, 'Asia/Shanghai') < {hour:UInt8} ${only} ${andAll(f.where)}
		 GROUP BY unit, day`,
		{ ...f.params, from: clickhouseDateTime(from), to: clickhouseDateTime(to), hour }
	);
	return r.map((x) => ({ unit: x.unit, day: x.day, positive: Number(x.positive), reviews: Number(x.reviews) }));
}

/** 差评 received by `at`, not rectified by then (nor taken out by an upheld appeal), whose deadline's date has passed on `at`'s date. */
export async function overdueNegatives(ctx: QueryCtx, adcode: number, at: number): Promise<number> {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ n: string }>(
		ctx,
		`SELECT count() AS n FROM (
		   SELECT review_id, max(negative_reviews.province_code) AS province_code, max(negative_reviews.city_code) AS city_code,
		          max(negative_reviews.adcode) AS adcode, max(negative_reviews.reviewed_ts) AS reviewed_ts,
		          max(negative_reviews.rectify_due_date) AS due, min(negative_reviews.rectified_ts) AS rectified_ts, min(negative_reviews.upheld_ts) AS upheld_ts
		   FROM negative_reviews GROUP BY review_id
		 )
		 WHERE reviewed_ts > toDateTime64(0, 3, 'UTC') AND reviewed_ts <= {at:DateTime64(3, 'UTC')} AND due > toDate(0) AND due < {today:Date}
		   AND NOT ifNull(rectified_ts <= {at:DateTime64(3, 'UTC')}, false) AND NOT ifNull(upheld_ts <= {at:DateTime64(3, 'UTC')}, false) ${andAll(f.where)}`,
		{ ...f.params, at: clickhouseDateTime64(at), today: beijingDate(at) }
	);
	return Number(r?.n ?? 0);
}
