import { describe, expect, it } from 'vitest';
import { beijingMinuteOfDay, dueDate, dueDateOn, dueInstant, effectiveReceiptDate, metDeadline, parseCutoff } from './deadlines.ts';

/**
 * The official calendar as chinese-days 1.5.7 has it (State Council notices), written
 * down here so every expectation below can be checked by hand:
 *
 * 2025 春节     holidays Tue 01-28 … Tue 02-04; make-up working days Sun 01-26, Sat 02-08
 * 2025 国庆+中秋 holidays Wed 10-01 … Wed 10-08; make-up working days Sun 09-28, Sat 10-11
 * 2026 春节     holidays Sun 02-15 … Mon 02-23; make-up working days Sat 02-14, Sat 02-28
 * 2026 中秋     holiday  Fri 09-25
 * 2026 国庆     holidays Thu 10-01 … Wed 10-07; make-up working days Sun 09-20, Sat 10-10
 * No other holiday falls in the windows counted below (late Jan–Mar, late Sep–Nov).
 */
const bj = (local: string) => Date.parse(`${local}:00+08:00`);
const CUTOFF_17 = 17 * 60;

type Row = [what: string, received: string, cutoff: number | null, effective: string, due: Record<0 | 1 | 5 | 15, string>];

const ROWS: Row[] = [
	// Working day before the 2025 国庆 week: day 1 is the first day after the holidays; the make-up Saturday 10-11 counts.
	['2025 working day before 国庆', '2025-09-30T10:00', null, '2025-09-30', { 0: '2025-09-30', 1: '2025-10-09', 5: '2025-10-14', 15: '2025-10-28' }],
	// Received on a holiday: counts from Thu 10-09.
	['2025 国庆 holiday', '2025-10-03T09:00', null, '2025-10-09', { 0: '2025-10-09', 1: '2025-10-10', 5: '2025-10-15', 15: '2025-10-29' }],
	// An ordinary Saturday, late at night: counts from Monday.
	['2025 ordinary Saturday 23:15', '2025-10-18T23:15', null, '2025-10-20', { 0: '2025-10-20', 1: '2025-10-21', 5: '2025-10-27', 15: '2025-11-10' }],
	// The make-up Saturday is a working day: it counts itself.
	['2025 make-up Saturday (调休)', '2025-10-11T10:00', null, '2025-10-11', { 0: '2025-10-11', 1: '2025-10-13', 5: '2025-10-17', 15: '2025-10-31' }],
	// After a 17:00 cut-off on a working day: counts from the next working day (here Fri 10-10; day 1 is the make-up Saturday).
	['2025 after the cut-off', '2025-10-09T17:30', CUTOFF_17, '2025-10-10', { 0: '2025-10-10', 1: '2025-10-11', 5: '2025-10-16', 15: '2025-10-30' }],
	// A minute before the cut-off: the day itself counts (as after 国庆 above: day 5 is 10-15, day 15 is 10-29).
	['2025 before the cut-off', '2025-10-09T16:59', CUTOFF_17, '2025-10-09', { 0: '2025-10-09', 1: '2025-10-10', 5: '2025-10-15', 15: '2025-10-29' }],
	// After the cut-off on the eve of 国庆: the next working day is after the holidays.
	['2025 after the cut-off, eve of 国庆', '2025-09-30T18:00', CUTOFF_17, '2025-10-09', { 0: '2025-10-09', 1: '2025-10-10', 5: '2025-10-15', 15: '2025-10-29' }],
	// 2025 春节: a make-up Sunday counts itself; its 5th working day is the make-up Saturday 02-08.
	['2025 make-up Sunday before 春节', '2025-01-26T10:00', null, '2025-01-26', { 0: '2025-01-26', 1: '2025-01-27', 5: '2025-02-08', 15: '2025-02-21' }],
	['2025 春节 holiday', '2025-01-29T11:00', null, '2025-02-05', { 0: '2025-02-05', 1: '2025-02-06', 5: '2025-02-11', 15: '2025-02-25' }],
	// 2026 春节: the Friday before; day 1 is the make-up Saturday 02-14, then nine days off.
	['2026 working day before 春节', '2026-02-13T10:00', null, '2026-02-13', { 0: '2026-02-13', 1: '2026-02-14', 5: '2026-02-27', 15: '2026-03-12' }],
	['2026 春节 holiday', '2026-02-17T11:00', null, '2026-02-24', { 0: '2026-02-24', 1: '2026-02-25', 5: '2026-03-02', 15: '2026-03-16' }],
	['2026 make-up Saturday before 春节', '2026-02-14T09:30', null, '2026-02-14', { 0: '2026-02-14', 1: '2026-02-24', 5: '2026-02-28', 15: '2026-03-13' }],
	// 2026: an ordinary Saturday followed by the make-up Sunday 09-20: the clock starts on Sunday.
	['2026 Saturday before a make-up Sunday', '2026-09-19T23:15', null, '2026-09-20', { 0: '2026-09-20', 1: '2026-09-21', 5: '2026-09-28', 15: '2026-10-16' }],
	// At the cut-off exactly (17:00 Beijing = 09:00 UTC) on the eve of 国庆 2026.
	['2026 at the cut-off, eve of 国庆', '2026-09-30T17:00', CUTOFF_17, '2026-10-08', { 0: '2026-10-08', 1: '2026-10-09', 5: '2026-10-14', 15: '2026-10-28' }]
];

describe('the deadline rule on the official calendar', () => {
	for (const [what, received, cutoff, effective, due] of ROWS) {
		it(`${what}: ${received}${cutoff === null ? '' : ' (cut-off 17:00)'}`, () => {
			const at = bj(received);
			expect(effectiveReceiptDate(at, cutoff)).toBe(effective);
			for (const n of [0, 1, 5, 15] as const) expect([n, dueDate(at, n, cutoff)]).toEqual([n, due[n]]);
		});
	}

	it('counts the receipt day before the cut-off, and the next working day from the cut-off on', () => {
		expect(effectiveReceiptDate(bj('2025-10-09T16:59'), CUTOFF_17)).toBe('2025-10-09');
		expect(effectiveReceiptDate(bj('2025-10-09T17:00'), CUTOFF_17)).toBe('2025-10-10');
		expect(effectiveReceiptDate(bj('2025-10-09T17:30'), null)).toBe('2025-10-09');
		// 00:30 Beijing on 10-09 is 16:30 UTC on 10-08, a holiday in UTC's date: Beijing's date counts.
		expect(effectiveReceiptDate(Date.UTC(2025, 9, 8, 16, 30), CUTOFF_17)).toBe('2025-10-09');
		// A cut-off changes nothing on a non-working day.
		expect(effectiveReceiptDate(bj('2025-10-18T08:00'), CUTOFF_17)).toBe('2025-10-20');
	});

	it('ends at 23:59:59.999 Beijing time of the due date', () => {
		expect(dueInstant(bj('2025-10-18T23:15'), 0)).toBe(Date.parse('2025-10-20T23:59:59.999+08:00'));
		expect(dueInstant(bj('2025-09-30T10:00'), 1)).toBe(Date.parse('2025-10-09T23:59:59.999+08:00'));
		expect(dueInstant(bj('2025-10-09T17:30'), 0, CUTOFF_17)).toBe(Date.parse('2025-10-10T23:59:59.999+08:00'));
	});

	it('judges 即办件 the way a duty officer would', () => {
		// Received Saturday 23:15, done Sunday 01:00: the clock has not started yet.
		expect(metDeadline(bj('2025-10-18T23:15'), bj('2025-10-19T01:00'), 0)).toBe(true);
		// Received Monday 10:00, done Tuesday 09:00: a day late.
		expect(metDeadline(bj('2025-10-20T10:00'), bj('2025-10-21T09:00'), 0)).toBe(false);
		// The last millisecond of the due day is on time, the next is not.
		expect(metDeadline(bj('2025-10-20T10:00'), Date.parse('2025-10-20T23:59:59.999+08:00'), 0)).toBe(true);
		expect(metDeadline(bj('2025-10-20T10:00'), Date.parse('2025-10-21T00:00:00.000+08:00'), 0)).toBe(false);
	});

	it('refuses a negative or fractional number of working days', () => {
		expect(() => dueDate(bj('2025-10-20T10:00'), -1)).toThrow(RangeError);
		expect(() => dueDate(bj('2025-10-20T10:00'), 1.5)).toThrow('working days must be a whole number ≥ 0: 1.5');
	});
});

describe('cut-off times', () => {
	it('reads HH:MM as minutes after midnight', () => {
		expect(parseCutoff('17:00')).toBe(1020);
		expect(parseCutoff('08:30')).toBe(510);
		expect(parseCutoff('00:00')).toBe(0);
		expect(parseCutoff('23:59')).toBe(1439);
		for (const bad of ['24:00', '7:00', '17:60', '17:00 ', '1700', '', ' 17:00', '117:00', '17:000'])
			expect(() => parseCutoff(bad), bad).toThrow(`not a time of day HH:MM: ${JSON.stringify(bad)}`);
	});

	it('knows the Beijing minute of an instant', () => {
		expect(beijingMinuteOfDay(bj('2025-10-09T17:30'))).toBe(1050);
		expect(beijingMinuteOfDay(Date.UTC(2025, 9, 8, 16, 30))).toBe(30);
		expect(beijingMinuteOfDay(bj('2025-10-09T00:00') - 1)).toBe(1439);
	});
});

describe('the rule by date (as the re-enrichment tabulates it)', () => {
	it('agrees with the instant form', () => {
		expect(dueDateOn('2025-10-03', false, 5)).toBe('2025-10-15'); // a holiday
		expect(dueDateOn('2025-10-09', true, 1)).toBe('2025-10-11'); // after the cut-off; day 1 is the make-up Saturday
		expect(dueDateOn('2025-10-09', false, 1)).toBe('2025-10-10');
		expect(dueDateOn('2026-02-14', false, 0)).toBe('2026-02-14'); // a make-up Saturday
		expect(dueDateOn('2026-02-14', true, 0)).toBe('2026-02-24');
		expect(() => dueDateOn('2025-10-09', false, -2)).toThrow(RangeError);
	});
});
