import { describe, expect, it } from 'vitest';
import { beijingLocal, change, startOfBeijingDay, todaySoFar } from './model.ts';

describe('the cockpit clock', () => {
	it('starts the day at Beijing midnight, not UTC midnight', () => {
		const at = Date.parse('2026-11-21T16:30:00Z'); // 00:30 on the 22nd in Beijing
		expect(beijingLocal(startOfBeijingDay(at))).toBe('2026-11-22T00:00');
	});

	it('takes today up to the end of the current hour, so the hour rollups answer it exactly', () => {
		const w = todaySoFar(Date.parse('2026-11-22T14:32:05+08:00'));
		expect(beijingLocal(w.from)).toBe('2026-11-22T00:00');
		expect(beijingLocal(w.to)).toBe('2026-11-22T15:00');
	});
});

describe('changes for KPI tiles', () => {
	it('are percentage points for rates and per cent for counts', () => {
		expect(change('rate', 95.5, 94)).toBeCloseTo(1.5, 9);
		expect(change('count', 110, 100)).toBeCloseTo(10, 9);
	});

	it('are unknown without a base (no data, or zero to compare a count with)', () => {
		expect(change('count', 5, 0)).toBeNull();
		expect(change('rate', null, 90)).toBeNull();
		expect(change('count', 5, null)).toBeNull();
	});
});
