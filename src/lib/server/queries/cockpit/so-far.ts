/**
 * Counts of a region over a window capped at an instant `at` (src/lib/time
 * cutAt): whole Beijing days from the day rollups, whole hours from the hour
 * rollups (the smallest that answers, as the planner chooses them), and the part of the hour holding `at` from the event tables themselves,
 * up to and including `at` — a rollup bucket that `at` falls inside also holds
 * what came after it. The events are counted as the rollups' materialized views
 * count them (every stored row), so the three parts add up to what the rollups
 * would hold had the feed stopped at `at`. Inside the caller's scope (regionFilter).
 * With `at` = now the result is what the rollups hold up to the end of the hour.
 */
import { cutAt, type RollupCut, type TimeWindow } from '../../../time/windows.ts';
import { beijingDate } from '../../../time/working-days.ts';
import { clickhouseDateTime, clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import type { Dimension } from '../../../indicators/catalogue.ts';
import { childColumn } from '../../planner/plan.ts';
import { chooseTable, type Source as RollupSource } from '../../planner/rollups.ts';
import { levelOf, regionColumn, regionFilter, type Scope } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';

/**
 * How the counts are split: one total, per sub-region (the planner's child column), per channel, per Beijing
 * hour of the day, or per hour and channel ('HH|channel', one statement for all of the services panel).
 */
export type SplitBy = 'total' | 'child' | 'channel' | 'hour' | 'hourChannel';

/** One source: its rollup family (planner/rollups.ts) and, per measure, the column the rollups hold and the same count over the events. */
interface Source {
	rollups: RollupSource;
	events: string;
	measures: Record<string, string>;
}

const CASES: Source = {
	rollups: 'cases',
	events: 'case_events',
	// As case_region_stats_hour_mv counts them (schema/).
	measures: {
		submitted: "status = 'submitted'",
		completed: "status = 'completed'",
		completed_on_time: "status = 'completed' AND ifNull(on_time, false)",
		fully_online: "status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')"
	}
};

const REVIEWS: Source = {
	rollups: 'reviews',
	events: 'reviews',
	// As review_region_stats_hour_mv counts them; upheld as the views of migration 0013 add it: a 差评 whose appeal
	// was upheld (申诉成立, stored by now), in the review's own bucket — it leaves 好评率 and 差评数 (planner/rollups.ts).
	measures: {
		reviews: '1',
		positive: 'rating >= 3',
		negative: 'rating <= 2',
		// review_upheld_decisions (0013) holds only the upheld decisions, not every review action: this runs each tick.
		upheld: 'rating <= 2 AND review_id IN (SELECT review_id FROM review_upheld_decisions)'
	}
};

const TICKETS: Source = {
	rollups: 'hotline',
	events: 'hotline_events',
	// As hotline_stats_hour_mv counts them.
	measures: { created: "status = 'created'" }
};

/** Whether county codes are read: the planner's rule (plan.ts) for a region, its split and the caller's scope. */
function needsCounties(adcode: number, by: SplitBy, scope: Scope): boolean {
	if (regionColumn(adcode) === 'adcode') return true;
	if (by === 'child' && childColumn(adcode) === 'adcode') return true;
	return !scope.all && scope.adcodes.some((a) => levelOf(a) === 'county');
}

/** The smallest rollup of the family that answers the split (the catalogue's table decider). */
export function rollupTable(source: RollupSource, family: 'day' | 'hour', adcode: number, by: SplitBy, scope: Scope): string {
	const dims = new Set<Dimension>(by === 'channel' || by === 'hourChannel' ? ['channel'] : []);
	return chooseTable(source, family, dims, needsCounties(adcode, by, scope))!.table;
}

function keyOf(by: SplitBy, adcode: number, time: string): string {
	if (by === 'total') return "'total'";
	if (by === 'child') return childColumn(adcode);
	if (by === 'channel') return 'toString(channel)';
	if (by === 'hourChannel') return `concat(toString(toHour(${time}, 'Asia/Shanghai')), '|', toString(channel))`;
	return `toHour(${time}, 'Asia/Shanghai')`;
}

const cutParams = (c: RollupCut) => ({
	d_from: beijingDate(c.days.from),
	d_to: beijingDate(c.days.to),
	h_from: clickhouseDateTime(c.hours.from),
	h_to: clickhouseDateTime(c.hours.to),
	r_from: clickhouseDateTime64(c.rest.from),
	r_to: clickhouseDateTime64(c.rest.to)
});

const DAYS = 'bucket >= {d_from:Date} AND bucket < {d_to:Date}';
const HOURS = "bucket >= {h_from:DateTime('UTC')} AND bucket < {h_to:DateTime('UTC')}";
const REST = "ts >= {r_from:DateTime64(3, 'UTC')} AND ts < {r_to:DateTime64(3, 'UTC')}";

export type Counts = Record<string, number>;

async function countsUpTo(ctx: QueryCtx, source: Source, adcode: number, w: TimeWindow, at: number, by: SplitBy): Promise<Map<string, Counts>> {
	const f = regionFilter(adcode, ctx.scope);
	const and = andAll(f.where);
	const names = Object.keys(source.measures);
	const sums = names.map((m) => `sum(${m}) AS ${m}`).join(', ');
	const counts = names.map((m) => `countIf(${source.measures[m]}) AS ${m}`).join(', ');
	const r = await rows<Record<string, string | number>>(
		ctx,
		`SELECT key, ${sums} FROM (
		   SELECT ${keyOf(by, adcode, 'bucket')} AS key, ${sums} FROM ${rollupTable(source.rollups, 'day', adcode, by, ctx.scope)} WHERE ${DAYS} ${and} GROUP BY key
		   UNION ALL SELECT ${keyOf(by, adcode, 'bucket')} AS key, ${sums} FROM ${rollupTable(source.rollups, 'hour', adcode, by, ctx.scope)} WHERE ${HOURS} ${and} GROUP BY key
		   UNION ALL SELECT ${keyOf(by, adcode, 'ts')} AS key, ${counts} FROM ${source.events} WHERE ${REST} ${and} GROUP BY key
		 ) GROUP BY key`,
		{ ...f.params, ...cutParams(cutAt(w, at)) }
	);
	return new Map(r.map((x) => [String(x.key), Object.fromEntries(names.map((m) => [m, Number(x[m] ?? 0)]))]));
}

/** Cases over [w.from, min(w.to, at]]: submitted, completed, completed_on_time, fully_online. */
export const caseCountsUpTo = (ctx: QueryCtx, adcode: number, w: TimeWindow, at: number, by: SplitBy) => countsUpTo(ctx, CASES, adcode, w, at, by);

/** 好差评 over the window capped at `at`: reviews, positive, negative, and the 差评 of them whose appeal was upheld. */
export const reviewCountsUpTo = (ctx: QueryCtx, adcode: number, w: TimeWindow, at: number, by: SplitBy) => countsUpTo(ctx, REVIEWS, adcode, w, at, by);

/** 12345 tickets created over the window capped at `at`. */
export const ticketCountsUpTo = (ctx: QueryCtx, adcode: number, w: TimeWindow, at: number, by: SplitBy) => countsUpTo(ctx, TICKETS, adcode, w, at, by);

/** The six most frequent reasons of 差评 over the window capped at `at` (today's part from the reviews themselves); ties by tag. */
export async function negativeReasonsUpTo(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number): Promise<Array<{ tag: string; count: number }>> {
	const f = regionFilter(adcode, ctx.scope);
	const and = andAll(f.where);
	const c = cutAt(w, at);
	const r = await rows<{ tag: string; count: number | string }>(
		ctx,
		`SELECT tag, sum(n) AS count FROM (
		   SELECT tag, sum(negative) AS n FROM review_reason_stats_day WHERE ${DAYS} ${and} GROUP BY tag
		   UNION ALL SELECT arrayJoin(tags) AS tag, count() AS n FROM reviews
		   WHERE rating <= 2 AND ts >= {r_from:DateTime64(3, 'UTC')} AND ts < {r_to:DateTime64(3, 'UTC')} ${and} GROUP BY tag
		 ) GROUP BY tag ORDER BY count DESC, tag LIMIT 6`,
		{
			...f.params,
			d_from: beijingDate(c.days.from),
			d_to: beijingDate(c.days.to),
			r_from: clickhouseDateTime64(c.hours.from),
			r_to: clickhouseDateTime64(c.rest.to)
		}
	);
	return r.map((x) => ({ tag: x.tag, count: Number(x.count) }));
}
