import { describe, expect, it } from 'vitest';
import { isoWeek, mondayOf, periodEnd, periodLabel, periodLabels, periodStart, workdayFlags, workingDaysByPeriod } from './periods.ts';
import { parseTimestamp } from './timestamps.ts';

describe('calendar periods of Beijing dates', () => {
	it('ISO weeks start on Monday; the year is the one of the week’s Thursday', () => {
		expect(mondayOf('2026-11-29')).toBe('2026-11-23'); // a Sunday
		expect(mondayOf('2026-11-23')).toBe('2026-11-23');
		expect(isoWeek('2026-11-29')).toEqual({ year: 2026, week: 48 });
		expect(periodLabel('week', '2027-01-01')).toBe('2026-W53'); // Friday of the week of Thursday 31 Dec 2026
		expect(periodLabel('week', '2024-12-30')).toBe('2025-W01');
		expect(periodLabel('week', '2026-01-05')).toBe('2026-W02');
	});

	it('quarters and years', () => {
		expect(periodLabel('quarter', '2026-11-29')).toBe('2026-Q4');
		expect(periodLabel('quarter', '2026-03-31')).toBe('2026-Q1');
		expect(periodStart('quarter', '2026-05-17')).toBe('2026-04-01');
		expect(periodEnd('quarter', '2026-11-17')).toBe('2027-01-01');
		expect(periodEnd('week', '2026-11-29')).toBe('2026-11-30');
		expect(periodLabel('year', '2026-02-01')).toBe('2026');
	});

	it('labels of a range of instants: a period counts when it starts before the end (Beijing midnights)', () => {
		const from = parseTimestamp('2026-11-01T00:00');
		expect(periodLabels('week', from, parseTimestamp('2026-11-16T00:00'))).toEqual(['2026-W44', '2026-W45', '2026-W46']);
		expect(periodLabels('quarter', parseTimestamp('2026-03-31T00:00'), parseTimestamp('2026-07-01T00:00'))).toEqual(['2026-Q1', '2026-Q2']);
		expect(periodLabels('year', from, parseTimestamp('2027-01-01T00:01'))).toEqual(['2026', '2027']);
	});

	it('working days follow the official calendar (调休 included)', () => {
		// 1 October: 国庆节; 28 November 2026: a Saturday; 30 November: a Monday.
		expect(workdayFlags(['2026-10-01', '2026-11-28', '2026-11-30'])).toEqual([false, false, true]);
	});

	it('counts the working days of each period inside a range', () => {
		// 30 September (a Wednesday) to 8 October 2026: W40 holds 30 September only (1–4 October 国庆), W41 5–7 October, all off.
		expect([...workingDaysByPeriod('week', parseTimestamp('2026-09-30T00:00'), parseTimestamp('2026-10-08T00:00'))]).toEqual([
			['2026-W40', 1],
			['2026-W41', 0]
		]);
		// 16 November – 1 December: November's 11 working days from the 16th (16–20, 23–27, 30), December's 1st.
		expect([...workingDaysByPeriod('month', parseTimestamp('2026-11-16T00:00'), parseTimestamp('2026-12-02T00:00'))]).toEqual([
			['2026-11', 11],
			['2026-12', 1]
		]);
	});

	it('months and years start and end on their first days, across the year end', () => {
		expect(periodStart('month', '2026-11-17')).toBe('2026-11-01');
		expect(periodEnd('month', '2026-11-17')).toBe('2026-12-01');
		expect(periodEnd('month', '2026-12-31')).toBe('2027-01-01');
		expect(periodStart('year', '2026-11-17')).toBe('2026-01-01');
		expect(periodEnd('year', '2026-05-01')).toBe('2027-01-01');
		expect(periodLabel('month', '2026-11-17')).toBe('2026-11');
	});

	it('counts a day whose Beijing midnight is before the end, even when the end is mid-day', () => {
		// Beijing 05:00 on Wednesday 2 December is 21:00 UTC on the 1st: 2 December has begun, a working day.
		const to = Date.UTC(2026, 11, 1, 21, 0);
		expect([...workingDaysByPeriod('month', Date.UTC(2026, 10, 29, 16, 0), to)]).toEqual([
			['2026-11', 1], // Monday 30 November
			['2026-12', 2]
		]);
		expect(periodLabels('month', Date.UTC(2026, 10, 29, 16, 0), to)).toEqual(['2026-11', '2026-12']);
	});
});
