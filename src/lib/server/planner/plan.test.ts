import { describe, expect, it } from 'vitest';
import { plan } from './plan.ts';
import { QueryRequest, type QueryInput } from './request.ts';

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
