/**
 * The rollups and the planner against the raw events: for a simulated week,
 * every catalogue indicator at every grain and region level equals the figure
 * computed straight from the raw tables; day buckets are Beijing days.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/lib/indicators/catalogue.ts';
import { QueryRequest, type QueryInput } from '../../src/lib/server/planner/request.ts';
import { runQuery } from '../../src/lib/server/planner/run.ts';
import { ingestDatabase, runIngest, simulateToFile } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-planner-'));
	db = await ingestDatabase('planner');
	const file = path.join(dir, 'week.ndjson');
	await simulateToFile(file, { seed: 5, rate: 0.3, from: '2026-10-26T00:00:00+08:00', to: '2026-11-02T00:00:00+08:00' });
	const result = await runIngest(db.database, ['--file', file, '--once']).done;
	expect(result.code, result.stderr).toBe(0);
}, 180_000);
afterAll(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

/** The same figure from the raw tables, per period label and region key. */
const RAW: Record<string, { table: string; expr: string }> = {
	caseVolume: { table: 'case_events', expr: "countIf(status = 'submitted')" },
	acceptedVolume: { table: 'case_events', expr: "countIf(status = 'accepted')" },
	completedVolume: { table: 'case_events', expr: "countIf(status = 'completed')" },
	onTimeRate: {
		table: 'case_events',
		expr: "if(countIf(status = 'completed') = 0, NULL, countIf(status = 'completed' AND on_time) / countIf(status = 'completed') * 100)"
	},
	earlyRate: {
		table: 'case_events',
		expr: "if(countIf(status = 'completed') = 0, NULL, countIf(status = 'completed' AND toDate(ts, 'Asia/Shanghai') < due_date) / countIf(status = 'completed') * 100)"
	},
	avgDuration: {
		table: 'case_events',
		expr: "if(countIf(status = 'completed' AND duration_s IS NOT NULL) = 0, NULL, sumIf(duration_s, status = 'completed') / countIf(status = 'completed' AND duration_s IS NOT NULL) / 3600)"
	},
	// The ⌈0.9·n⌉-th smallest time, rounded down to the rollups' resolution (migration 0012: a minute under a day,
	// 10 minutes under 7 days, an hour under 90 days, a day beyond): the rollup must agree exactly.
	p90Duration: {
		table: 'case_events',
		expr: `if(countIf(status = 'completed' AND duration_s IS NOT NULL) = 0, NULL, arrayMap(x -> multiIf(x < 86400, intDiv(x, 60) * 60,
		         x < 604800, 86400 + intDiv(x - 86400, 600) * 600, x < 7776000, 604800 + intDiv(x - 604800, 3600) * 3600,
		         7776000 + intDiv(x - 7776000, 86400) * 86400) / 3600,
		         [arraySort(groupArrayIf(assumeNotNull(duration_s), status = 'completed' AND duration_s IS NOT NULL))[intDiv(9 * countIf(status = 'completed' AND duration_s IS NOT NULL) + 9, 10)]])[1])`
	},
	fullyOnlineRate: {
		table: 'case_events',
		expr: "if(countIf(status = 'completed') = 0, NULL, countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) / countIf(status = 'completed') * 100)"
	},
	zeroTripRate: {
		table: 'case_events',
		expr: "if(countIf(status = 'completed') = 0, NULL, countIf(status = 'completed' AND trips = 0) / countIf(status = 'completed') * 100)"
	},
	crossProvinceVolume: { table: 'case_events', expr: "countIf(status = 'submitted' AND cross_province)" },
	positiveRate: { table: 'reviews', expr: 'if(count() = 0, NULL, countIf(rating >= 3) / count() * 100)' },
	negativeCount: { table: 'reviews', expr: 'countIf(rating <= 2)' },
	ticketVolume: { table: 'hotline_events', expr: "countIf(status = 'created')" },
	answerRate: { table: 'hotline_events', expr: "if(countIf(status = 'created') = 0, NULL, countIf(status = 'answered') / countIf(status = 'created') * 100)" },
	satisfactionRate: {
		table: 'hotline_events',
		expr: "if(countIf(status = 'closed' AND satisfied IS NOT NULL) = 0, NULL, countIf(status = 'closed' AND satisfied = true) / countIf(status = 'closed' AND satisfied IS NOT NULL) * 100)"
	},
	followUpRate: {
		table: 'hotline_events',
		expr: "if(countIf(status = 'closed') = 0, NULL, countIf(status = 'closed' AND satisfied IS NOT NULL) / countIf(status = 'closed') * 100)"
	},
	ticketOnTimeRate: {
		table: 'hotline_events',
		expr: "if(countIf(status = 'closed' AND due_ts IS NOT NULL) = 0, NULL, countIf(status = 'closed' AND ts <= due_ts) / countIf(status = 'closed' AND due_ts IS NOT NULL) * 100)"
	}
};
// Two-source indicators: numerator and denominator from different raw tables.
const RAW_RATIO: Record<string, [{ table: string; expr: string }, { table: string; expr: string }]> = {
	reviewRate: [
		{ table: 'reviews', expr: 'count()' },
		{ table: 'case_events', expr: "countIf(status = 'completed')" }
	]
};

/**
 * 差评整改率 from the raw tables: a cohort (GB/T 39735) — 差评 by the period they were received in, each review once,
 * and the share of them with a rectification (by now).
 */
async function rawRectifiedRate(grain: string, regionWhere: string, regionKey: string): Promise<Map<string, number | null>> {
	return raw(
		'(SELECT * FROM reviews WHERE rating <= 2 ORDER BY ingested_at LIMIT 1 BY review_id)',
		"if(count() = 0, NULL, countIf(review_id IN (SELECT review_id FROM review_actions WHERE action = 'rectify')) / count() * 100)",
		grain,
		regionWhere,
		regionKey
	);
}

const PERIOD: Record<string, string> = {
	hour: "formatDateTime(toStartOfHour(ts), '%Y-%m-%d %H:%i', 'Asia/Shanghai')",
	day: "toString(toDate(ts, 'Asia/Shanghai'))",
	month: "formatDateTime(toStartOfMonth(toDate(ts, 'Asia/Shanghai')), '%Y-%m')",
	total: "'total'"
};

/**
 * 差评超期数 from the raw tables: negative reviews bucketed by their deadline,
 * overdue when the deadline's Beijing day ended before the first rectification
 * (or before now, with none).
 */
async function rawOverdue(grain: string, regionWhere: string, regionKey: string, from = '2026-10-26', to = '2026-11-02'): Promise<Map<string, number | null>> {
	const period = { day: 'toString(rectify_due_date)', month: "formatDateTime(toStartOfMonth(rectify_due_date), '%Y-%m')", total: "'total'" }[grain]!;
	const rs = await db.warehouse.query({
		query: `SELECT ${period} AS period, ${regionKey} AS region,
		               countIf(assumeNotNull(rectify_due_date) < toDate(now(), 'Asia/Shanghai')
		                       AND (first_rectified IS NULL OR first_rectified >= toDateTime64(toDateTime(assumeNotNull(rectify_due_date) + 1, 'Asia/Shanghai'), 3, 'UTC'))) AS v
		        FROM reviews
		        LEFT JOIN (SELECT review_id, min(ts) AS first_rectified FROM review_actions WHERE action = 'rectify' GROUP BY review_id) AS r USING review_id
		        WHERE rating <= 2 AND rectify_due_date >= {from:Date} AND rectify_due_date < {to:Date} AND ${regionWhere}
		        GROUP BY period, region
		        SETTINGS join_use_nulls = 1`,
		query_params: { from, to },
		format: 'JSONEachRow'
	});
	return new Map((await rs.json<{ period: string; region: number; v: number }>()).map((r) => [`${r.period}|${r.region}`, Number(r.v)]));
}

async function raw(table: string, expr: string, grain: string, regionWhere: string, regionKey: string): Promise<Map<string, number | null>> {
	const rs = await db.warehouse.query({
		query: `SELECT ${PERIOD[grain]} AS period, ${regionKey} AS region, ${expr} AS v FROM ${table}
		        WHERE ts >= toDateTime64('2026-10-25 16:00:00', 3, 'UTC') AND ts < toDateTime64('2026-11-01 16:00:00', 3, 'UTC') AND ${regionWhere}
		        GROUP BY period, region`,
		format: 'JSONEachRow'
	});
	return new Map(
		(await rs.json<{ period: string; region: number; v: number | null }>()).map((r) => [`${r.period}|${r.region}`, r.v === null ? null : Number(r.v)])
	);
}

const CASES = [
	{ name: 'national, by province, by day', region: { adcode: 0, by: 'children' as const }, grain: 'day', where: '1', key: 'province_code' },
	{
		name: 'a province by city, by hour',
		region: { adcode: 440000, by: 'children' as const },
		grain: 'hour',
		where: 'province_code = 440000',
		key: 'city_code'
	},
	{ name: 'a city by county, for the month', region: { adcode: 440300, by: 'children' as const }, grain: 'month', where: 'city_code = 440300', key: 'adcode' },
	{
		name: 'a municipality by district, in total',
		region: { adcode: 310000, by: 'children' as const },
		grain: 'total',
		where: 'province_code = 310000',
		key: 'adcode'
	},
	{ name: 'one county, by day', region: { adcode: 440305, by: 'self' as const }, grain: 'day', where: 'adcode = 440305', key: '0' }
];

describe('every catalogue indicator equals the raw events', () => {
	it.each(CASES)('$name', async ({ region, grain, where, key }) => {
		const indicators = CATALOGUE.filter((i) => i.grains.includes(grain as never)).map((i) => i.code);
		const input: QueryInput = { indicators, from: '2026-10-26', to: '2026-11-02', grain: grain as QueryInput['grain'], region };
		const result = await runQuery(db.warehouse, QueryRequest.parse(input), { all: true });
		expect(result.series.length).toBeGreaterThan(0);
		let compared = 0;
		for (const code of indicators) {
			let expected: Map<string, number | null>;
			if (RAW[code]) expected = await raw(RAW[code]!.table, RAW[code]!.expr, grain, where, key);
			else if (code === 'overdueNegativeCount') expected = await rawOverdue(grain, where, key);
			else if (code === 'rectifiedRate') expected = await rawRectifiedRate(grain, where, key);
			else {
				const [n, d] = RAW_RATIO[code]!;
				const num = await raw(n.table, n.expr, grain, where, key);
				const den = await raw(d.table, d.expr, grain, where, key);
				expected = new Map([...den.entries()].map(([k, v]) => [k, v ? ((num.get(k) ?? 0) / v) * 100 : null]));
			}
			for (const s of result.series) {
				result.buckets.forEach((bucket, i) => {
					const want = expected.get(`${bucket}|${s.key.region ?? 0}`) ?? (RAW[code]?.expr.startsWith('count') || code === 'overdueNegativeCount' ? 0 : null);
					const got = s.values[code]![i]!;
					if (want === null || got === null) {
						expect(got, `${code} ${bucket} region ${s.key.region}`).toBe(want);
					} else {
						expect(got, `${code} ${bucket} region ${s.key.region}`).toBeCloseTo(want, 6);
					}
					compared++;
				});
			}
		}
		expect(compared).toBeGreaterThan(indicators.length);
	});

	// The whole range in one figure: a rate over the week is the ratio of the week's summed counts, straight from the raw
	// events — never a mean of the daily rates (a quiet day would weigh as much as a busy one).
	it.each(CASES.filter((c) => c.grain !== 'total'))('$name: the total over the range', async ({ region, grain, where, key }) => {
		const indicators = CATALOGUE.filter((i) => i.grains.includes(grain as never) && i.grains.includes('total')).map((i) => i.code);
		const input: QueryInput = { indicators, from: '2026-10-26', to: '2026-11-02', grain: grain as QueryInput['grain'], region };
		const result = await runQuery(db.warehouse, QueryRequest.parse(input), { all: true });
		let rates = 0;
		for (const code of indicators) {
			let expected: Map<string, number | null>;
			if (RAW[code]) expected = await raw(RAW[code]!.table, RAW[code]!.expr, 'total', where, key);
			else if (code === 'overdueNegativeCount') expected = await rawOverdue('total', where, key);
			else if (code === 'rectifiedRate') expected = await rawRectifiedRate('total', where, key);
			else {
				const [n, d] = RAW_RATIO[code]!;
				const num = await raw(n.table, n.expr, 'total', where, key);
				const den = await raw(d.table, d.expr, 'total', where, key);
				expected = new Map([...den.entries()].map(([k, v]) => [k, v ? ((num.get(k) ?? 0) / v) * 100 : null]));
			}
			for (const s of result.series) {
				const want = expected.get(`total|${s.key.region ?? 0}`) ?? (RAW[code]?.expr.startsWith('count') || code === 'overdueNegativeCount' ? 0 : null);
				const got = s.total[code]!;
				if (want === null || got === null) expect(got, `${code} total region ${s.key.region}`).toBe(want);
				else expect(got, `${code} total region ${s.key.region}`).toBeCloseTo(want, 6);
				if (code === 'onTimeRate' && got !== null) rates++;
			}
		}
		expect(rates).toBeGreaterThan(0);
	});
});

describe('deadlines', () => {
	// The week's 差评 fall due in the two weeks after it (5 working days); those whose
	// handling the simulation cut off are past their deadline now.
	it('差评超期数 by deadline day and province equals the raw reviews and rectifications', async () => {
		const result = await runQuery(
			db.warehouse,
			QueryRequest.parse({ indicators: ['overdueNegativeCount'], from: '2026-10-26', to: '2026-11-16', grain: 'day', region: { adcode: 0, by: 'children' } }),
			{ all: true }
		);
		const expected = await rawOverdue('day', '1', 'province_code', '2026-10-26', '2026-11-16');
		let total = 0;
		for (const s of result.series) {
			result.buckets.forEach((bucket, i) => {
				expect(s.values.overdueNegativeCount![i], `${bucket} ${s.key.region}`).toBe(expected.get(`${bucket}|${s.key.region}`) ?? 0);
				total += s.values.overdueNegativeCount![i]!;
			});
		}
		expect(total).toBeGreaterThan(0);
		expect(total).toBe([...expected.values()].reduce((a: number, b) => a + (b ?? 0), 0));
	});

	it('has a 12345 on-time rate below 100 % from the tickets that carry a deadline', async () => {
		const result = await runQuery(
			db.warehouse,
			QueryRequest.parse({ indicators: ['ticketOnTimeRate'], from: '2026-10-26', to: '2026-11-02', grain: 'total', region: { adcode: 0 } }),
			{ all: true }
		);
		const rate = result.series[0]!.values.ticketOnTimeRate![0]!;
		expect(rate).toBeGreaterThan(50);
		expect(rate).toBeLessThan(100);
	});
});

describe('the detailed rollups (department, item)', () => {
	it('by department within a province, by day, filtered to two channels, equals the raw events', async () => {
		const result = await runQuery(
			db.warehouse,
			QueryRequest.parse({
				indicators: ['caseVolume', 'onTimeRate', 'positiveRate'],
				from: '2026-10-26',
				to: '2026-11-02',
				grain: 'day',
				region: { adcode: 440000 },
				groupBy: ['department'],
				filters: { channel: ['web', 'mobile'] }
			}),
			{ all: true }
		);
		expect(result.series.length).toBeGreaterThan(5);
		for (const code of ['caseVolume', 'onTimeRate', 'positiveRate'] as const) {
			const table = code === 'positiveRate' ? 'reviews' : 'case_events';
			const rs = await db.warehouse.query({
				query: `SELECT toString(toDate(ts, 'Asia/Shanghai')) AS period, department, ${RAW[code]!.expr} AS v FROM ${table}
				        WHERE province_code = 440000 AND channel IN ('web', 'mobile') AND ts >= toDateTime64('2026-10-25 16:00:00', 3, 'UTC') AND ts < toDateTime64('2026-11-01 16:00:00', 3, 'UTC')
				        GROUP BY period, department`,
				format: 'JSONEachRow'
			});
			const expected = new Map(
				(await rs.json<{ period: string; department: string; v: number | null }>()).map((r) => [
					`${r.period}|${r.department}`,
					r.v === null ? null : Number(r.v)
				])
			);
			for (const s of result.series) {
				result.buckets.forEach((bucket, i) => {
					const want = expected.get(`${bucket}|${s.key.department}`) ?? (code === 'caseVolume' ? 0 : null);
					const got = s.values[code]![i]!;
					if (want === null || got === null) expect(got, `${code} ${bucket} ${s.key.department}`).toBe(want);
					else expect(got, `${code} ${bucket} ${s.key.department}`).toBeCloseTo(want, 6);
				});
			}
		}
	});
});

describe('Beijing days', () => {
	it('counts an event at 23:30 Beijing time on the 1st on the 1st, and one at 00:30 on the 2nd', async () => {
		const event = (id: string, ts: string) => ({
			type: 'case',
			event_id: id,
			case_id: id,
			status: 'submitted',
			ts,
			adcode: 659001,
			department: '测试部门',
			item_code: 'T-1',
			item_name: '测试事项',
			channel: 'web',
			promised_days: 1,
			trips: 0,
			cross_province: false
		});
		const file = path.join(dir, 'midnight.ndjson');
		writeFileSync(
			file,
			[event('late', '2026-11-01T23:30:00+08:00'), event('early', '2026-11-02T00:30:00+08:00')].map((e) => JSON.stringify(e)).join('\n') + '\n'
		);
		expect((await runIngest(db.database, ['--file', file, '--once']).done).code).toBe(0);
		const result = await runQuery(
			db.warehouse,
			QueryRequest.parse({ indicators: ['caseVolume'], from: '2026-11-01', to: '2026-11-03', grain: 'day', region: { adcode: 659001 } }),
			{ all: true }
		);
		expect(result.buckets).toEqual(['2026-11-01', '2026-11-02']);
		expect(result.series[0]!.values.caseVolume).toEqual([1, 1]);
		const hourly = await runQuery(
			db.warehouse,
			QueryRequest.parse({ indicators: ['caseVolume'], from: '2026-11-01T23:00', to: '2026-11-02T01:00', grain: 'hour', region: { adcode: 659001 } }),
			{ all: true }
		);
		expect(hourly.buckets).toEqual(['2026-11-01 23:00', '2026-11-02 00:00']);
		expect(hourly.series[0]!.values.caseVolume).toEqual([1, 1]);
	});
});

describe('comparison periods and empty buckets', () => {
	it('fills buckets without data and compares with the previous period', async () => {
		const result = await runQuery(
			db.warehouse,
			QueryRequest.parse({
				indicators: ['caseVolume', 'onTimeRate'],
				from: '2026-10-30',
				to: '2026-11-05',
				grain: 'day',
				region: { adcode: 440000 },
				compare: 'previousPeriod'
			}),
			{ all: true }
		);
		expect(result.buckets).toHaveLength(6);
		const s = result.series[0]!;
		expect(s.values.caseVolume!.slice(3)).toEqual([0, 0, 0]); // no data after 11-01: zeros, not gaps
		expect(s.values.onTimeRate!.slice(3)).toEqual([null, null, null]); // no completions: no rate
		expect(result.compareBuckets).toEqual(['2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29']);
		expect(s.compare!.caseVolume!.slice(0, 2)).toEqual([0, 0]);
		expect(s.compareTotal!.caseVolume).toBeGreaterThan(0);
	});
});
