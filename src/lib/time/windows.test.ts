import { describe, expect, it } from 'vitest';
import { beijingLocal, todaySoFar } from './beijing-time.ts';
import { cutAt, lastDays, lastHours, lastMinutes, monthsEarlier, samePeriodLastMonth, samePeriodLastWeek, samePeriodLastYear, through } from './windows.ts';

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

describe('windows at their edges (hand-computed)', () => {
	const now = Date.parse('2026-11-22T14:32:00+08:00');

	it('take a length of one unit, and write the window in epoch ms', () => {
		expect(lastMinutes(now, 1)).toEqual({ from: now - 60_000, to: now });
		expect(lastHours(now, 1)).toEqual({ from: now - 3_600_000, to: now });
		expect(lastDays(now, 1)).toEqual({ from: now - 86_400_000, to: now });
		expect(lastDays(now, 2)).toEqual({ from: now - 2 * 86_400_000, to: now });
	});

	it('refuse what is not a number of units, with the reason', () => {
		expect(() => lastMinutes(now, 0.5)).toThrow('a moving window needs a whole number of units ≥ 1, got 0.5');
		expect(() => lastDays(now, 0)).toThrow(RangeError);
		expect(() => lastMinutes(now, Number.POSITIVE_INFINITY)).toThrow(RangeError);
	});

	it('last week is exactly 7 × 24 h earlier', () => {
		expect(samePeriodLastWeek({ from: 1_000_000_000_000, to: 1_000_003_600_000 })).toEqual({
			from: 1_000_000_000_000 - 604_800_000,
			to: 1_000_003_600_000 - 604_800_000
		});
	});

	it('last year keeps the month and day in an ordinary year and across the new year', () => {
		expect(local(samePeriodLastYear({ from: at('2026-03-01T00:00'), to: at('2026-03-02T00:00') }))).toEqual(['2025-03-01T00:00', '2025-03-02T00:00']);
		// 00:30 on 1 January in Beijing is still 31 December in UTC: the Beijing date decides.
		expect(local(samePeriodLastYear({ from: at('2026-01-01T00:30'), to: at('2027-01-01T00:00') }))).toEqual(['2025-01-01T00:30', '2026-01-01T00:00']);
		// 28 February of a leap year stays the 28th; 1 March after a 29 February stays 1 March.
		expect(local(samePeriodLastYear({ from: at('2029-02-28T08:00'), to: at('2029-03-01T00:00') }))).toEqual(['2028-02-28T08:00', '2028-03-01T00:00']);
	});
});

describe('last month (月环比), on Beijing calendar dates', () => {
	it('keeps the day and clock time, and a day the earlier month lacks becomes its last day', () => {
		expect(local(samePeriodLastMonth({ from: at('2026-03-31T10:00'), to: at('2026-04-01T00:00') }))).toEqual(['2026-02-28T10:00', '2026-03-01T00:00']);
		expect(local(samePeriodLastMonth({ from: at('2028-03-31T00:00'), to: at('2028-04-30T23:00') }))).toEqual(['2028-02-29T00:00', '2028-03-30T23:00']);
		// January goes back into December of the year before; 00:30 Beijing is still the previous UTC day.
		expect(local(samePeriodLastMonth({ from: at('2026-01-01T00:30'), to: at('2026-01-15T08:00') }))).toEqual(['2025-12-01T00:30', '2025-12-15T08:00']);
		expect(beijingLocal(monthsEarlier(at('2026-05-31T23:59'), 3))).toBe('2026-02-28T23:59');
	});
});

describe('a window capped at an instant, cut for the rollups', () => {
	// Beijing 2026-11-22 00:00 is 2026-11-21T16:00Z; the instants below are written out by hand in UTC.
	const midnight = Date.UTC(2026, 10, 21, 16, 0);
	const DAY = 86_400_000;

	it('keeps whole days and whole hours for the rollups and leaves the part of the hour holding the instant, through the instant', () => {
		const at = Date.UTC(2026, 10, 22, 1, 28, 15, 500); // 09:28:15.500 Beijing
		expect(cutAt({ from: midnight - 29 * DAY, to: midnight + DAY }, at)).toEqual({
			days: { from: midnight - 29 * DAY, to: midnight },
			hours: { from: midnight, to: Date.UTC(2026, 10, 22, 1, 0) },
			rest: { from: Date.UTC(2026, 10, 22, 1, 0), to: Date.UTC(2026, 10, 22, 1, 28, 15, 501) }
		});
		expect(through(at)).toBe(Date.UTC(2026, 10, 22, 1, 28, 15, 501));
	});

	it('has no whole hour just after midnight and no rest on an hour boundary but the instant itself', () => {
		const at = Date.UTC(2026, 10, 21, 16, 5); // 00:05 Beijing
		expect(cutAt({ from: midnight, to: midnight + DAY }, at)).toEqual({
			days: { from: midnight, to: midnight },
			hours: { from: midnight, to: midnight },
			rest: { from: midnight, to: at + 1 }
		});
		const onHour = Date.UTC(2026, 10, 22, 6, 0); // 14:00:00.000 Beijing: an event stamped then counts
		expect(cutAt({ from: midnight, to: midnight + DAY }, onHour).rest).toEqual({ from: onHour, to: onHour + 1 });
	});

	it('leaves a window that ends before the instant whole, and an instant before the window gives nothing', () => {
		const at = Date.UTC(2026, 10, 22, 1, 28);
		expect(cutAt({ from: midnight - 59 * DAY, to: midnight - 29 * DAY }, at)).toEqual({
			days: { from: midnight - 59 * DAY, to: midnight - 29 * DAY },
			hours: { from: midnight - 29 * DAY, to: midnight - 29 * DAY },
			rest: { from: midnight - 29 * DAY, to: midnight - 29 * DAY }
		});
		const empty = cutAt({ from: midnight, to: midnight + DAY }, midnight - 1);
		expect([empty.days, empty.hours, empty.rest].every((w) => w.from === midnight && w.to === midnight)).toBe(true);
	});

	it('refuses a window that does not start at a Beijing midnight', () => {
		expect(() => cutAt({ from: midnight + 3_600_000, to: midnight + DAY }, midnight + 5 * 3_600_000)).toThrow(
			`a window cut for the rollups starts at a Beijing midnight, got ${midnight + 3_600_000}`
		);
	});
});
