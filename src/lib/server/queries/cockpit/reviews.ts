/** 好差评 statements of a region, inside the caller's scope (regionFilter). */
import { beijingDate } from '../../../time/working-days.ts';
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
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

// The six top 差评 reasons over a window up to an instant: negativeReasonsUpTo in so-far.ts.
