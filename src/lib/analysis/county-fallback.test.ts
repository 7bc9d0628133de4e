import { describe, expect, it } from 'vitest';
import { atCounty, countyFallbackNote } from './county-fallback.ts';
import type { ViewState } from './view-state.ts';

// 天河区 (a county), 广州市 (a city); every expected view below is written out by hand.
const view = (over: Partial<ViewState>): ViewState => ({
	indicators: ['onTimeRate'],
	region: 440106,
	from: '2026-11-01',
	to: '2026-11-08',
	grain: 'day',
	compare: 'previousPeriod',
	filters: {},
	by: 'item',
	tab: 'pivot',
	...over
});
const ALL = ['department', 'item', 'channel'];

describe('a county has no child regions: the view falls back by itself', () => {
	it('region rows become 事项, region columns 事项 too; the other axis and the grain stay', () => {
		expect(atCounty(view({ pivot: { rows: 'region', columns: 'time', grain: 'week' } }), ALL).pivot).toEqual({ rows: 'item', columns: 'time', grain: 'week' });
		expect(atCounty(view({ pivot: { rows: 'channel', columns: 'region', grain: 'month' } }), ALL).pivot).toEqual({
			rows: 'channel',
			columns: 'item',
			grain: 'month'
		});
	});

	it('with 事项 on the other axis the region axis becomes 部门; without 部门 either, the next the indicator has', () => {
		expect(atCounty(view({ pivot: { rows: 'region', columns: 'item', grain: 'month' } }), ALL).pivot).toEqual({
			rows: 'department',
			columns: 'item',
			grain: 'month'
		});
		expect(atCounty(view({ pivot: { rows: 'item', columns: 'region', grain: 'month' } }), ['item', 'topic']).pivot).toEqual({
			rows: 'item',
			columns: 'topic',
			grain: 'month'
		});
		// An indicator of 12345 tickets: no item or department, so 诉求类型.
		expect(atCounty(view({ pivot: { rows: 'region', columns: 'channel', grain: 'month' } }), ['channel', 'ticketType', 'topic']).pivot).toEqual({
			rows: 'ticketType',
			columns: 'channel',
			grain: 'month'
		});
	});

	it('time is the last resort; with time on the other axis and nothing else the pivot is dropped', () => {
		expect(atCounty(view({ pivot: { rows: 'region', columns: 'item', grain: 'day' } }), ['item']).pivot).toEqual({
			rows: 'time',
			columns: 'item',
			grain: 'day'
		});
		const dropped = atCounty(view({ pivot: { rows: 'region', columns: 'time', grain: 'day' } }), []);
		expect(dropped.pivot).toBeUndefined();
		expect(dropped.tab).toBe('pivot');
	});

	it('a breakdown by region becomes the first breakdown dimension the indicator has (事项 when none)', () => {
		expect(atCounty(view({ by: 'region' }), ALL).by).toBe('item');
		expect(atCounty(view({ by: 'region' }), ['department', 'channel']).by).toBe('department');
		expect(atCounty(view({ by: 'region' }), ['channel']).by).toBe('channel');
		expect(atCounty(view({ by: 'region' }), []).by).toBe('item');
		expect(atCounty(view({ by: 'channel' }), ['department']).by).toBe('channel');
	});

	it('both at once, everything else untouched', () => {
		const before = view({ by: 'region', filters: { item: ['A1'] }, pivot: { rows: 'region', columns: 'item', grain: 'month' } });
		expect(atCounty(before, ALL)).toEqual({ ...before, by: 'item', pivot: { rows: 'department', columns: 'item', grain: 'month' } });
	});

	it('above a county, or with no region axis, the view is the same object', () => {
		for (const region of [0, 440000, 440100]) {
			const v = view({ region, by: 'region', pivot: { rows: 'region', columns: 'item', grain: 'month' } });
			expect(atCounty(v, ALL)).toBe(v);
		}
		const plain = view({ pivot: { rows: 'department', columns: 'time', grain: 'month' } });
		expect(atCounty(plain, ALL)).toBe(plain);
		const none = view({});
		expect(atCounty(none, ALL)).toBe(none);
	});
});

describe('the note that says so', () => {
	it('names the axis and the dimension it fell back to', () => {
		expect(countyFallbackNote({ rows: 'region', columns: 'item', grain: 'month' }, { rows: 'department', columns: 'item', grain: 'month' })).toBe(
			'区县没有下级地区，透视表的行已由“地区”改为“部门”。'
		);
		expect(countyFallbackNote({ rows: 'time', columns: 'region', grain: 'month' }, { rows: 'time', columns: 'item', grain: 'month' })).toBe(
			'区县没有下级地区，透视表的列已由“地区”改为“事项”。'
		);
		expect(countyFallbackNote({ rows: 'region', columns: 'time', grain: 'month' }, undefined)).toBe('区县没有下级地区，透视表已取消，请重新选择列。');
	});

	it('says nothing when no axis was region, or when there was no pivot', () => {
		expect(countyFallbackNote({ rows: 'item', columns: 'time', grain: 'month' }, { rows: 'item', columns: 'time', grain: 'month' })).toBe('');
		expect(countyFallbackNote(undefined, { rows: 'item', columns: 'time', grain: 'month' })).toBe('');
		expect(countyFallbackNote(undefined, undefined)).toBe('');
		expect(countyFallbackNote({ rows: 'region', columns: 'item', grain: 'month' }, { rows: 'region', columns: 'item', grain: 'month' })).toBe('');
	});
});
