/** Inputs of the 差评 topics: tag counts aggregated in the warehouse, and the newest comments (bounded) to segment. */
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

/** Comments segmented per call, newest first: the work stays bounded whatever the period. */
export const TOPIC_COMMENT_CAP = 3000;

export interface TopicRow {
	review_id: string;
	ms: number;
	item_code: string;
	adcode: number;
	channel: string;
	tags: string[];
	comment: string;
}

/** The 差评 of [from, to] (Beijing dates) with a comment or tags, newest first, at most TOPIC_COMMENT_CAP. */
export async function negativeComments(ctx: QueryCtx, adcode: number, from: string, to: string, item?: string): Promise<TopicRow[]> {
	const f = regionFilter(adcode, ctx.scope);
	const where = [...f.where];
	const params: Record<string, unknown> = { ...f.params, from, to, cap: TOPIC_COMMENT_CAP };
	if (item !== undefined) {
		where.push('item_code = {item:String}');
		params.item = item;
	}
	const r = await rows<Omit<TopicRow, 'ms'> & { ms: string }>(
		ctx,
		`SELECT review_id, toUnixTimestamp64Milli(ts) AS ms, item_code, adcode, toString(channel) AS channel, tags, comment FROM reviews
		 WHERE rating <= 2 AND toDate(ts, 'Asia/Shanghai') >= {from:Date} AND toDate(ts, 'Asia/Shanghai') <= {to:Date}
		   AND (comment != '' OR notEmpty(tags)) ${andAll(where)}
		 ORDER BY ts DESC LIMIT 1 BY review_id LIMIT {cap:UInt32}`,
		params
	);
	return r.map((x) => ({ ...x, ms: Number(x.ms), adcode: Number(x.adcode) }));
}

/** 差评 reasons (tags) of the whole period, counted in the warehouse (review_reason_stats_day). */
export async function reasonCounts(ctx: QueryCtx, adcode: number, from: string, to: string): Promise<Array<{ tag: string; negative: number }>> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<{ tag: string; negative: string }>(
		ctx,
		`SELECT tag, sum(negative) AS negative FROM review_reason_stats_day
		 WHERE bucket >= {from:Date} AND bucket <= {to:Date} ${andAll(f.where)} GROUP BY tag ORDER BY negative DESC, tag LIMIT 50`,
		{ ...f.params, from, to }
	);
	return r.map((x) => ({ tag: x.tag, negative: Number(x.negative) }));
}
