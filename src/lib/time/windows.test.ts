import { describe, expect, it } from 'vitest';
import { beijingLocal, todaySoFar } from './beijing-time.ts';
import { lastDays, lastHours, lastMinutes, samePeriodLastWeek, samePeriodLastYear } from './windows.ts';

const at = (beijing: string) => Date.parse(`${beijing}+08:00`);
const local = (w: { from: number; to: number }) => [beijingLocal(w.from), beijingLocal(w.to)];

describe('moving windows', () => {
	const now = at('2026-11-22T14:32:00');

	it('end now and reach back whole minutes, hours or days', () => {
		expect(local(lastMinutes(now, 15))).toEqual(['2026-11-22T14:17', '2026-11-22T14:32']);
		expect(local(lastHours(now, 3))).toEqual(['2026-11-22T11:32', '2026-11-22T14:32']);
		expect(local(lastDays(now, 7))).toEqual(['2026-11-15T14:32', '2026-11-22T14:32']);
	});

	it('refuse an empty, negative or fractional length', () => {
		for (const n of [0, -1, 1.5, Number.NaN]) expect(() => lastHours(now, n)).toThrow(RangeError);
	});
});

describe('comparison periods', () => {
	it('last week: the same weekday and clock time seven days earlier', () => {
		expect(local(samePeriodLastWeek(todaySoFar(at('2026-11-22T14:32:05'))))).toEqual(['2026-11-15T00:00', '2026-11-15T15:00']);
	});

	it('last year: the same Beijing calendar dates, 29 February as 28 February', () => {
		expect(local(samePeriodLastYear({ from: at('2026-11-01T00:00'), to: at('2026-12-01T00:00') }))).toEqual(['2025-11-01T00:00', '2025-12-01T00:00']);
		expect(local(samePeriodLastYear({ from: at('2028-02-29T00:00'), to: at('2028-03-01T00:00') }))).toEqual(['2027-02-28T00:00', '2027-03-01T00:00']);
	});

	it('last year follows the Beijing date, not the UTC one (05:00 on 29 Feb in Beijing is still 28 Feb in UTC)', () => {
		const w = samePeriodLastYear({ from: at('2028-02-29T05:00'), to: at('2028-02-29T06:00') });
		expect(local(w)).toEqual(['2027-02-28T05:00', '2027-02-28T06:00']);
	});
});
