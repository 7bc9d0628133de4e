import { describe, expect, it } from 'vitest';
import { beijingLocal, startOfBeijingDay, todaySoFar } from './beijing-time.ts';

describe('Beijing time', () => {
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
