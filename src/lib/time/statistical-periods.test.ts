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

describe('release calendar', () => {
	it('releases the nation’s month around the 15th of the next month, on a working day', () => {
		expect(nationalReleaseDate('2024-02', 'retailSales')).toBe('2024-03-15'); // 1–2月 in mid-March, a Friday
		expect(nationalReleaseDate('2025-02', 'retailSales')).toBe('2025-03-17'); // the 15th a Saturday → Monday
		expect(nationalReleaseDate('2026-02', 'industrialValueAdded')).toBe('2026-03-16'); // a Sunday → Monday
		expect(nationalReleaseDate('2024-10', 'industrialValueAdded')).toBe('2024-11-15');
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
	});
	it('releases each province a few working days after the nation', () => {
		expect(provincialReleaseDate('2024-10', 0, 'industrialValueAdded')).toBe('2024-11-15');
		expect(provincialReleaseDate('2024-10', 440000, 'industrialValueAdded')).toBe('2024-11-19'); // 2 working days after Friday
		expect(provincialReleaseDate('2024-10', 110000, 'industrialValueAdded')).toBe('2024-11-22'); // 5
		expect(provincialReleaseDate('2024-01', 440000, 'cpi')).toBe('2024-02-20'); // after 春节: 18th, then 19th, 20th
	});
});
