import { describe, expect, it } from 'vitest';
import { QueryRequest, type QueryInput } from '../planner/request.ts';
import { checkWork, estimateWork, MAX_CELLS, WorkTooLargeError, type Cardinalities } from './work-cap.ts';

const card: Cardinalities = {
	children: new Map([
		[0, 34],
		[440000, 21],
		[440300, 9]
	]),
	items: 40,
	departments: 7
};
const week = { from: '2026-11-01', to: '2026-11-08' };
const TWELVE = [
	'caseVolume',
	'acceptedVolume',
	'completedVolume',
	'onTimeRate',
	'earlyRate',
	'avgDuration',
	'p90Duration',
	'fullyOnlineRate',
	'zeroTripRate',
	'crossProvinceVolume',
	'positiveRate',
	'negativeCount'
];
const estimate = (input: QueryInput) => estimateWork(QueryRequest.parse(input), card);

describe('the work estimate', () => {
	it('multiplies indicators, sub-regions, grouped values, buckets and periods', () => {
		// 2 indicators × 21 cities × 5 channels × 7 days × 2 periods.
		const w = estimate({
			indicators: ['caseVolume', 'onTimeRate'],
			...week,
			grain: 'day',
			region: { adcode: 440000, by: 'children' },
			groupBy: ['channel'],
			compare: 'previousWeek'
		});
		expect(w).toMatchObject({ indicators: 2, series: 105, buckets: 7, periods: 2, cells: 2940, heavy: false });
	});

	it('counts only the filtered values of a grouped dimension, and the catalogue otherwise', () => {
		expect(
			estimate({ indicators: ['caseVolume'], ...week, grain: 'total', region: { adcode: 0 }, groupBy: ['item'], filters: { item: ['A', 'B', 'C'] } }).series
		).toBe(3);
		expect(estimate({ indicators: ['caseVolume'], ...week, grain: 'total', region: { adcode: 0 }, groupBy: ['item', 'department'] }).series).toBe(280);
	});

	it('calls hour grain over more than a week heavy, and a day grain over a week light', () => {
		expect(estimate({ indicators: ['caseVolume'], from: '2026-11-01', to: '2026-11-09', grain: 'hour', region: { adcode: 0 } }).heavy).toBe(true);
		expect(estimate({ indicators: ['caseVolume'], from: '2026-11-01', to: '2026-11-07', grain: 'hour', region: { adcode: 0 } }).heavy).toBe(false);
		expect(estimate({ indicators: ['caseVolume'], ...week, grain: 'day', region: { adcode: 0 } }).heavy).toBe(false);
	});

	it('refuses past the cap, naming the figures and how to narrow the request', () => {
		// 12 indicators × 34 provinces × 40 items × 62 days = 1 011 840 > 200 000.
		const big = QueryRequest.parse({
			indicators: TWELVE,
			from: '2026-09-01',
			to: '2026-11-02',
			grain: 'day',
			region: { adcode: 0, by: 'children' },
			groupBy: ['item']
		});
		expect(() => checkWork(big, card)).toThrow(WorkTooLargeError);
		expect(() => checkWork(big, card)).toThrow(/1,011,840 个数据点.*12 个指标 × 1,360 条序列 × 62 个时间段.*减少指标.*更粗的粒度.*缩短时间范围.*减少分组维度/);
		// One indicator of the same: 84 320, answered.
		expect(checkWork({ ...big, indicators: ['caseVolume'] }, card).cells).toBe(84_320);
		expect(MAX_CELLS).toBe(200_000);
	});
});
