import { describe, expect, it } from 'vitest';
import { ECONOMY, economicFigure } from './economy.ts';

const def = (code: string) => ECONOMY.find((d) => d.code === code)!;
const months = (year: number, values: number[]) => values.map((value, i) => ({ period: `${year}-${String(i + 1).padStart(2, '0')}`, value }));

describe('economic figures against targets', () => {
	it('a level series: 累计, 同比, 环比, 完成率 against 时序进度', () => {
		// Ten months of 100 this year, 90 last year; annual target 1250 亿元.
		const f = economicFigure(def('retailSales'), 2026, [...months(2025, Array(12).fill(90)), ...months(2026, Array(10).fill(100))], 1250);
		expect(f.period).toBe('2026-10');
		expect(f.ytd).toBe(1000);
		expect(f.yoy).toBeCloseTo((100 / 90 - 1) * 100, 10);
		expect(f.mom).toBe(0);
		expect(f.targetProgress).toBe(80);
		expect(f.timeElapsed).toBeCloseTo(83.333, 2);
		expect(f.status).toBe('amber'); // 80 % done at 83.3 % of the year: within 5 points
		expect(economicFigure(def('retailSales'), 2026, months(2026, Array(10).fill(100)), 1000).status).toBe('green');
		expect(economicFigure(def('retailSales'), 2026, months(2026, Array(10).fill(100)), 1400).status).toBe('red');
		expect(f.trend.thisYear).toEqual([...Array(10).fill(100), null, null]);
		expect(f.trend.lastYear).toEqual(Array(12).fill(90));
	});

	it('GDP: the year-to-date growth of quarterly levels against the growth target', () => {
		const q = (year: number, values: number[]) => values.map((value, i) => ({ period: `${year}-Q${i + 1}`, value }));
		const f = economicFigure(def('gdp'), 2026, [...q(2025, [100, 100, 100, 100]), ...q(2026, [104, 105, 106])], 5);
		expect(f.period).toBe('2026-Q3');
		expect(f.ytd).toBe(315);
		expect(f.yoy).toBeCloseTo(5, 10);
		expect(f.status).toBe('green');
		expect(economicFigure(def('gdp'), 2026, [...q(2025, [100, 100, 100, 100]), ...q(2026, [104, 104.5, 105])], 5).status).toBe('amber'); // 4.5 %
	});

	it('growth series: monthly growth averaged over the year, a YTD series read as it is', () => {
		const iva = economicFigure(def('industrialValueAdded'), 2026, months(2026, [6, 5, 4]), 5.5);
		expect(iva.ytd).toBe(5);
		expect(iva.status).toBe('amber');
		expect(iva.mom).toBe(-1); // points
		const fai = economicFigure(def('fixedAssetInvestment'), 2026, months(2026, [3, 3.5, 4.2]), 4);
		expect(fai.ytd).toBe(4.2);
		expect(fai.status).toBe('green');
	});

	it('ceiling series: unemployment and CPI under, near or over the ceiling', () => {
		expect(economicFigure(def('unemploymentRate'), 2026, months(2026, [5.2]), 5.5).status).toBe('green');
		expect(economicFigure(def('unemploymentRate'), 2026, months(2026, [5.7]), 5.5).status).toBe('amber');
		expect(economicFigure(def('unemploymentRate'), 2026, months(2026, [6.0]), 5.5).status).toBe('red');
		expect(economicFigure(def('cpi'), 2026, months(2026, [103.4]), 103).status).toBe('amber');
	});

	it('no releases this year: no figure, no status', () => {
		const f = economicFigure(def('tradeTotal'), 2026, months(2025, [1, 2]), 100);
		expect([f.period, f.value, f.status]).toEqual([null, null, null]);
	});
});
