import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { beijingIso, parseTimestamp } from '../../src/lib/time/timestamps.ts';
import { IngestEvent } from '../contract/events.ts';
import { Simulator } from './simulator.ts';
import { loadScope } from './sim-regions.ts';

const reference = path.resolve(import.meta.dirname, '../reference');
const national = loadScope(reference, 0, 1);

function run(seed: number, from: string, to: string, rate = 2) {
	const sim = new Simulator({ seed, rate }, national.regions, national.economies, parseTimestamp(from));
	return [...sim.advance(parseTimestamp(to))];
}

describe('the simulator', () => {
	const day = run(1, '2026-11-18T00:00:00+08:00', '2026-11-19T00:00:00+08:00');

	it('is deterministic under a seed, and another seed differs', () => {
		expect(run(1, '2026-11-18T00:00:00+08:00', '2026-11-18T06:00:00+08:00')).toEqual(day.filter((e) => String(e.ts ?? e.release_ts) < '2026-11-18T06:00'));
		expect(run(2, '2026-11-18T00:00:00+08:00', '2026-11-18T06:00:00+08:00')).not.toEqual(run(1, '2026-11-18T00:00:00+08:00', '2026-11-18T06:00:00+08:00'));
	});

	it('writes only events the contract accepts, in time order', () => {
		for (const e of day) expect(IngestEvent.safeParse(e).success).toBe(true);
		const times = day.map((e) => parseTimestamp(String(e.ts ?? e.release_ts)));
		expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
	});

	it('sends cases to provinces in proportion to their population', () => {
		const cases = day.filter((e) => e.type === 'case' && e.status === 'submitted');
		const share = (p: string) => cases.filter((e) => String(e.adcode).startsWith(p)).length / cases.length;
		// 广东 12601万 vs 宁夏 720万 (7th census): about 17.5 ×.
		expect(share('44') / share('64')).toBeGreaterThan(12);
		expect(share('44') / share('64')).toBeLessThan(25);
	});

	it('opens halls on working days only: no counter cases on a public holiday', () => {
		// A quarter of the default rate: the workday still has ≈ 2 750 counter cases (11 258 at rate 2), in a quarter of the time.
		const holiday = run(3, '2026-10-02T00:00:00+08:00', '2026-10-03T00:00:00+08:00', 0.5);
		const workday = run(3, '2026-10-09T00:00:00+08:00', '2026-10-10T00:00:00+08:00', 0.5);
		const counter = (events: typeof day) => events.filter((e) => e.type === 'case' && e.status === 'submitted' && e.channel === 'counter').length;
		expect(counter(holiday)).toBe(0);
		expect(counter(workday)).toBeGreaterThan(1000);
	});

	it('keeps most reviews positive and follows every 差评 with its handling', () => {
		const reviews = day.filter((e) => e.type === 'review');
		const negative = reviews.filter((e) => (e.rating as number) <= 2).length / reviews.length;
		expect(negative).toBeGreaterThan(0.002);
		expect(negative).toBeLessThan(0.03);
	});

	it('releases statistics history month by month', () => {
		const sim = new Simulator({ seed: 1, rate: 1 }, national.regions, national.economies, parseTimestamp('2026-11-20T00:00:00+08:00'));
		const history = [...sim.history(3)];
		const releases = history.filter((e) => e.type === 'indicator');
		expect(new Set(releases.map((e) => e.period))).toEqual(new Set(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-Q3']));
		// And the year's targets, set on 20 January: eight economic and three service targets per province.
		const targets = history.filter((e) => e.type === 'target');
		expect(new Set(targets.map((e) => e.year))).toEqual(new Set([2026]));
		expect(targets).toHaveLength(11 * national.economies.length);
		expect(targets.find((e) => e.adcode === 440000 && e.indicator === 'onTimeRate')).toMatchObject({ value: 98, unit: '%', year: 2026 });
		expect(targets.find((e) => e.adcode === 440000 && e.indicator === 'positiveRate')).toMatchObject({ value: 99, unit: '%' });
		// Each passes the ingest contract.
		for (const t of targets) expect(IngestEvent.safeParse(t).success, JSON.stringify(t)).toBe(true);
		expect(national.economies.filter((e) => e.adcode === 0)).toHaveLength(1); // the nation's own figures too
		expect(releases.length + targets.length).toBe(history.length);
	});

	it("grows levels from year to year at the province's pace: GDP and retail sales are up on last year", () => {
		const sim = new Simulator({ seed: 1, rate: 1 }, national.regions, national.economies, parseTimestamp('2026-11-20T00:00:00+08:00'));
		const releases = [...sim.history(24)].filter((e) => e.type === 'indicator' && e.adcode === 440000);
		const value = (indicator: string, period: string) => releases.filter((e) => e.indicator === indicator && e.period === period).at(-1)?.value as number;
		const gdpGrowth = (value('gdp', '2026-Q2') / value('gdp', '2025-Q2') - 1) * 100;
		expect(gdpGrowth).toBeGreaterThan(3);
		expect(gdpGrowth).toBeLessThan(9);
		expect(value('retailSales', '2026-03')).toBeGreaterThan(value('retailSales', '2025-03'));
	});

	it("gives a province its own retail sales when the nation is not simulated (--simulate-scope): 广东's year, not the nation's", () => {
		const county = loadScope(reference, 440305, 1);
		expect(county.economies.some((e) => e.adcode === 0)).toBe(false);
		const sim = new Simulator({ seed: 1, rate: 1 }, county.regions, county.economies, parseTimestamp('2026-11-20T00:00:00+08:00'));
		const latest = new Map<string, number>();
		for (const e of sim.history(24))
			if (e.type === 'indicator' && e.adcode === 440000 && e.indicator === 'retailSales') latest.set(String(e.period), e.value as number);
		const year2025 = [...latest].filter(([period]) => period.startsWith('2025-')).reduce((sum, [, v]) => sum + v, 0);
		// provinces.csv: 广东 GDP 2023 135 673 亿元, no retail figure, so 38 % of it ≈ 51 556 亿元, grown two years at ≈ 5 %;
		// the nation's 2023 retail sales were 471 495 亿元.
		expect(year2025).toBeGreaterThan(40_000);
		expect(year2025).toBeLessThan(75_000);
	});

	it('writes Beijing time with its offset', () => {
		expect(beijingIso(Date.UTC(2026, 10, 22, 6, 32, 5))).toBe('2026-11-22T14:32:05.000+08:00');
	});
});

describe('the simulated statistics follow the bureau', () => {
	const sim = new Simulator({ seed: 1, rate: 1 }, national.regions, national.economies, parseTimestamp('2026-11-29T12:00:00+08:00'));
	const releases = [...sim.history(36)].filter((e) => e.type === 'indicator');
	const first = (indicator: string, adcode: number, period: string) =>
		releases.find((e) => e.indicator === indicator && e.adcode === adcode && e.period === period);

	it('publishes 1–2月 as one figure for industry, retail, investment and fiscal revenue, and January for the rest', () => {
		for (const code of ['industrialValueAdded', 'retailSales', 'fixedAssetInvestment', 'fiscalRevenue']) {
			expect(releases.filter((e) => e.indicator === code && String(e.period).endsWith('-01'))).toEqual([]);
			expect(first(code, 0, '2025-02')).toBeDefined();
		}
		expect(first('cpi', 0, '2025-01')).toBeDefined();
		expect(first('unemploymentRate', 440000, '2025-01')).toBeDefined();
	});

	it('releases the nation on its calendar day at 10:00 and each province after it', () => {
		// 1–2月 2025: 15 March was a Saturday, so Monday the 17th; 广东 two working days later.
		expect(first('retailSales', 0, '2025-02')?.release_ts).toMatch(/^2025-03-17T10:00:\d\d/);
		expect(first('retailSales', 440000, '2025-02')?.release_ts).toMatch(/^2025-03-19T10:00:\d\d/);
		expect(first('gdp', 0, '2025-Q3')?.release_ts).toMatch(/^2025-10-15T10:00/);
	});

	it('revises a period in the next release', () => {
		const both = releases.filter((e) => e.indicator === 'retailSales' && e.adcode === 440000 && e.period === '2025-05');
		expect(both).toHaveLength(2);
		expect(String(both[1]!.release_ts) > String(both[0]!.release_ts)).toBe(true);
	});

	it('takes the shape of retail sales from the published national series, not a formula', () => {
		// 2024 national 1–2月 = 2023's published 77 067 亿元 × (1 + published 5.5 %) = 81 305.7.
		expect(first('retailSales', 0, '2024-02')?.value).toBeCloseTo(81305.7, 0);
		// April 2024 = 2023's published 34 910 × (1 + published 2.3 %) = 35 712.9.
		expect(first('retailSales', 0, '2024-04')?.value).toBeCloseTo(35712.9, 0);
		// Industry: 2024's published 当月 growth, April 6.7 %.
		expect(first('industrialValueAdded', 0, '2024-04')?.value).toBe(6.7);
	});
});
