import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../contract/events.ts';
import { IngestEvent } from '../contract/events.ts';
import { Simulator, beijingIso } from './simulator.ts';
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
		const holiday = run(3, '2026-10-02T00:00:00+08:00', '2026-10-03T00:00:00+08:00');
		const workday = run(3, '2026-10-09T00:00:00+08:00', '2026-10-10T00:00:00+08:00');
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
		// And the year's targets, set on 20 January: eight per province.
		const targets = history.filter((e) => e.type === 'target');
		expect(new Set(targets.map((e) => e.year))).toEqual(new Set([2026]));
		expect(targets).toHaveLength(8 * national.economies.length);
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

	it('writes Beijing time with its offset', () => {
		expect(beijingIso(Date.UTC(2026, 10, 22, 6, 32, 5))).toBe('2026-11-22T14:32:05.000+08:00');
	});
});
