import { describe, expect, it } from 'vitest';
import { addWorkingDays, beijingDate, endOfBeijingDay, isWorkingDay, workingDaysBetween } from './working-days.ts';

describe('official working-day calendar', () => {
	it('knows holidays and make-up working days (调休)', () => {
		expect(isWorkingDay('2026-10-01')).toBe(false); // 国庆节
		expect(isWorkingDay('2026-11-23')).toBe(true); // an ordinary Monday
		expect(isWorkingDay('2026-11-22')).toBe(false); // Sunday
		expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday made a working day
	});

	it('counts deadlines in working days across weekends and holidays', () => {
		expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23'); // Friday + 1 → Monday
		expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08'); // over the National Day week (10-01…10-07)
		expect(addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
		expect(workingDaysBetween('2026-11-20', '2026-11-27')).toBe(5);
	});

	it('uses Beijing days', () => {
		// 23:30 Beijing time on the 1st is 15:30 UTC on the 1st; 00:30 Beijing on the 2nd is 16:30 UTC on the 1st.
		expect(beijingDate(Date.UTC(2026, 10, 1, 15, 30))).toBe('2026-11-01');
		expect(beijingDate(Date.UTC(2026, 10, 1, 16, 30))).toBe('2026-11-02');
		expect(endOfBeijingDay('2026-11-01')).toBe(Date.UTC(2026, 10, 1, 15, 59, 59, 999));
	});

	it('follows the 2025 国庆·中秋 notice (国务院办公厅): off 10-01…10-08, working Sunday 09-28 and Saturday 10-11', () => {
		const days = ['2025-09-27', '2025-09-28', '2025-09-30', '2025-10-01', '2025-10-08', '2025-10-09', '2025-10-11', '2025-10-12'];
		expect(days.map((d) => [d, isWorkingDay(d)])).toEqual([
			['2025-09-27', false], // an ordinary Saturday
			['2025-09-28', true], // 补班 Sunday
			['2025-09-30', true],
			['2025-10-01', false],
			['2025-10-08', false], // the holiday's last day, a Wednesday
			['2025-10-09', true],
			['2025-10-11', true], // 补班 Saturday
			['2025-10-12', false]
		]);
	});

	it('counts deadlines over that week, each date and length on its own (the same month-day of another year differs)', () => {
		expect(addWorkingDays('2025-09-27', 1)).toBe('2025-09-28'); // Saturday + 1 → the 补班 Sunday
		expect(addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
		expect(addWorkingDays('2025-09-30', 3)).toBe('2025-10-11'); // 10-09, 10-10, then the 补班 Saturday
		expect(addWorkingDays('2025-09-30', 4)).toBe('2025-10-13');
		expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08'); // 2026: 10-01…10-07 off
		expect(addWorkingDays('2025-09-30', 1)).toBe('2025-10-09'); // asked again: the same answer
	});

	it('counts working days after the first date up to and including the last', () => {
		// 09-28 (补班), 09-29, 09-30, then 10-09, 10-10, 10-11 (补班): six.
		expect(workingDaysBetween('2025-09-27', '2025-10-12')).toBe(6);
		expect(workingDaysBetween('2025-10-10', '2025-10-11')).toBe(1); // the last date counts
		expect(workingDaysBetween('2025-10-09', '2025-10-10')).toBe(1); // the first does not
		expect(workingDaysBetween('2025-10-10', '2025-10-10')).toBe(0);
		expect(workingDaysBetween('2025-10-13', '2025-10-09')).toBe(0);
	});

	it('starts the Beijing day at 16:00 UTC the day before, to the millisecond', () => {
		expect(beijingDate(Date.UTC(2026, 10, 1, 16, 0))).toBe('2026-11-02');
		expect(beijingDate(Date.UTC(2026, 10, 1, 15, 59, 59, 999))).toBe('2026-11-01');
		expect(beijingDate(Date.UTC(1969, 11, 31, 16, 0))).toBe('1970-01-01'); // before the epoch: floor, not truncation
		expect(beijingDate(Date.UTC(1969, 11, 31, 15, 59))).toBe('1969-12-31');
	});
});
