import { describe, expect, it } from 'vitest';
import { BEIJING_OFFSET_MS, beijingLocal, DAY_MS, HOUR_MS, startOfBeijingDay, todaySoFar } from './beijing-time.ts';

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

describe('Beijing time at the edges (hand-computed)', () => {
	it('is UTC+8 all year (no daylight saving), in epoch ms', () => {
		expect(beijingLocal(Date.UTC(2026, 0, 1, 0, 0))).toBe('2026-01-01T08:00');
		expect(beijingLocal(Date.UTC(2026, 6, 1, 16, 0))).toBe('2026-07-02T00:00');
		// 2026-11-22 00:00 Beijing = 2026-11-21 16:00 UTC.
		expect(startOfBeijingDay(Date.UTC(2026, 10, 21, 16, 0))).toBe(Date.UTC(2026, 10, 21, 16, 0));
		expect(startOfBeijingDay(Date.UTC(2026, 10, 22, 15, 59, 59, 999))).toBe(Date.UTC(2026, 10, 21, 16, 0));
		expect(startOfBeijingDay(Date.UTC(2026, 10, 21, 15, 59, 59, 999))).toBe(Date.UTC(2026, 10, 20, 16, 0));
	});

	it('today so far ends at the next whole hour, or at the hour itself a millisecond later', () => {
		expect(todaySoFar(Date.UTC(2026, 10, 22, 6, 0))).toEqual({ from: Date.UTC(2026, 10, 21, 16, 0), to: Date.UTC(2026, 10, 22, 7, 0) });
		expect(todaySoFar(Date.UTC(2026, 10, 22, 6, 59, 59, 999)).to).toBe(Date.UTC(2026, 10, 22, 7, 0));
		expect(HOUR_MS).toBe(3_600_000);
		expect(DAY_MS).toBe(86_400_000);
		expect(BEIJING_OFFSET_MS).toBe(28_800_000);
	});
});
