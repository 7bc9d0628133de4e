import { describe, expect, it } from 'vitest';
import { ECONOMY, economicFigure } from './economy.ts';

const def = (code: string) => ECONOMY.find((d) => d.code === code)!;
const months = (year: number, values: number[]) => values.map((value, i) => ({ period: `${year}-${String(i + 1).padStart(2, '0')}`, value }));
/** A combined series' year: 1–2月 (period YYYY-02), then March onwards. */
const combined = (year: number, janFeb: number, fromMarch: number[]) => [
	{ period: `${year}-02`, value: janFeb },
	...fromMarch.map((value, i) => ({ period: `${year}-${String(i + 3).padStart(2, '0')}`, value }))
];

describe('economic figures against targets', () => {
	it('a level series: 1–2月 as one figure, 累计 and 累计增速, 同比, 环比, 完成率 against 时序进度', () => {
		// Last year: 1–2月 180, then 90 a month (1080 in all); this year: 1–2月 200, then 100 a month to October; target 1250 亿元.
		const f = economicFigure(def('retailSales'), 2026, [...combined(2025, 180, Array(10).fill(90)), ...combined(2026, 200, Array(8).fill(100))], 1250);
		expect(f.period).toBe('2026-10');
		expect(f.periodLabel).toBe('1–10月');
		expect(f.ytd).toBe(1000);
		expect(f.ytdYoy).toBeCloseTo((1000 / 900 - 1) * 100, 10); // 1–10月: 200 + 800 against 180 + 720
		expect(f.yoy).toBeCloseTo((100 / 90 - 1) * 100, 10); // October alone
		expect(f.mom).toBe(0);
		expect(f.targetProgress).toBe(80);
		expect(f.timeElapsed).toBeCloseTo(83.333, 2);
		expect(f.status).toBe('amber'); // 80 % done at 83.3 % of the year: within 5 points
		expect(economicFigure(def('retailSales'), 2026, combined(2026, 200, Array(8).fill(100)), 1000).status).toBe('green');
		expect(economicFigure(def('retailSales'), 2026, combined(2026, 200, Array(8).fill(100)), 1400).status).toBe('red');
		expect(f.trend.labels).toEqual(['1–2月', '1–3月', '1–4月', '1–5月', '1–6月', '1–7月', '1–8月', '1–9月', '1–10月', '1–11月', '1–12月']);
		expect(f.trend.thisYear).toEqual([200, 300, 400, 500, 600, 700, 800, 900, 1000, null, null]);
		expect(f.trend.lastYear).toEqual([180, 270, 360, 450, 540, 630, 720, 810, 900, 990, 1080]);
	});

	it('1–2月 and March of a combined level series: no 环比 (two months against one), 时序进度 2/12', () => {
		const janFeb = economicFigure(def('retailSales'), 2026, [...combined(2025, 180, Array(10).fill(90)), ...combined(2026, 200, [])], null);
		expect([janFeb.period, janFeb.periodLabel, janFeb.mom]).toEqual(['2026-02', '1–2月', null]);
		expect(janFeb.yoy).toBeCloseTo((200 / 180 - 1) * 100, 10);
		expect(janFeb.timeElapsed).toBeCloseTo(16.667, 2);
		expect(economicFigure(def('retailSales'), 2026, combined(2026, 200, [100]), null).mom).toBeNull();
		// A January figure of a combined series is not a period of it.
		expect(economicFigure(def('retailSales'), 2026, months(2026, [50]), null).value).toBeNull();
	});

	it('GDP: the year-to-date growth of quarterly levels against the growth target, labelled 前三季度', () => {
		const q = (year: number, values: number[]) => values.map((value, i) => ({ period: `${year}-Q${i + 1}`, value }));
		const f = economicFigure(def('gdp'), 2026, [...q(2025, [100, 100, 100, 100]), ...q(2026, [104, 105, 106])], 5);
		expect(f.period).toBe('2026-Q3');
		expect(f.periodLabel).toBe('前三季度');
		expect(f.ytd).toBe(315);
		expect(f.yoy).toBeCloseTo(5, 10);
		expect(f.status).toBe('green');
		expect(f.trend.labels).toEqual(['一季度', '上半年', '前三季度', '全年']);
		expect(f.trend.thisYear).toEqual([104, 209, 315, null]);
		expect(economicFigure(def('gdp'), 2026, [...q(2025, [100, 100, 100, 100]), ...q(2026, [104, 104.5, 105])], 5).status).toBe('amber'); // 4.5 %
	});

	it('growth series: monthly growth averaged over the year (1–2月 weighing two months), a YTD series read as it is', () => {
		const iva = economicFigure(def('industrialValueAdded'), 2026, combined(2026, 6, [5, 4]), 5.5);
		expect(iva.ytd).toBe(5.25); // (6 × 2 + 5 + 4) / 4
		expect(iva.periodLabel).toBe('4月');
		expect(iva.status).toBe('amber');
		expect(iva.mom).toBe(-1); // points
		expect(iva.trend.labels.slice(0, 3)).toEqual(['1–2月', '3月', '4月']);
		const fai = economicFigure(def('fixedAssetInvestment'), 2026, combined(2026, 3, [3.5, 4.2]), 4);
		expect(fai.ytd).toBe(4.2);
		expect(fai.periodLabel).toBe('1–4月');
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
