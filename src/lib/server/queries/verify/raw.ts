/**
 * 数据核验 (verify): the cockpit's figures counted straight from the raw event
 * tables, never from a rollup. Written from the glossary's and the indicator
 * catalogue's definitions, not from the rollups' views, so a rollup that drifts
 * from its events shows up. Every statement:
 *
 * - reads each event id once — the first copy stored (ORDER BY ingested_at
 *   LIMIT 1 BY id), as `tianshu rollups rebuild` and the exactly-once rule count it;
 * - reads only events of the window [from, to) the caller passes (the caller caps
 *   `to` at the instant checked, so nothing after it is counted);
 * - keeps to the region and the caller's scope through regionFilter.
 */
import { childColumn } from '../../planner/plan.ts';
import { durationBin, durationBinStart } from '../../planner/rollups.ts';
import { regionFilter } from '../../scope.ts';
import { DAY_MS } from '../../../time/beijing-time.ts';
import { clickhouseDateTime64 as utcMillis } from '../../../time/clickhouse-params.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

/** A half-open window [from, to) in epoch ms. */
export interface Window {
	from: number;
	to: number;
}

type Num = number | string;

const IN_WINDOW = "ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}";

function windowParams(adcode: number, ctx: QueryCtx, w: Window) {
	const f = regionFilter(adcode, ctx.scope);
	return { where: andAll(f.where), params: { ...f.params, from: utcMillis(w.from), to: utcMillis(w.to) } };
}

/** The first stored copy of each event of a raw table in the window and region (table, id and columns are fixed strings of this file). */
function firstCopies(table: string, id: string, columns: string, where: string, extra = ''): string {
	return `(SELECT ${id}, ${columns} FROM ${table} WHERE ${IN_WINDOW} ${extra} ${where} ORDER BY ingested_at LIMIT 1 BY ${id})`;
}

/** The column that splits a region into its sub-regions (the planner's rule: 直辖市 by district, 省直辖县 by their 90 group). */
const childOf = (adcode: number) => childColumn(adcode);

export interface CaseCounts {
	/** 办件量: submissions. */
	submitted: number;
	/** 办结量. */
	completed: number;
	/** Completions stored as on time (按时办结率's numerator). */
	onTime: number;
	/** 全程网办: completed on web or mobile without a visit. */
	fullyOnline: number;
}

const CASE_MEASURES = `countIf(status = 'submitted') AS submitted,
	countIf(status = 'completed') AS completed,
	countIf(status = 'completed' AND ifNull(on_time, false)) AS completed_on_time,
	countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) AS fully_online`;
const CASE_COLUMNS = 'status, on_time, trips, channel, ts, province_code, city_code, adcode';

const caseCounts = (r: Record<string, Num>): CaseCounts => ({
	submitted: Number(r.submitted ?? 0),
	completed: Number(r.completed ?? 0),
	onTime: Number(r.completed_on_time ?? 0),
	fullyOnline: Number(r.fully_online ?? 0)
});

/** Case counts of a region over a window. */
export async function rawCaseCounts(ctx: QueryCtx, adcode: number, w: Window): Promise<CaseCounts> {
	const { where, params } = windowParams(adcode, ctx, w);
	const [r] = await rows<Record<string, Num>>(ctx, `SELECT ${CASE_MEASURES} FROM ${firstCopies('case_events', 'event_id', CASE_COLUMNS, where)}`, params);
	return caseCounts(r ?? {});
}

/** Case counts per sub-region (the code the sub-region column holds). */
export async function rawCaseCountsByChild(ctx: QueryCtx, adcode: number, w: Window): Promise<Map<number, CaseCounts>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<Record<string, Num>>(
		ctx,
		`SELECT ${childOf(adcode)} AS unit, ${CASE_MEASURES} FROM ${firstCopies('case_events', 'event_id', CASE_COLUMNS, where)} GROUP BY unit`,
		params
	);
	return new Map(r.map((x) => [Number(x.unit), caseCounts(x)]));
}

/** Submissions per Beijing hour of the day (0–23) in a window within one Beijing day. */
export async function rawSubmittedByHour(ctx: QueryCtx, adcode: number, w: Window): Promise<Map<number, number>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<{ hour: Num; n: Num }>(
		ctx,
		`SELECT toHour(ts, 'Asia/Shanghai') AS hour, count() AS n FROM ${firstCopies('case_events', 'event_id', CASE_COLUMNS, where)} WHERE status = 'submitted' GROUP BY hour`,
		params
	);
	return new Map(r.map((x) => [Number(x.hour), Number(x.n)]));
}

/** Submissions per channel (办理渠道). */
export async function rawSubmittedByChannel(ctx: QueryCtx, adcode: number, w: Window): Promise<Map<string, number>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<{ channel: string; n: Num }>(
		ctx,
		`SELECT toString(channel) AS channel, count() AS n FROM ${firstCopies('case_events', 'event_id', CASE_COLUMNS, where)} WHERE status = 'submitted' GROUP BY channel`,
		params
	);
	return new Map(r.map((x) => [x.channel, Number(x.n)]));
}

/** Submissions per county code (the map's live dots). */
export async function rawSubmittedByCounty(ctx: QueryCtx, adcode: number, w: Window): Promise<Map<number, number>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<{ adcode: Num; n: Num }>(
		ctx,
		`SELECT adcode, count() AS n FROM ${firstCopies('case_events', 'event_id', CASE_COLUMNS, where)} WHERE status = 'submitted' GROUP BY adcode`,
		params
	);
	return new Map(r.map((x) => [Number(x.adcode), Number(x.n)]));
}

/**
 * 办理时长's percentiles over a window, q in thousandths: of the completions with a known processing time (each event
 * id once), the ⌈q·n⌉-th smallest time, rounded down to the resolution the rollups keep times at (migration 0012:
 * the start of its bin); null each without such a completion.
 */
export async function rawDurationQuantiles(ctx: QueryCtx, adcode: number, w: Window, permilles: number[]): Promise<Array<number | null>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const [r] = await rows<{ t: Num[]; n: Num }>(
		ctx,
		`SELECT length(sorted) AS n, arrayMap(q -> sorted[intDiv(q * length(sorted) + 999, 1000)], {qs:Array(UInt32)}) AS t
		 FROM (SELECT arraySort(groupArray(toUInt32(duration_s))) AS sorted
		       FROM ${firstCopies('case_events', 'event_id', 'status, duration_s, ts, province_code, city_code, adcode', where, "AND status = 'completed' AND duration_s IS NOT NULL")})`,
		{ ...params, qs: permilles }
	);
	if (!r || Number(r.n) === 0) return permilles.map(() => null);
	return r.t.map((t) => durationBinStart(durationBin(Number(t))));
}

export interface ReviewCounts {
	reviews: number;
	/** 好评: rating ≥ 3. */
	positive: number;
	/** 差评: rating ≤ 2. */
	negative: number;
	/**
	 * 差评 of these whose appeal was upheld (申诉成立) — decided whenever, as the review rollups count them (migration
	 * 0013): the cockpit's 好评率 tiles and map leave them out. At the live instant nothing is decided later.
	 */
	upheld: number;
}

const REVIEW_MEASURES =
	"count() AS review_count, countIf(rating >= 3) AS positive, countIf(rating <= 2) AS negative, countIf(rating <= 2 AND review_id IN (SELECT review_id FROM review_actions WHERE action = 'appeal_upheld')) AS upheld";
const REVIEW_COLUMNS = 'rating, ts, province_code, city_code, adcode';
const reviewCounts = (r: Record<string, Num>): ReviewCounts => ({
	reviews: Number(r.review_count ?? 0),
	positive: Number(r.positive ?? 0),
	negative: Number(r.negative ?? 0),
	upheld: Number(r.upheld ?? 0)
});

/** 好差评 counts of a region over a window (by the review's time). */
export async function rawReviewCounts(ctx: QueryCtx, adcode: number, w: Window): Promise<ReviewCounts> {
	const { where, params } = windowParams(adcode, ctx, w);
	const [r] = await rows<Record<string, Num>>(ctx, `SELECT ${REVIEW_MEASURES} FROM ${firstCopies('reviews', 'review_id', REVIEW_COLUMNS, where)}`, params);
	return reviewCounts(r ?? {});
}

/** 好差评 counts per sub-region. */
export async function rawReviewCountsByChild(ctx: QueryCtx, adcode: number, w: Window): Promise<Map<number, ReviewCounts>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<Record<string, Num>>(
		ctx,
		`SELECT ${childOf(adcode)} AS unit, ${REVIEW_MEASURES} FROM ${firstCopies('reviews', 'review_id', REVIEW_COLUMNS, where)} GROUP BY unit`,
		params
	);
	return new Map(r.map((x) => [Number(x.unit), reviewCounts(x)]));
}

/** The six most frequent reasons (tags) given with 差评 in a window; ties by tag. */
export async function rawNegativeReasons(ctx: QueryCtx, adcode: number, w: Window): Promise<Array<{ tag: string; count: number }>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<{ tag: string; count: Num }>(
		ctx,
		`SELECT tag, count() AS count FROM ${firstCopies('reviews', 'review_id', 'tags, ts, province_code, city_code, adcode', where, 'AND rating <= 2')}
		 ARRAY JOIN tags AS tag GROUP BY tag ORDER BY count DESC, tag LIMIT 6`,
		params
	);
	return r.map((x) => ({ tag: x.tag, count: Number(x.count) }));
}

/** A review id whose appeal was decided upheld (申诉成立) by the instant `at`: it leaves every 好差评 figure. */
const UPHELD_BY_AT = "review_id IN (SELECT review_id FROM review_actions WHERE action = 'appeal_upheld' AND ts <= {at:DateTime64(3, 'UTC')})";
/** Handled by the instant: an action of one of these kinds stamped by `at`, on a 差评 not upheld by then (fixed strings of this file). */
const doneBy = (actions: string) =>
	`NOT ${UPHELD_BY_AT} AND review_id IN (SELECT review_id FROM review_actions WHERE action IN (${actions}) AND ts <= {at:DateTime64(3, 'UTC')})`;

/**
 * 差评整改率's cohort (GB/T 39735): the 差评 of the region received in a window (each review id once), those of
 * them whose appeal was upheld by the instant `at` (out of the figures), and of the others those with a
 * rectification (整改) stamped by `at` — wherever the action was filed.
 */
export async function rawNegativeCohort(
	ctx: QueryCtx,
	adcode: number,
	w: Window,
	at: number
): Promise<{ negative: number; upheld: number; rectified: number }> {
	const { where, params } = windowParams(adcode, ctx, w);
	const [r] = await rows<{ negative: Num; upheld: Num; rectified: Num }>(
		ctx,
		`SELECT count() AS negative, countIf(${UPHELD_BY_AT}) AS upheld, countIf(${doneBy("'rectify'")}) AS rectified
		 FROM ${firstCopies('reviews', 'review_id', REVIEW_COLUMNS, where, 'AND rating <= 2')}`,
		{ ...params, at: utcMillis(at) }
	);
	return { negative: Number(r?.negative ?? 0), upheld: Number(r?.upheld ?? 0), rectified: Number(r?.rectified ?? 0) };
}

export interface HandlingCounts {
	/** 差评 whose appeal was upheld by the instant: out of the figures. */
	upheld: number;
	/** Of the others: replied to (核实 or 回复). */
	replied: number;
	rectified: number;
	followedUp: number;
}

/**
 * Of the 差评 received in a window (each review id once, by the review's region), those whose appeal was upheld by
 * the instant `at`, and of the others those replied to (核实 or 回复), rectified and followed up by `at`, per
 * sub-region: a cohort, as GB/T 39735 counts 整改率 and 回访率.
 */
export async function rawHandlingByChild(ctx: QueryCtx, adcode: number, w: Window, at: number): Promise<Map<number, HandlingCounts>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<Record<string, Num>>(
		ctx,
		`SELECT ${childOf(adcode)} AS unit, countIf(${UPHELD_BY_AT}) AS upheld, countIf(${doneBy("'verify', 'reply'")}) AS replied,
		        countIf(${doneBy("'rectify'")}) AS rectified, countIf(${doneBy("'follow_up'")}) AS followed_up
		 FROM ${firstCopies('reviews', 'review_id', REVIEW_COLUMNS, where, 'AND rating <= 2')} GROUP BY unit`,
		{ ...params, at: utcMillis(at) }
	);
	return new Map(
		r.map((x) => [
			Number(x.unit),
			{ upheld: Number(x.upheld ?? 0), replied: Number(x.replied ?? 0), rectified: Number(x.rectified ?? 0), followedUp: Number(x.followed_up ?? 0) }
		])
	);
}

/**
 * 差评 received in a window (with a rectification deadline, not upheld on appeal by the instant `at`) whose first
 * rectification, by `at`, fell on or before the deadline's Beijing date: 整改及时, per sub-region.
 */
export async function rawRectifiedOnTimeByChild(ctx: QueryCtx, adcode: number, w: Window, at: number): Promise<Map<number, number>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<{ unit: Num; n: Num }>(
		ctx,
		`SELECT neg.unit AS unit, count() AS n
		 FROM (SELECT review_id, any(${childOf(adcode)}) AS unit, any(rectify_due_date) AS due FROM reviews
		       WHERE rating <= 2 AND rectify_due_date IS NOT NULL AND ${IN_WINDOW} ${where} AND NOT ${UPHELD_BY_AT} GROUP BY review_id) AS neg
		 INNER JOIN (SELECT review_id, min(ts) AS first FROM review_actions WHERE action = 'rectify' AND ts <= {at:DateTime64(3, 'UTC')} GROUP BY review_id) AS a
		 ON a.review_id = neg.review_id
		 WHERE toDate(a.first, 'Asia/Shanghai') <= neg.due
		 GROUP BY unit`,
		{ ...params, at: utcMillis(at) }
	);
	return new Map(r.map((x) => [Number(x.unit), Number(x.n)]));
}

/**
 * The 差评 backlog at the instant `at`: 差评 with a deadline received by then, neither rectified nor upheld on
 * appeal by then — waiting while their deadline's Beijing date has not passed, late after.
 */
export async function rawNegativeBacklog(ctx: QueryCtx, adcode: number, at: number, today: string): Promise<{ waiting: number; late: number }> {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ waiting: Num; late: Num }>(
		ctx,
		`SELECT countIf(due >= {today:Date}) AS waiting, countIf(due < {today:Date}) AS late
		 FROM (SELECT review_id, any(rectify_due_date) AS due FROM reviews
		       WHERE rating <= 2 AND rectify_due_date IS NOT NULL AND ts <= {at:DateTime64(3, 'UTC')} ${andAll(f.where)} GROUP BY review_id)
		 WHERE review_id NOT IN (SELECT review_id FROM review_actions WHERE action = 'rectify' AND ts <= {at:DateTime64(3, 'UTC')}) AND NOT ${UPHELD_BY_AT}`,
		{ ...f.params, at: utcMillis(at), today }
	);
	return { waiting: Number(r?.waiting ?? 0), late: Number(r?.late ?? 0) };
}

/** 12345 tickets created in a window. */
export async function rawTicketsCreated(ctx: QueryCtx, adcode: number, w: Window): Promise<number> {
	const { where, params } = windowParams(adcode, ctx, w);
	const [r] = await rows<{ n: Num }>(
		ctx,
		`SELECT count() AS n FROM ${firstCopies('hotline_events', 'event_id', 'status, ts, province_code, city_code, adcode', where)} WHERE status = 'created'`,
		params
	);
	return Number(r?.n ?? 0);
}

/** 12345 tickets created in a window, per sub-region. */
export async function rawTicketsCreatedByChild(ctx: QueryCtx, adcode: number, w: Window): Promise<Map<number, number>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<{ unit: Num; n: Num }>(
		ctx,
		`SELECT ${childOf(adcode)} AS unit, count() AS n FROM ${firstCopies('hotline_events', 'event_id', 'status, ts, province_code, city_code, adcode', where)}
		 WHERE status = 'created' GROUP BY unit`,
		params
	);
	return new Map(r.map((x) => [Number(x.unit), Number(x.n)]));
}

/** 12345 tickets created in a window, per county code (the map's live dots). */
export async function rawTicketsCreatedByCounty(ctx: QueryCtx, adcode: number, w: Window): Promise<Map<number, number>> {
	const { where, params } = windowParams(adcode, ctx, w);
	const r = await rows<{ adcode: Num; n: Num }>(
		ctx,
		`SELECT adcode, count() AS n FROM ${firstCopies('hotline_events', 'event_id', 'status, ts, province_code, city_code, adcode', where)}
		 WHERE status = 'created' GROUP BY adcode`,
		params
	);
	return new Map(r.map((x) => [Number(x.adcode), Number(x.n)]));
}

/** Risk warnings raised in a window. */
export async function rawWarnings(ctx: QueryCtx, adcode: number, w: Window): Promise<number> {
	const { where, params } = windowParams(adcode, ctx, w);
	const [r] = await rows<{ n: Num }>(ctx, `SELECT uniqExact(warning_id) AS n FROM risk_warnings WHERE ${IN_WINDOW} ${where}`, params);
	return Number(r?.n ?? 0);
}

/**
 * The minute of the newest case event of the whole feed in the two days up to `at`
 * (Beijing 'YYYY-MM-DD HH:MM:00'), or null. The feed's freshness is not a region's data: no scope.
 */
export async function rawNewestCaseMinute(ctx: Pick<QueryCtx, 'warehouse'>, at: number): Promise<string | null> {
	const [r] = await rows<{ newest: string | null }>(
		ctx,
		`SELECT if(count() = 0, NULL, formatDateTime(toStartOfMinute(max(ts)), '%Y-%m-%d %H:%i:00', 'Asia/Shanghai')) AS newest
		 FROM case_events WHERE ts > {from:DateTime64(3, 'UTC')} AND ts <= {at:DateTime64(3, 'UTC')}`,
		{ from: utcMillis(at - 2 * DAY_MS), at: utcMillis(at) }
	);
	return r?.newest ?? null;
}
