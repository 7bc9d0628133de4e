/**
 * Statements of the deadline re-enrichment (`tianshu deadlines reapply`): stored
 * cases and 差评 get the deadline the one rule (src/lib/time/deadlines.ts) gives them
 * now. The rule needs the official calendar, which the warehouse does not have: the
 * command tabulates due dates (receipt date × after cut-off × working days) into a
 * Join table and the rows look theirs up with joinGet. A region's cut-off and
 * rectification days come as bound arrays (regions differing from the default only).
 * Whole feed, no scope: an operator's command.
 */
import type { Warehouse } from '../../warehouse/client.ts';
import { rows } from '../statement.ts';

type W = { warehouse: Warehouse };

/** The tables whose rows carry a deadline. */
export type DeadlineTable = 'case_events' | 'reviews';

export const CALENDAR = 'deadline_calendar__reapply';
const ASIDE = { case_events: 'case_events__reapply', reviews: 'reviews__reapply' } as const;

/** A region's setting: `codes[i]` (county, resolved from city and province) has `values[i]`; the rest `fallback`. */
export interface RegionSetting {
	codes: number[];
	values: number[];
	fallback: number;
}

const setting = (name: string, type: string) =>
	`if(indexOf({${name}Codes:Array(UInt32)}, adcode) = 0, {${name}Default:${type}}, arrayElement({${name}Values:Array(${type})}, indexOf({${name}Codes:Array(UInt32)}, adcode)))`;
const CUTOFF = setting('cutoff', 'Int16'); // minutes after midnight; -1 none
const RECTIFY = setting('rectify', 'UInt16');
const afterCutoff = (at: string) => `toUInt8(${CUTOFF} >= 0 AND toHour(${at}, 'Asia/Shanghai') * 60 + toMinute(${at}, 'Asia/Shanghai') >= ${CUTOFF})`;
const due = (at: string, days: string) => `joinGet('${CALENDAR}', 'due', toDate(${at}, 'Asia/Shanghai'), toUInt16(${days}), ${afterCutoff(at)})`;

const CASE_DUE = `CAST(if(submitted_at IS NULL, NULL, ${due('assumeNotNull(submitted_at)', 'promised_days')}) AS Nullable(Date))`;
const CASE_ON_TIME = `CAST(if(status = 'completed' AND submitted_at IS NOT NULL, ts < toDateTime64(toDateTime(${CASE_DUE} + 1, 'Asia/Shanghai'), 3, 'UTC'), NULL) AS Nullable(Bool))`;
const REVIEW_DUE = `CAST(if(rating <= 2, ${due('ts', RECTIFY)}, NULL) AS Nullable(Date))`;

const CHANGED: Record<DeadlineTable, string> = {
	case_events: `NOT (due_date <=> ${CASE_DUE}) OR NOT (on_time <=> ${CASE_ON_TIME})`,
	reviews: `NOT (rectify_due_date <=> ${REVIEW_DUE})`
};
const REWRITE: Record<DeadlineTable, string> = {
	case_events: `${CASE_DUE} AS due_date, ${CASE_ON_TIME} AS on_time`,
	reviews: `${REVIEW_DUE} AS rectify_due_date`
};

function params(cutoff: RegionSetting, rectify: RegionSetting) {
	return {
		cutoffCodes: cutoff.codes,
		cutoffValues: cutoff.values,
		cutoffDefault: cutoff.fallback,
		rectifyCodes: rectify.codes,
		rectifyValues: rectify.values,
		rectifyDefault: rectify.fallback
	};
}

/** Ingest batches stored in the last `seconds` (a rewrite while ingest runs would lose its rows). */
export async function recentIngestBatches(ctx: W, seconds: number): Promise<number> {
	const [r] = await rows<{ n: string }>(ctx, 'SELECT count() AS n FROM ingest_watermark WHERE updated_at > now64(3) - toIntervalSecond({s:UInt32})', {
		s: seconds
	});
	return Number(r?.n ?? 0);
}

/** The receipt dates (Beijing) and working-day counts the stored rows need tabulated. */
export async function deadlineSpan(ctx: W): Promise<{ first: string | null; last: string | null; days: number[] }> {
	const [r] = await rows<{ first: string; last: string; n: number; days: number[] }>(
		ctx,
		`SELECT toString(min(d)) AS first, toString(max(d)) AS last, count() AS n, arraySort(groupUniqArray(pd)) AS days FROM (
		   SELECT toDate(assumeNotNull(submitted_at), 'Asia/Shanghai') AS d, promised_days AS pd FROM case_events WHERE submitted_at IS NOT NULL
		   UNION ALL SELECT toDate(ts, 'Asia/Shanghai') AS d, toUInt16(0) AS pd FROM reviews WHERE rating <= 2)`,
		{}
	);
	return r && Number(r.n) > 0 ? { first: r.first, last: r.last, days: r.days.map(Number) } : { first: null, last: null, days: [] };
}

/** The counties stored rows carry, with their city and province (for the most specific region's rule). */
export async function storedCounties(ctx: W): Promise<Array<{ adcode: number; city_code: number; province_code: number }>> {
	const out = await rows<{ adcode: number; city_code: number; province_code: number }>(
		ctx,
		`SELECT DISTINCT adcode, city_code, province_code FROM (
		   SELECT adcode, city_code, province_code FROM case_events WHERE submitted_at IS NOT NULL
		   UNION ALL SELECT adcode, city_code, province_code FROM reviews WHERE rating <= 2)`,
		{}
	);
	return out.map((r) => ({ adcode: Number(r.adcode), city_code: Number(r.city_code), province_code: Number(r.province_code) }));
}

/** A fresh, empty due-date table. */
export async function createCalendar(ctx: W): Promise<void> {
	await ctx.warehouse.command({ query: `DROP TABLE IF EXISTS ${CALENDAR}` });
	await ctx.warehouse.command({
		query: `CREATE TABLE ${CALENDAR} (day Date, working_days UInt16, after_cutoff UInt8, due Date) ENGINE = Join(ANY, LEFT, day, working_days, after_cutoff)`
	});
}

export async function fillCalendar(ctx: W, entries: Array<{ day: string; working_days: number; after_cutoff: number; due: string }>): Promise<void> {
	await ctx.warehouse.insert({ table: CALENDAR, values: entries, format: 'JSONEachRow' });
}

export async function dropWorkTables(ctx: W): Promise<void> {
	for (const t of [CALENDAR, ...Object.values(ASIDE)]) await ctx.warehouse.command({ query: `DROP TABLE IF EXISTS ${t}` });
}

/** Partitions holding rows whose stored deadline differs from the rule's, with how many. */
export async function partitionsToRewrite(
	ctx: W,
	table: DeadlineTable,
	cutoff: RegionSetting,
	rectify: RegionSetting
): Promise<Array<{ partition: string; changed: number }>> {
	const out = await rows<{ partition: string; changed: string }>(
		ctx,
		`SELECT _partition_id AS partition, countIf(${CHANGED[table]}) AS changed FROM ${table} GROUP BY partition HAVING changed > 0 ORDER BY partition`,
		params(cutoff, rectify)
	);
	return out.map((r) => ({ partition: r.partition, changed: Number(r.changed) }));
}

/**
 * Rewrites one partition with the rule's deadlines: built aside, then swapped in at
 * once (a reader sees the old or the new partition). Replacing a partition fires no
 * materialized view: the rollups are rebuilt afterwards.
 */
export async function rewritePartition(ctx: W, table: DeadlineTable, partition: string, cutoff: RegionSetting, rectify: RegionSetting): Promise<void> {
	const aside = ASIDE[table];
	await ctx.warehouse.command({ query: `DROP TABLE IF EXISTS ${aside}` });
	await ctx.warehouse.command({ query: `CREATE TABLE ${aside} AS ${table}` });
	await ctx.warehouse.command({
		query: `INSERT INTO ${aside} SELECT * REPLACE (${REWRITE[table]}) FROM ${table} WHERE _partition_id = {p:String}`,
		query_params: { p: partition, ...params(cutoff, rectify) },
		clickhouse_settings: { insert_deduplicate: 0 }
	});
	await ctx.warehouse.command({ query: `ALTER TABLE ${table} REPLACE PARTITION ID {p:String} FROM ${aside}`, query_params: { p: partition } });
	await ctx.warehouse.command({ query: `DROP TABLE IF EXISTS ${aside}` });
}
