import { describe, expect, it } from 'vitest';
import { activeFilters, changeView, DEFAULT_VIEW, parseView, viewSearch } from './view-state.ts';

const parse = (q: string) => parseView(new URLSearchParams(q));

describe('the 好差评 view in the URL', () => {
	it('an empty query is the default view, and the default view writes no query', () => {
		expect(parse('')).toEqual(DEFAULT_VIEW);
		expect(viewSearch(DEFAULT_VIEW)).toBe('');
	});

	it('a link restores the view it was written from', () => {
		const view = { ...DEFAULT_VIEW, adcode: 440300, period: '7' as const, by: 'hall' as const, state: 'verified' as const, due: 'overdue' as const };
		const linked = { ...view, item: '不动产登记', department: '市场监管局', channel: 'mobile', sort: 'rating' as const, cursor: 'abc', review: 'r-1' };
		expect(viewSearch(linked)).toBe(
			'?adcode=440300&period=7&by=hall&state=verified&due=overdue&item=%E4%B8%8D%E5%8A%A8%E4%BA%A7%E7%99%BB%E8%AE%B0&department=%E5%B8%82%E5%9C%BA%E7%9B%91%E7%AE%A1%E5%B1%80&channel=mobile&sort=rating&cursor=abc&review=r-1'
		);
		expect(parse(viewSearch(linked).slice(1))).toEqual(linked);
	});

	it('values the page does not know fall back to the defaults instead of failing', () => {
		expect(parse('adcode=abc&period=365&by=planet&state=lost&due=later&channel=fax&sort=random')).toEqual(DEFAULT_VIEW);
		expect(parse('adcode=1234567').adcode).toBeNull();
		expect(parse('adcode=0').adcode).toBe(0);
		expect(parse(`item=${'长'.repeat(300)}`).item).toHaveLength(128);
	});

	it('a new filter or sort starts at the first page; opening a timeline or paging keeps the page', () => {
		const paged = { ...DEFAULT_VIEW, cursor: 'k1' };
		expect(changeView(paged, { state: 'new' }).cursor).toBe('');
		expect(changeView(paged, { sort: 'newest' }).cursor).toBe('');
		expect(changeView(paged, { review: 'r-9' }).cursor).toBe('k1');
		expect(changeView(paged, { by: 'item' }).cursor).toBe('k1');
		expect(changeView(paged, { cursor: 'k2' }).cursor).toBe('k2');
		// Setting a filter to the value it already has is not a change.
		expect(changeView(paged, { due: 'all' }).cursor).toBe('k1');
	});

	it('each set filter is a chip whose removal clears only that filter', () => {
		const view = { ...DEFAULT_VIEW, state: 'appealed' as const, due: 'soon' as const, channel: 'counter', item: '社保' };
		const chips = activeFilters(view);
		expect(chips.map((c) => `${c.label}：${c.value}`)).toEqual(['状态：申诉中', '期限：两个工作日内到期', '事项：社保', '渠道：窗口']);
		const cleared = changeView(view, chips[1]!.clear);
		expect(cleared).toEqual({ ...view, due: 'all' });
		expect(activeFilters(DEFAULT_VIEW)).toEqual([]);
	});
});
