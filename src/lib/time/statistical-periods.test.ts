import { describe, expect, it } from 'vitest';
import { JAN_FEB_COMBINED, monthLabel, nationalReleaseDate, periodLabel, provincialReleaseDate, publishedMonths, quarterLabel } from './statistical-periods.ts';

describe('statistical periods (the bureau’s labels)', () => {
	it('labels 1–2月 as one figure for the combined series, and months cumulatively from January', () => {
		expect(monthLabel(2, { cumulative: false, combined: true })).toBe('1–2月');
		expect(monthLabel(2, { cumulative: false, combined: false })).toBe('2月');
		expect(monthLabel(10, { cumulative: true, combined: true })).toBe('1–10月');
		expect(monthLabel(10, { cumulative: false, combined: true })).toBe('10月');
		expect(monthLabel(1, { cumulative: true, combined: false })).toBe('1月');
		expect(() => monthLabel(1, { cumulative: false, combined: true })).toThrow(/1–2月/);
		expect(() => monthLabel(13, { cumulative: false, combined: false })).toThrow();
	});
	it('labels quarters alone and cumulatively (前三季度)', () => {
		expect([1, 2, 3, 4].map((q) => quarterLabel(q, true))).toEqual(['一季度', '上半年', '前三季度', '全年']);
		expect([1, 2, 3, 4].map((q) => quarterLabel(q, false))).toEqual(['一季度', '二季度', '三季度', '四季度']);
		expect(periodLabel('2026-Q3', { cumulative: true, combined: false })).toBe('前三季度');
		expect(periodLabel('2026-02', { cumulative: false, combined: true })).toBe('1–2月');
		expect(periodLabel('2026-11', { cumulative: true, combined: true })).toBe('1–11月');
		expect(periodLabel('2025', { cumulative: true, combined: false })).toBe('全年');
		expect(() => periodLabel('2025-13', { cumulative: true, combined: false })).toThrow();
	});
	it('has no 1月 for industry, retail, investment and fiscal revenue, and 1月 for the others', () => {
		expect([...JAN_FEB_COMBINED].sort()).toEqual(['fiscalRevenue', 'fixedAssetInvestment', 'industrialValueAdded', 'retailSales']);
		expect(publishedMonths(true)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
		expect(publishedMonths(false)).toHaveLength(12);
	});
});

describe('statistical periods at their edges (hand-written)', () => {
	it('labels December alone and cumulatively, and refuses what is not a month or a quarter', () => {
		expect(monthLabel(12, { cumulative: false, combined: false })).toBe('12月');
		expect(monthLabel(12, { cumulative: true, combined: true })).toBe('1–12月');
		for (const bad of [0, 13, 1.5, Number.NaN])
			expect(() => monthLabel(bad, { cumulative: true, combined: false }), String(bad)).toThrow(`not a month: ${bad}`);
		for (const bad of [0, 5, 2.5, Number.NaN]) expect(() => quarterLabel(bad, true), String(bad)).toThrow(`not a quarter: ${bad}`);
	});

	// Each one a whole-string pattern would refuse: a trailing or leading character, a short month, five digits of year.
	const MALFORMED = ['2026-Q3x', 'x2026-Q3', '2026-Q5', '2026-11x', 'x2026-11', '2026-1', '20255', '12025', '2025-'];

	it('refuses a label for a malformed period, with the period in the message', () => {
		for (const bad of MALFORMED) expect(() => periodLabel(bad, { cumulative: true, combined: false }), bad).toThrow(`not a period: ${bad}`);
	});

	it('refuses a release date for a malformed period or a month that does not exist', () => {
		for (const bad of [...MALFORMED, '2025-13', '2025-00']) expect(() => nationalReleaseDate(bad, 'gdp'), bad).toThrow(`not a period: ${bad}`);
	});
});

describe('release calendar', () => {
	it('releases the nation’s month around the 15th of the next month, on a working day', () => {
		expect(nationalReleaseDate('2024-02', 'retailSales')).toBe('2024-03-15'); // 1–2月 in mid-March, a Friday
		expect(nationalReleaseDate('2025-02', 'retailSales')).toBe('2025-03-17'); // the 15th a Saturday → Monday
		expect(nationalReleaseDate('2026-02', 'industrialValueAdded')).toBe('2026-03-16'); // a Sunday → Monday
		expect(nationalReleaseDate('2024-10', 'industrialValueAdded')).toBe('2024-11-15');
		// No indicator: the 15th rule. January 2025: Saturday 15 February → Monday the 17th (春节 ended on 4 February).
		expect(nationalReleaseDate('2024-10')).toBe('2024-11-15');
		expect(nationalReleaseDate('2025-01')).toBe('2025-02-17');
		// Q1 2026 with March: Wednesday 15 April (清明 was 4–6 April).
		expect(nationalReleaseDate('2026-Q1', 'gdp')).toBe('2026-04-15');
	});
	it('releases December, Q4 and the year around 17 January, quarters with their last month', () => {
		expect(nationalReleaseDate('2023-12', 'retailSales')).toBe('2024-01-17');
		expect(nationalReleaseDate('2025-Q4', 'gdp')).toBe('2026-01-19'); // the 17th a Saturday
		expect(nationalReleaseDate('2025', 'gdp')).toBe('2026-01-19');
		expect(nationalReleaseDate('2025-Q3', 'gdp')).toBe('2025-10-15');
	});
	it('releases CPI around the 10th, across 春节 and on a make-up Saturday (调休)', () => {
		expect(nationalReleaseDate('2024-09', 'cpi')).toBe('2024-10-10');
		expect(nationalReleaseDate('2024-01', 'cpi')).toBe('2024-02-18'); // 10–17 Feb 2024 春节; Sunday the 18th is a working day
		expect(nationalReleaseDate('2026-09', 'cpi')).toBe('2026-10-10'); // Saturday 10 Oct 2026 is a working day after 国庆
		// December's CPI keeps the 10th (not the 17th): Saturday 10 January 2026 → Monday the 12th (元旦's make-up day was the 4th).
		expect(nationalReleaseDate('2025-12', 'cpi')).toBe('2026-01-12');
	});
	it('releases each province a few working days after the nation', () => {
		expect(provincialReleaseDate('2024-10', 0, 'industrialValueAdded')).toBe('2024-11-15');
		expect(provincialReleaseDate('2024-10', 440000, 'industrialValueAdded')).toBe('2024-11-19'); // 2 working days after Friday
		expect(provincialReleaseDate('2024-10', 330000, 'industrialValueAdded')).toBe('2024-11-20'); // 3
		expect(provincialReleaseDate('2024-10', 340000, 'industrialValueAdded')).toBe('2024-11-21'); // 4
		expect(provincialReleaseDate('2024-10', 110000, 'industrialValueAdded')).toBe('2024-11-22'); // 5
		expect(provincialReleaseDate('2024-01', 440000, 'cpi')).toBe('2024-02-20'); // after 春节: 18th, then 19th, 20th
	});
});
