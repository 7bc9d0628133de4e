import { describe, expect, it } from 'vitest';
import { changeOf, filterChips, rankAmong, searchIndicators, withFilter, withoutFilter, type CatalogueEntry } from './workbench.ts';
import type { ViewState } from '$lib/analysis/view-state';

const entry = (code: string, nameZh: string, pinyin: string, initials: string): CatalogueEntry => ({
	code,
	nameZh,
	nameEn: code,
	unit: '%',
	polarity: 'positive',
	kind: 'rate',
	definition: '',
	source: '',
	pinyin,
	initials,
	dimensions: []
});
const CAT = [
	entry('onTimeRate', '按时办结率', 'anshibanjielv', 'asbjl'),
	entry('caseVolume', '办件量', 'banjianliang', 'bjl'),
	entry('positiveRate', '好评率', 'haopinglv', 'hpl')
];
const VIEW: ViewState = {
	indicators: ['onTimeRate'],
	region: 440000,
	from: '2026-11-01',
	to: '2026-11-08',
	grain: 'day',
	compare: 'previousPeriod',
	filters: {},
	by: 'region',
	tab: 'chart'
};

describe('the workbench', () => {
	it('finds indicators by Chinese, pinyin, initials and code', () => {
		expect(searchIndicators(CAT, '办结').map((e) => e.code)).toEqual(['onTimeRate']);
		expect(searchIndicators(CAT, 'asbjl').map((e) => e.code)).toEqual(['onTimeRate']);
		expect(searchIndicators(CAT, 'an shi').map((e) => e.code)).toEqual(['onTimeRate']);
		expect(searchIndicators(CAT, 'bjl').map((e) => e.code)).toEqual(['caseVolume', 'onTimeRate']); // initials at the start first
		expect(searchIndicators(CAT, 'HAOPING').map((e) => e.code)).toEqual(['positiveRate']);
		expect(searchIndicators(CAT, '不存在')).toEqual([]);
		expect(searchIndicators(CAT, ' ')).toHaveLength(3);
	});

	it('adds and removes filters as chips, one per value', () => {
		const v = withFilter(withFilter(withFilter(VIEW, 'item', 'A1'), 'channel', 'web'), 'item', 'A2');
		expect(withFilter(v, 'item', 'A1')).toBe(v);
		expect(filterChips(v.filters, { A1: '不动产登记' })).toEqual([
			{ key: 'item=A1', label: '事项', value: '不动产登记' },
			{ key: 'item=A2', label: '事项', value: 'A2' },
			{ key: 'channel=web', label: '渠道', value: '网厅' }
		]);
		const w = withoutFilter(withoutFilter(v, 'item=A1'), 'channel=web');
		expect(w.filters).toEqual({ item: ['A2'] });
		expect(withoutFilter(w, 'item=A2').filters).toEqual({});
		expect(VIEW.filters).toEqual({}); // never mutated
	});

	it('states changes in points for rates and per cent for counts', () => {
		expect(changeOf('rate', 95.5, 97)).toBeCloseTo(-1.5, 10);
		expect(changeOf('count', 110, 100)).toBeCloseTo(10, 10);
		expect(changeOf('count', 5, 0)).toBeNull();
		expect(changeOf('rate', null, 90)).toBeNull();
	});

	it('ranks a region among its siblings by polarity, ties sharing a rank', () => {
		const vals = [
			{ adcode: 1, value: 90 },
			{ adcode: 2, value: 95 },
			{ adcode: 3, value: 95 },
			{ adcode: 4, value: null }
		];
		expect(rankAmong(vals, 1, 'positive')).toEqual({ rank: 3, of: 3 });
		expect(rankAmong(vals, 3, 'positive')).toEqual({ rank: 1, of: 3 });
		expect(rankAmong(vals, 1, 'negative')).toEqual({ rank: 1, of: 3 });
		expect(rankAmong(vals, 4, 'positive')).toBeNull();
	});
});
