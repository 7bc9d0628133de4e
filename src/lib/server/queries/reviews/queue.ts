/** The 差评 of a region for the queue and one review's timeline, inside the caller's scope. */
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import type { QueueReview } from '../../../reviews/queue.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

/** The most 差评 one queue call reads: the newest first beyond it (the reply says it was cut). */
export const QUEUE_READ_CAP = 20_000;

export interface QueueSelection {
	/** Received at or after (epoch ms). */
	since: number;
	at: number;
	item?: string;
	department?: string;
	channel?: string;
}

interface Raw {
	review_id: string;
	case_id: string;
	ms: string;
	adcode: number;
	department: string;
	item_code: string;
	channel: string;
	rating: number;
	tags: string[];
	comment: string;
	due: string | null;
}

const toReview = (r: Raw): QueueReview => ({
	...r,
	ts: Number(r.ms),
	adcode: Number(r.adcode),
	rating: Number(r.rating),
	due: r.due === '1970-01-01' ? null : r.due
});

/** 差评 received in [since, at] (each review id once), newest first, at most QUEUE_READ_CAP + 1. */
export async function negativeReviews(ctx: QueryCtx, adcode: number, s: QueueSelection): Promise<QueueReview[]> {
	const f = regionFilter(adcode, ctx.scope);
	const where = [...f.where];
	const params: Record<string, unknown> = { ...f.params, since: clickhouseDateTime64(s.since), at: clickhouseDateTime64(s.at), cap: QUEUE_READ_CAP + 1 };
	if (s.item !== undefined) {
		where.push('item_code = {item:String}');
		params.item = s.item;
	}
	if (s.department !== undefined) {
		where.push('department = {department:String}');
		params.department = s.department;
	}
	if (s.channel !== undefined) {
		where.push('channel = {channel:String}');
		params.channel = s.channel;
	}
	const r = await rows<Raw>(
		ctx,
		`SELECT review_id, case_id, toUnixTimestamp64Milli(ts) AS ms, adcode, department, item_code, toString(channel) AS channel, rating, tags, comment,
		        toString(rectify_due_date) AS due
		 FROM reviews
		 WHERE rating <= 2 AND ts >= {since:DateTime64(3, 'UTC')} AND ts <= {at:DateTime64(3, 'UTC')} ${andAll(where)}
		 ORDER BY ts DESC, review_id LIMIT 1 BY review_id LIMIT {cap:UInt32}`,
		params
	);
	return r.map(toReview);
}

/** One review wherever it is (its region decides whether the caller may see it). */
export async function reviewById(ctx: Pick<QueryCtx, 'warehouse'>, reviewId: string): Promise<(QueueReview & { rating: number }) | undefined> {
	const [r] = await rows<Raw>(
		ctx,
		`SELECT review_id, case_id, toUnixTimestamp64Milli(ts) AS ms, adcode, department, item_code, toString(channel) AS channel, rating, tags, comment,
		        toString(rectify_due_date) AS due
		 FROM reviews WHERE review_id = {id:String} ORDER BY ingested_at LIMIT 1`,
		{ id: reviewId }
	);
	return r ? toReview(r) : undefined;
}

export interface TimelineAction {
	action_id: string;
	action: string;
	ms: number;
	outcome: string;
	satisfaction: number | null;
	source: string;
}

/** A review's actions in time order (each action id once). */
export async function reviewActions(ctx: Pick<QueryCtx, 'warehouse'>, reviewId: string): Promise<TimelineAction[]> {
	const r = await rows<{ action_id: string; action: string; ms: string; outcome: string; satisfaction: number | null; source: string }>(
		ctx,
		`SELECT action_id, toString(action) AS action, toUnixTimestamp64Milli(ts) AS ms, outcome, satisfaction, source FROM review_actions
		 WHERE review_id = {id:String} ORDER BY ts, action_id LIMIT 1 BY action_id`,
		{ id: reviewId }
	);
	return r.map((x) => ({ ...x, ms: Number(x.ms), satisfaction: x.satisfaction === null ? null : Number(x.satisfaction) }));
}
