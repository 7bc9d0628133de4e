/** 好差评 statements of a region, inside the caller's scope (regionFilter). */
import { beijingDate } from '../../../time/working-days.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

/** Negative reviews still open: waiting within their deadline, and past it. */
export async function negativeBacklog(ctx: QueryCtx, adcode: number): Promise<{ waiting: number; late: number }> {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ waiting: number; late: number }>(
		ctx,
		`SELECT sum(open) - sum(overdue_open) AS waiting, sum(overdue_open) AS late FROM negative_review_status WHERE 1 ${andAll(f.where)}`,
		f.params
	);
	return { waiting: Number(r?.waiting ?? 0), late: Number(r?.late ?? 0) };
}

/** The six most frequent reasons of negative reviews over the Beijing days [from, to). */
export async function negativeReasons(ctx: QueryCtx, adcode: number, from: number, to: number): Promise<Array<{ tag: string; count: number }>> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<{ tag: string; count: number }>(
		ctx,
		`SELECT tag, sum(negative) AS count FROM review_reason_stats_day WHERE bucket >= {from:Date} AND bucket < {to:Date} ${andAll(f.where)}
		 GROUP BY tag ORDER BY count DESC, tag LIMIT 6`,
		{ ...f.params, from: beijingDate(from), to: beijingDate(to) }
	);
	return r.map((x) => ({ tag: x.tag, count: Number(x.count) }));
}
