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
});
