/**
 * The 好差评 workbench's answers (issue 15), for the `reviews` router and the export routes: the overview's
 * figures, the rankings with their rank ranges, the 差评 queue, a review's timeline and the topics. Every read
 * is inside the caller's scope (the queries apply regionFilter; a single review is checked by its region).
 */
import { TRPCError } from '@trpc/server';
import { beijingDate } from '../../time/working-days.ts';
import { DAY_MS } from '../../time/beijing-time.ts';
import { oneYearEarlier } from '../../time/windows.ts';
import { maskPersonalData } from '../../privacy/mask.ts';
import { parentOf } from '../../regions/index.ts';
import { FIGURES, total, valueOf, weeks, ZERO, type DayCounts, type FigureId } from '../../reviews/figures.ts';
import { rankUnits, type RankedUnit } from '../../reviews/ranking.ts';
import { entries, filterEntries, page, type QueueEntry, type QueueFilter, type QueueSort } from '../../reviews/queue.ts';
import { ACTION_LABELS, STATE_LABELS, UI_PREFIX, type ReviewAction, type ReviewState } from '../../reviews/state.ts';
import { summarise, type TopicSummary } from '../../reviews/topics.ts';
import { assertInScope, inScope } from '../scope.ts';
import type { QueryCtx } from '../queries/statement.ts';
import { completedDays, handlingDays, reviewDays } from '../queries/reviews/summary.ts';
import { itemNames, unitCounts, type RankBy } from '../queries/reviews/rankings.ts';
import { negativeReviews, QUEUE_READ_CAP, reviewActions, reviewById, type QueueSelection } from '../queries/reviews/queue.ts';
import { storedActions } from '../queries/reviews/actions.ts';
import { negativeComments, reasonCounts, TOPIC_COMMENT_CAP } from '../queries/reviews/topics.ts';
import { regionsByCode } from '../queries/regions/index.ts';
import { segment, topicDictionary } from './segment.ts';
import { spikes } from './alerts.ts';

const dateShift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const lastYear = (date: string) => beijingDate(oneYearEarlier(Date.parse(`${date}T04:00:00Z`)));

export interface Period {
	adcode: number;
	/** Beijing dates, inclusive. */
	from: string;
	to: string;
}

/** Daily counts of a region over [from, to], every date present. */
async function dailyCounts(ctx: QueryCtx, adcode: number, from: string, to: string, at: number): Promise<DayCounts[]> {
	const [reviews, completed, handling] = await Promise.all([
		reviewDays(ctx, adcode, from, to),
		completedDays(ctx, adcode, from, to),
		handlingDays(ctx, adcode, from, to, at)
	]);
	const r = new Map(reviews.map((x) => [x.bucket, x]));
	const h = new Map(handling.map((x) => [x.bucket, x]));
	const out: DayCounts[] = [];
	for (let d = from; d <= to; d = dateShift(d, 1)) {
		const rv = r.get(d);
		const hd = h.get(d);
		out.push({
			date: d,
			...ZERO,
			reviews: rv?.reviews ?? 0,
			positive: rv?.positive ?? 0,
			negative: rv?.negative ?? 0,
			completed: completed.get(d) ?? 0,
			cohort: hd?.negative ?? 0,
			upheld: hd?.upheld ?? 0,
			replied: hd?.replied ?? 0,
			rectified: hd?.rectified ?? 0,
			followed_up: hd?.followed_up ?? 0,
			satisfied: hd?.satisfied ?? 0,
			rated: hd?.rated ?? 0,
			rectified_on_time: hd?.rectified_on_time ?? 0,
			with_deadline: hd?.with_deadline ?? 0
		});
	}
	return out;
}

export interface SummaryFigure {
	id: FigureId;
	nameZh: string;
	unit: '%' | '条';
	polarity: 1 | -1;
	definition: string;
	value: number | null;
	numerator: number;
	denominator: number;
	/** The same dates a year earlier (同比). */
	lastYear: number | null;
	/** The parent region's value (null: the nation itself, or a parent outside the caller's scope). */
	parent: number | null;
	day: Array<{ date: string; value: number | null }>;
	/** Weeks from Monday (the first and last may be partial). */
	week: Array<{ week: string; value: number | null }>;
}

export interface Summary {
	adcode: number;
	parentAdcode: number | null;
	from: string;
	to: string;
	/** Epoch ms the handling was counted up to. */
	at: number;
	figures: SummaryFigure[];
}

export async function summary(ctx: QueryCtx, p: Period, at = Date.now()): Promise<Summary> {
	const parent = parentOf(p.adcode);
	// A province's parent is the nation (0), visible to a caller who sees everything.
	const parentAdcode = parent !== undefined && inScope(parent, ctx.scope) ? parent : null;
	const [days, before, up] = await Promise.all([
		dailyCounts(ctx, p.adcode, p.from, p.to, at),
		dailyCounts(ctx, p.adcode, lastYear(p.from), lastYear(p.to), at),
		parentAdcode === null ? Promise.resolve(null) : dailyCounts(ctx, parentAdcode, p.from, p.to, at)
	]);
	const sum = total(days);
	const sumBefore = total(before);
	const sumUp = up ? total(up) : null;
	const byWeek = weeks(days);
	return {
		adcode: p.adcode,
		parentAdcode,
		from: p.from,
		to: p.to,
		at,
		figures: FIGURES.map((f) => {
			const [numerator, denominator] = f.of(sum);
			return {
				id: f.id,
				nameZh: f.nameZh,
				unit: f.unit,
				polarity: f.polarity,
				definition: f.definition,
				value: valueOf(f, sum),
				numerator,
				denominator,
				lastYear: before.some((d) => d.reviews > 0 || d.completed > 0) ? valueOf(f, sumBefore) : null,
				parent: sumUp ? valueOf(f, sumUp) : null,
				day: days.map((d) => ({ date: d.date, value: valueOf(f, d) })),
				week: byWeek.map((w) => ({ week: w.date, value: valueOf(f, w) }))
			};
		})
	};
}

export interface Rankings {
	adcode: number;
	by: RankBy;
	from: string;
	to: string;
	/** What a unit is, in words (a hall is identified by its region's counter channel). */
	unitNote: string;
	rows: RankedUnit[];
}

const UNIT_NOTES: Record<RankBy, string> = {
	department: '按办理部门',
	item: '按政务服务事项',
	region: '按下级地区',
	hall: '按大厅：数据未标注大厅，以区县的窗口渠道评价代表该区县政务服务大厅'
};

export async function rankings(ctx: QueryCtx, p: Period & { by: RankBy }, at = Date.now()): Promise<Rankings> {
	const counts = await unitCounts(ctx, p.adcode, p.by, p.from, p.to, at);
	let names = new Map<string, string>();
	if (p.by === 'item')
		names = await itemNames(
			ctx,
			counts.map((c) => c.unit)
		);
	if (p.by === 'region' || p.by === 'hall') {
		const regions = await regionsByCode(
			ctx,
			counts.map((c) => Number(c.unit))
		);
		names = new Map(regions.map((r) => [String(r.adcode), p.by === 'hall' ? `${r.name}政务服务大厅` : r.name]));
	}
	const rows = rankUnits(counts.map((c) => ({ ...c, name: names.get(c.unit) ?? c.unit })));
	return { adcode: p.adcode, by: p.by, from: p.from, to: p.to, unitNote: UNIT_NOTES[p.by], rows };
}

export interface QueueInput extends QueueFilter {
	adcode: number;
	item?: string;
	department?: string;
	channel?: string;
	sort: QueueSort;
	after?: Array<string | number>;
	limit: number;
	/** Received within the last this many days (default 365). */
	days?: number;
}

export interface QueueRow {
	reviewId: string;
	caseId: string;
	receivedAt: number;
	adcode: number;
	department: string;
	itemCode: string;
	channel: string;
	rating: number;
	tags: string[];
	/** Personal numbers and e-mail addresses masked. */
	comment: string;
	state: ReviewState;
	stateZh: string;
	/** Rectification deadline (Beijing date) by the region's rule, stamped at ingest. */
	due: string | null;
	dueStatus: QueueEntry['dueStatus'];
	rectifiedLate: boolean;
	/** Marked by the alerts: this review's item or hall has a 差评 spike. */
	spike?: boolean;
}

export interface QueuePage {
	rows: QueueRow[];
	next: Array<string | number> | null;
	total: number;
	/** More 差评 than one call reads: the oldest were left out. */
	truncated: boolean;
	today: string;
	/** Items and halls of the region with a 差评 spike today (their rows have `spike`). */
	spikes: Array<{ by: 'item' | 'hall'; unit: string; text: string; severity: 'medium' | 'high' }>;
}

export function rowOf(e: QueueEntry): QueueRow {
	return {
		reviewId: e.review_id,
		caseId: e.case_id,
		receivedAt: e.ts,
		adcode: e.adcode,
		department: e.department,
		itemCode: e.item_code,
		channel: e.channel,
		rating: e.rating,
		tags: e.tags,
		comment: maskPersonalData(e.comment),
		state: e.state,
		stateZh: STATE_LABELS[e.state],
		due: e.due,
		dueStatus: e.dueStatus,
		rectifiedLate: e.rectifiedLate
	};
}

/** Every 差评 of the selection with its state (read up to QUEUE_READ_CAP, newest first). */
export async function queueEntries(
	ctx: QueryCtx,
	input: Omit<QueueInput, 'sort' | 'limit' | 'after'>,
	at = Date.now()
): Promise<{ list: QueueEntry[]; truncated: boolean }> {
	const sel: QueueSelection = { since: at - (input.days ?? 365) * DAY_MS, at, item: input.item, department: input.department, channel: input.channel };
	const reviews = await negativeReviews(ctx, input.adcode, sel);
	const truncated = reviews.length > QUEUE_READ_CAP;
	const kept = truncated ? reviews.slice(0, QUEUE_READ_CAP) : reviews;
	const actions = await storedActions(
		ctx,
		kept.map((r) => r.review_id)
	);
	const list = entries(
		kept,
		actions.map((a) => ({ review_id: a.review_id, action: a.action, ts: a.ms, satisfaction: a.satisfaction })),
		beijingDate(at),
		beijingDate
	);
	return { list: filterEntries(list, input), truncated };
}

export async function queue(ctx: QueryCtx, input: QueueInput, at = Date.now()): Promise<QueuePage> {
	const [{ list, truncated }, spiking] = await Promise.all([queueEntries(ctx, input, at), spikes(ctx, input.adcode, at)]);
	const p = page(list, input.sort, input.limit, input.after);
	// Rows of an item or a hall with a 差评 spike today are marked (alerts.ts).
	const items = new Set(spiking.filter((s) => s.by === 'item').map((s) => s.unit));
	const halls = new Set(spiking.filter((s) => s.by === 'hall').map((s) => s.unit));
	const rows = p.items.map((e) => ({ ...rowOf(e), spike: items.has(e.item_code) || (e.channel === 'counter' && halls.has(String(e.adcode))) }));
	return {
		rows,
		next: p.next,
		total: p.total,
		truncated,
		today: beijingDate(at),
		spikes: spiking.map((s) => ({ by: s.by, unit: s.unit, text: s.text, severity: s.drop.severity }))
	};
}

/** A review the caller may see, or a clear refusal (not found / outside the scope). */
export async function visibleReview(ctx: QueryCtx, reviewId: string) {
	const review = await reviewById(ctx, reviewId);
	if (!review) throw new TRPCError({ code: 'NOT_FOUND', message: `未找到该评价：${reviewId.slice(0, 64)}` });
	assertInScope(review.adcode, ctx.scope);
	return review;
}

export interface Timeline {
	review: QueueRow;
	events: Array<{ kind: 'review' | ReviewAction; labelZh: string; at: number; actionId?: string; note: string; satisfaction: number | null; source: string }>;
}

export async function timeline(ctx: QueryCtx, reviewId: string, at = Date.now()): Promise<Timeline> {
	const review = await visibleReview(ctx, reviewId);
	const actions = await reviewActions(ctx, reviewId);
	const [entry] = entries(
		[review],
		actions.map((a) => ({ review_id: reviewId, action: a.action as ReviewAction, ts: a.ms, satisfaction: a.satisfaction })),
		beijingDate(at),
		beijingDate
	);
	return {
		review: rowOf(entry!),
		events: [
			{
				kind: 'review',
				labelZh: review.rating <= 2 ? '收到差评' : '收到评价',
				at: review.ts,
				note: maskPersonalData(review.comment),
				satisfaction: null,
				source: ''
			},
			...actions.map((a) => ({
				kind: a.action as ReviewAction,
				labelZh: ACTION_LABELS[a.action as ReviewAction] ?? a.action,
				at: a.ms,
				actionId: a.action_id,
				note: maskPersonalData(a.outcome),
				satisfaction: a.satisfaction,
				// Actions taken on /reviews carry the ui- prefix (act.ts); the source's path or name is not shown.
				source: a.action_id.startsWith(UI_PREFIX) ? '办理页面' : '外部系统'
			}))
		]
	};
}

export interface Topics extends TopicSummary {
	adcode: number;
	from: string;
	to: string;
	/** Reasons (tags) of all the period's 差评, counted in the warehouse. */
	reasons: Array<{ tag: string; negative: number }>;
	/** The comments segmented were the newest TOPIC_COMMENT_CAP. */
	truncated: boolean;
	topicNames: Record<string, string>;
}

export async function topics(ctx: QueryCtx, p: Period & { item?: string }): Promise<Topics> {
	const dict = topicDictionary();
	const [comments, reasons] = await Promise.all([negativeComments(ctx, p.adcode, p.from, p.to, p.item), reasonCounts(ctx, p.adcode, p.from, p.to)]);
	const texts = new Map(comments.map((c) => [c.review_id, maskPersonalData(c.comment)]));
	const s = summarise(
		comments.map((c) => ({
			review_id: c.review_id,
			ts: c.ms,
			item_code: c.item_code,
			hall: c.channel === 'counter' ? c.adcode : null,
			tags: c.tags,
			words: c.comment ? segment(c.comment) : []
		})),
		dict,
		texts
	);
	return {
		...s,
		adcode: p.adcode,
		from: p.from,
		to: p.to,
		reasons,
		truncated: comments.length >= TOPIC_COMMENT_CAP,
		topicNames: Object.fromEntries(dict.topics.map((t) => [t.id, t.name]))
	};
}
