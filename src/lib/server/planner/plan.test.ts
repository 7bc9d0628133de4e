import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../../test/helpers/property-runs.ts';
import { change } from '../../cockpit/model.ts';
import { beijingLocal } from '../../time/beijing-time.ts';
import { ScopeError } from '../scope.ts';
import { bucketLabels, childColumn, MAX_RESULT_ROWS, plan, PlanError } from './plan.ts';
import { QueryRequest, type QueryInput } from './request.ts';
import { comparisonRange } from './run.ts';

const tableFor = (input: Partial<QueryInput>, scope: Parameters<typeof plan>[1] = { all: true }) =>
	plan(
		QueryRequest.parse({ indicators: ['caseVolume'], from: '2026-11-01', to: '2026-11-08', grain: 'day', region: { adcode: 0, by: 'children' }, ...input }),
		scope
	).queries[0]!.table;

describe('the planner picks the smallest rollup that answers', () => {
	it('reads the city-level rollup when no county is needed', () => {
		expect(tableFor({})).toBe('case_city_stats_day');
		expect(tableFor({ region: { adcode: 440000, by: 'children' } })).toBe('case_city_stats_day');
		expect(tableFor({ region: { adcode: 440300, by: 'self' } })).toBe('case_city_stats_day');
		expect(tableFor({ grain: 'hour', from: '2026-11-07', region: { adcode: 440000, by: 'self' }, filters: { channel: ['web'] } })).toBe('case_city_stats_hour');
	});

	it('reads the region rollup when counties are asked for, or are in the scope', () => {
		expect(tableFor({ region: { adcode: 440300, by: 'children' } })).toBe('case_region_stats_day');
		expect(tableFor({ region: { adcode: 310000, by: 'children' } })).toBe('case_region_stats_day'); // a municipality's districts
		expect(tableFor({ region: { adcode: 440305, by: 'self' } })).toBe('case_region_stats_day');
		expect(tableFor({ region: { adcode: 440000, by: 'children' } }, { adcodes: [440000, 450102] })).toBe('case_region_stats_day');
	});

	it('reads the detailed rollup for departments and items, and the minute one for minutes', () => {
		expect(tableFor({ groupBy: ['department'] })).toBe('case_stats_day');
		expect(tableFor({ filters: { item: ['X'] } })).toBe('case_stats_day');
		expect(tableFor({ grain: 'minute', from: '2026-11-07T10:00', to: '2026-11-07T11:00' })).toBe('case_stats_minute');
	});

	it('reads today so far (not whole days) from the hour rollups', () => {
		expect(tableFor({ grain: 'total', from: '2026-11-07', to: '2026-11-07T15:00' })).toBe('case_city_stats_hour');
		expect(tableFor({ grain: 'total', from: '2026-11-07T09:30', to: '2026-11-07T15:00' })).toBe('case_stats_minute');
	});
});

describe('the scope in SQL', () => {
	it('tests only the levels the scope has, so a city-level rollup can answer a scoped caller', () => {
		const p = plan(QueryRequest.parse({ indicators: ['caseVolume'], from: '2026-11-01', to: '2026-11-08', grain: 'day', region: { adcode: 440300 } }), {
			adcodes: [440000]
		});
		expect(p.queries[0]!.table).toBe('case_city_stats_day');
		expect(p.queries[0]!.sql).toContain('(has({scope_province:Array(UInt32)}, province_code))');
		expect(p.queries[0]!.sql).not.toContain('adcode');
	});
});

const at = (beijing: string) => Date.parse(`${beijing}+08:00`);
const request = (input: Partial<QueryInput>) =>
	QueryRequest.parse({ indicators: ['caseVolume'], from: '2026-11-01', to: '2026-11-08', grain: 'day', region: { adcode: 0 }, ...input });

describe('comparison periods (hand-computed Beijing dates)', () => {
	const range = (input: Partial<QueryInput>) => comparisonRange(request(input));
	const dates = (input: Partial<QueryInput>) => {
		const r = range(input)!;
		return [beijingLocal(r.from), beijingLocal(r.to)];
	};

	it('环比: the period just before, of the same length', () => {
		expect(range({ compare: 'previousPeriod' })).toEqual({ from: at('2026-10-25T00:00'), to: at('2026-11-01T00:00') });
		expect(dates({ from: '2026-11-01T09:00', to: '2026-11-01T12:00', grain: 'hour', compare: 'previousPeriod' })).toEqual([
			'2026-11-01T06:00',
			'2026-11-01T09:00'
		]);
	});

	it('the previous day and week: the same clock times 24 h and 7 × 24 h earlier', () => {
		expect(range({ compare: 'previousDay' })).toEqual({ from: at('2026-10-31T00:00'), to: at('2026-11-07T00:00') });
		expect(range({ compare: 'previousWeek' })).toEqual({ from: at('2026-10-25T00:00'), to: at('2026-11-01T00:00') });
	});

	it('同比: the same dates a year earlier — not the previous month', () => {
		expect(range({ compare: 'yoy' })).toEqual({ from: at('2025-11-01T00:00'), to: at('2025-11-08T00:00') });
		expect(dates({ from: '2026-01-01', to: '2026-04-01', grain: 'month', compare: 'yoy' })).toEqual(['2025-01-01T00:00', '2025-04-01T00:00']);
		// 29 February has no twin: the day before March, not a range that starts in March and is empty.
		expect(dates({ from: '2024-02-29', to: '2024-03-01', compare: 'yoy' })).toEqual(['2023-02-28T00:00', '2023-03-01T00:00']);
	});

	it('月环比: the same dates a month earlier, the last day of a shorter month for a day it lacks', () => {
		expect(dates({ compare: 'mom' })).toEqual(['2026-10-01T00:00', '2026-10-08T00:00']);
		expect(dates({ from: '2026-03-01', to: '2026-04-01', grain: 'month', compare: 'mom' })).toEqual(['2026-02-01T00:00', '2026-03-01T00:00']);
		expect(dates({ from: '2026-01-01', to: '2026-02-01', grain: 'month', compare: 'mom' })).toEqual(['2025-12-01T00:00', '2026-01-01T00:00']);
		expect(dates({ from: '2026-03-31', to: '2026-04-01', compare: 'mom' })).toEqual(['2026-02-28T00:00', '2026-03-01T00:00']);
	});

	it('none: no comparison', () => {
		expect(range({})).toBeUndefined();
	});
});

describe('同比 of a series shifted by exactly one year is zero (fast-check)', () => {
	// Dates written out with UTC date arithmetic on the date alone (no clock, no time zone): not the code under test.
	const dateAfter = (date: string, days: number) => new Date(Date.parse(`${date}T00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
	// One count per month-day, the same every year: the series a year later is the series itself. 29 February has none
	// (its events would have no twin a year on or a year before).
	const monthDays = Array.from({ length: 366 }, (_, i) => dateAfter('2024-01-01', i).slice(5));
	const sum = (counts: number[], from: string, to: string) => {
		let total = 0;
		for (let d = from; d < to; d = dateAfter(d, 1)) total += d.endsWith('-02-29') ? 0 : counts[monthDays.indexOf(d.slice(5))]!;
		return total;
	};

	it('whole-day windows of any length in ordinary and leap years: the comparison range sums to the same count', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 2020, max: 2025 }),
				fc.integer({ min: 0, max: 364 }),
				fc.integer({ min: 1, max: 90 }),
				fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 366, maxLength: 366 }),
				(year, start, length, counts) => {
					const from = dateAfter(`${year}-01-01`, start);
					const to = dateAfter(from, length);
					// A window that starts or ends on 29 February is compared with 28 February (a day more or less): no law there.
					fc.pre(!from.endsWith('-02-29') && !to.endsWith('-02-29'));
					const r = comparisonRange(request({ from, to, compare: 'yoy' }))!;
					const [lastFrom, lastTo] = [beijingLocal(r.from), beijingLocal(r.to)];
					expect([lastFrom.slice(10), lastTo.slice(10)]).toEqual(['T00:00', 'T00:00']);
					// The same month-days one calendar year earlier.
					expect([lastFrom.slice(0, 10), lastTo.slice(0, 10)]).toEqual([`${year - 1}${from.slice(4)}`, `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`]);
					const now = sum(counts, from, to);
					const before = sum(counts, lastFrom.slice(0, 10), lastTo.slice(0, 10));
					expect(now).toBe(before);
					expect(change('count', now, before)).toBe(0);
				}
			),
			{ numRuns: runs(200) }
		);
	});
});

describe('the SQL of a plan', () => {
	it('a day series by sub-region: Beijing dates as Date parameters, one query per source, shared measures once', () => {
		const p = plan(
			request({ indicators: ['caseVolume', 'onTimeRate', 'positiveRate'], region: { adcode: 440000, by: 'children' }, filters: { channel: ['web'] } }),
			{ all: true }
		);
		expect(p.family).toBe('day');
		expect(p.grain).toBe('day');
		expect(p.keyColumns).toEqual(['period', 'region']);
		expect(p.queries.map((q) => q.table)).toEqual(['case_city_stats_day', 'review_city_stats_day']);
		const [cases, reviews] = p.queries;
		expect(cases!.sql).toBe(
			[
				'SELECT toString(bucket) AS period, city_code AS region, sum(submitted) AS m0, sum(completed_on_time) AS m1, sum(completed) AS m2',
				'FROM case_city_stats_day',
				'WHERE bucket >= {from:Date}',
				'  AND bucket < {to:Date}',
				'  AND province_code = {region:UInt32}',
				'  AND has({f_channel:Array(String)}, toString(channel))',
				'GROUP BY period, region',
				'ORDER BY period, region',
				'LIMIT {max_rows:UInt32}'
			].join('\n')
		);
		// Beijing dates: the range starts at Beijing midnight, which is 16:00 UTC the day before.
		expect(cases!.params).toEqual({ from: '2026-11-01', to: '2026-11-08', region: 440000, f_channel: ['web'], max_rows: MAX_RESULT_ROWS + 1 });
		expect(MAX_RESULT_ROWS).toBe(200_000);
		expect(cases!.keys).toEqual(['period', 'region']);
		expect([...cases!.measures]).toEqual([
			['m0', 'sum(submitted)'],
			['m1', 'sum(completed_on_time)'],
			['m2', 'sum(completed)']
		]);
		// 好评率's denominator without the upheld appeals (申诉成立, migration 0013).
		expect(reviews!.sql).toContain('sum(positive) AS m3, sum(reviews - upheld) AS m4');
		expect(Object.fromEntries(p.aliases)).toEqual({
			caseVolume: { submitted: 'm0' },
			onTimeRate: { onTime: 'm1', completed: 'm2' },
			positiveRate: { positive: 'm3', reviews: 'm4' }
		});
	});

	it('an hour series of a county in a city scope: UTC DateTime parameters, Beijing hour labels, grouped by a dimension', () => {
		const p = plan(request({ from: '2026-11-01T09:00', to: '2026-11-01T12:00', grain: 'hour', region: { adcode: 440305 }, groupBy: ['channel'] }), {
			adcodes: [440300]
		});
		expect(p.family).toBe('hour');
		expect(p.keyColumns).toEqual(['period', 'channel']);
		expect(p.queries[0]!.sql).toBe(
			[
				"SELECT formatDateTime(bucket, '%Y-%m-%d %H:%i', 'Asia/Shanghai') AS period, toString(channel) AS channel, sum(submitted) AS m0",
				'FROM case_region_stats_hour',
				"WHERE bucket >= {from:DateTime('UTC')}",
				"  AND bucket < {to:DateTime('UTC')}",
				'  AND adcode = {region:UInt32}',
				'  AND (has({scope_city:Array(UInt32)}, city_code))',
				'GROUP BY period, channel',
				'ORDER BY period, channel',
				'LIMIT {max_rows:UInt32}'
			].join('\n')
		);
		// 09:00 Beijing = 01:00 UTC.
		expect(p.queries[0]!.params).toEqual({ from: '2026-11-01 01:00:00', to: '2026-11-01 04:00:00', region: 440305, scope_city: [440300], max_rows: 200_001 });
	});

	it('months label the month of each day bucket; totals one label; the nation has no region term', () => {
		const m = plan(request({ from: '2026-01-01', to: '2026-11-01', grain: 'month' }), { all: true });
		expect(m.queries[0]!.sql).toMatch(
			/^SELECT formatDateTime\(toStartOfMonth\(bucket\), '%Y-%m'\) AS period, sum\(submitted\) AS m0\nFROM case_city_stats_day\nWHERE bucket >= \{from:Date\}\n {2}AND bucket < \{to:Date\}\nGROUP BY period\n/
		);
		const t = plan(request({ grain: 'total' }), { all: true });
		expect(t.family).toBe('day');
		expect(t.queries[0]!.sql.startsWith("SELECT 'total' AS period, sum(submitted) AS m0\n")).toBe(true);
		// A total over minutes that are not whole hours: the minute rollup, with UTC parameters.
		const minutes = plan(request({ grain: 'total', from: '2026-11-07T09:30', to: '2026-11-07T09:45' }), { all: true });
		expect(minutes.family).toBe('minute');
		expect(minutes.queries[0]!.params).toMatchObject({ from: '2026-11-07 01:30:00', to: '2026-11-07 01:45:00' });
		// Whole hours but not whole Beijing days: the hour rollup (00:00–15:00 Beijing is whole UTC days-plus-hours, not whole days).
		expect(plan(request({ grain: 'total', from: '2026-11-07', to: '2026-11-08T08:00' }), { all: true }).family).toBe('hour');
		// Whole UTC days are not whole Beijing days: 08:00 to 08:00 Beijing.
		expect(plan(request({ grain: 'total', from: '2026-11-07T08:00', to: '2026-11-08T08:00' }), { all: true }).family).toBe('hour');
		expect(plan(request({ grain: 'minute', from: '2026-11-07', to: '2026-11-07T01:00' }), { all: true }).family).toBe('minute');
	});

	it('weeks, quarters and years are day rollups labelled in SQL as ISO weeks, quarters and years', () => {
		const sqlOf = (grain: QueryInput['grain'], from: string, to: string) => {
			const p = plan(request({ grain, from, to }), { all: true });
			expect(p.family).toBe('day');
			expect(p.queries[0]!.table).toBe('case_city_stats_day');
			return p.queries[0]!.sql.split('\n')[0];
		};
		expect(sqlOf('week', '2026-11-02', '2026-11-16')).toBe(
			"SELECT concat(toString(toISOYear(bucket)), '-W', leftPad(toString(toISOWeek(bucket)), 2, '0')) AS period, sum(submitted) AS m0"
		);
		expect(sqlOf('quarter', '2026-01-01', '2026-07-01')).toBe(
			"SELECT concat(toString(toYear(bucket)), '-Q', toString(toQuarter(bucket))) AS period, sum(submitted) AS m0"
		);
		expect(sqlOf('year', '2024-01-01', '2026-01-01')).toBe('SELECT toString(toYear(bucket)) AS period, sum(submitted) AS m0');
	});

	it('a filter given as undefined is no filter: it neither refuses a dimension nor adds a term', () => {
		// 12345 tickets have no department; an absent department filter must not be taken as one.
		const input = {
			indicators: ['ticketVolume'],
			from: '2026-11-01',
			to: '2026-11-08',
			grain: 'day',
			region: { adcode: 0 },
			filters: { department: undefined, topic: ['噪音'] }
		};
		const parsed = QueryRequest.parse(input);
		expect(Object.keys(parsed.filters)).toContain('department'); // the key is there, its value undefined
		const p = plan(parsed, { all: true });
		expect(p.queries[0]!.params).toMatchObject({ f_topic: ['噪音'] });
		expect(p.queries[0]!.params).not.toHaveProperty('f_department');
	});

	it('refuses in Chinese what no rollup can answer', () => {
		expect(() => plan(request({ indicators: ['positiveRate'], grain: 'minute', from: '2026-11-07T09:00', to: '2026-11-07T10:00' }), { all: true })).toThrow(
			'好评率（positiveRate）没有按分钟的数据；可选：'
		);
		expect(() => plan(request({ indicators: ['caseVolume'], groupBy: ['topic'] }), { all: true })).toThrow(/不能按诉求主题筛选或分组/);
		expect(() => plan(request({ region: { adcode: 440305, by: 'children' } }), { all: true })).toThrow(PlanError);
		expect(() => plan(request({ region: { adcode: 440305, by: 'children' } }), { all: true })).toThrow('区县没有下级地区，不能按下级地区分组');
	});

	it('names in Chinese every grain, rollup family and dimension it refuses', () => {
		const refusal = (input: Partial<QueryInput>) => {
			try {
				plan(request(input), { all: true });
				return 'planned';
			} catch (e) {
				return (e as Error).message;
			}
		};
		expect(refusal({ indicators: ['positiveRate'], grain: 'minute', from: '2026-11-07T09:00', to: '2026-11-07T10:00' })).toBe(
			'好评率（positiveRate）没有按分钟的数据；可选：小时、日、月、合计'
		);
		expect(refusal({ indicators: ['positiveRate'], grain: 'total', from: '2026-11-07T09:30', to: '2026-11-07T15:00' })).toBe(
			'该指标的合计须从北京时间零点起止（reviews 没有按分钟的汇总）'
		);
		// Whole hours, but the 差评 cohort is kept by day only.
		expect(refusal({ indicators: ['rectifiedRate'], grain: 'total', from: '2026-11-07T09:00', to: '2026-11-07T15:00' })).toBe(
			'该指标的合计须从北京时间零点起止（negativeCohort 没有按小时的汇总）'
		);
		expect(refusal({ groupBy: ['ticketType'] })).toBe('办件量（caseVolume）不能按诉求类型筛选或分组');
		expect(refusal({ indicators: ['ticketVolume'], groupBy: ['department'] })).toBe('12345工单量（ticketVolume）不能按部门筛选或分组');
		expect(refusal({ indicators: ['ticketVolume'], groupBy: ['item'] })).toBe('12345工单量（ticketVolume）不能按事项筛选或分组');
		expect(refusal({ indicators: ['ticketVolume'], filters: { channel: ['web'] } })).toBe('12345工单量（ticketVolume）不能按渠道筛选或分组');
		expect(refusal({ grain: 'minute', from: '2026-11-07T09:00', to: '2026-11-07T10:00', groupBy: ['department'] })).toBe('按分钟的数据不能按部门分组（cases）');
		expect(refusal({ grain: 'minute', from: '2026-11-07T09:00', to: '2026-11-07T10:00', filters: { item: ['x'] } })).toBe(
			'按分钟的数据不能按事项筛选（cases）'
		);
		expect(refusal({ indicators: ['positiveRate'], grain: 'hour', from: '2026-11-07T09:00', to: '2026-11-07T15:00' })).toBe('planned');
	});

	it('asks a measure two indicators share once, and picks the family by the range: whole Beijing days, whole hours, else minutes', () => {
		const shared = plan(request({ indicators: ['completedVolume', 'onTimeRate'] }), { all: true });
		expect(Object.fromEntries(shared.aliases)).toEqual({ completedVolume: { completed: 'm0' }, onTimeRate: { onTime: 'm1', completed: 'm0' } });
		expect(shared.queries[0]!.sql.match(/sum\(completed\)/g)).toHaveLength(1);
		// A day series reads the day rollups even when its range starts mid-day (the buckets are Beijing days).
		expect(plan(request({ from: '2026-11-01T12:00', to: '2026-11-03' }), { all: true }).family).toBe('day');
		// A total from a whole hour to a part hour, or the other way round: minutes.
		expect(plan(request({ grain: 'total', from: '2026-11-07T09:00', to: '2026-11-07T09:45' }), { all: true }).family).toBe('minute');
		expect(plan(request({ grain: 'total', from: '2026-11-07T09:15', to: '2026-11-07T10:00' }), { all: true }).family).toBe('minute');
	});

	// Equivalent mutants left in plan.ts (Stryker): FAMILY_ZH's 小时 and 日, and the non-total "没有按…的汇总", are
	// unreachable with today's catalogue (every source has hour and day rollups with every dimension its indicators
	// allow; minutes are refused by the grain check first); dropping the `filters[k] !== undefined` filter or the
	// `if (!vals) continue` changes nothing for a parsed request, whose filters never hold an undefined value.

	it('refuses a region outside the scope before any SQL: a sibling city, the parent, the nation, a county of another city', () => {
		for (const adcode of [440100, 440000, 0, 440106]) expect(() => plan(request({ region: { adcode } }), { adcodes: [440300] })).toThrow(ScopeError);
	});
});

describe('sub-regions and bucket labels', () => {
	it('splits the nation into provinces, a province into cities, a municipality into districts, a city into counties', () => {
		expect([0, 440000, 110000, 500000, 440300].map(childColumn)).toEqual(['province_code', 'city_code', 'adcode', 'adcode', 'adcode']);
	});

	it('labels the weeks, quarters and years of a range (ISO weeks: 2026-11-01 is the Sunday of week 44)', () => {
		expect(bucketLabels('week', at('2026-11-01T00:00'), at('2026-11-15T00:00'))).toEqual(['2026-W44', '2026-W45', '2026-W46']);
		expect(bucketLabels('quarter', at('2026-08-01T00:00'), at('2026-11-01T00:00'))).toEqual(['2026-Q3', '2026-Q4']);
		expect(bucketLabels('year', at('2025-12-01T00:00'), at('2026-02-01T00:00'))).toEqual(['2025', '2026']);
	});

	it('labels every bucket of a range in Beijing time, so empty ones can be filled', () => {
		expect(bucketLabels('day', at('2026-11-01T00:00'), at('2026-11-04T00:00'))).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
		expect(bucketLabels('hour', at('2026-11-01T22:00'), at('2026-11-02T01:00'))).toEqual(['2026-11-01 22:00', '2026-11-01 23:00', '2026-11-02 00:00']);
		expect(bucketLabels('minute', at('2026-11-01T09:58'), at('2026-11-01T10:01'))).toEqual(['2026-11-01 09:58', '2026-11-01 09:59', '2026-11-01 10:00']);
		expect(bucketLabels('month', at('2026-01-15T00:00'), at('2026-03-02T00:00'))).toEqual(['2026-01', '2026-02', '2026-03']);
		expect(bucketLabels('total', at('2026-01-01T00:00'), at('2027-01-01T00:00'))).toEqual(['total']);
		// A part day at either end is a bucket of its own.
		expect(bucketLabels('day', at('2026-11-01T12:00'), at('2026-11-02T06:00'))).toEqual(['2026-11-01', '2026-11-02']);
	});
});
