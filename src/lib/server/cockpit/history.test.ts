import { describe, expect, it } from 'vitest';
import { historyLoading } from './history.ts';

// 02:00 UTC is 10:00 Beijing: the history runs from 25 Oct 2025 to 22 Nov 2026 (the live feed's first day), 393 days before it.
const progress = { from: '2025-10-25T02:00:00.000Z', to: '2026-11-22T02:00:00.000Z' };

describe('the 历史数据加载中 banner', () => {
	it('counts the days stored from the first day to the day before the live feed starts', () => {
		expect(historyLoading({ ...progress, done: false }, null)).toEqual({ loadedDays: 0, totalDays: 393 });
		expect(historyLoading({ ...progress, done: false }, '2025-11-03')).toEqual({ loadedDays: 10, totalDays: 393 });
		// Written but not yet stored: still loading.
		expect(historyLoading({ ...progress, done: true }, '2026-06-01')).toEqual({ loadedDays: 220, totalDays: 393 });
	});
	it('ends when the history is written and stored up to its last day', () => {
		expect(historyLoading({ ...progress, done: true }, '2026-11-21')).toBeNull();
		expect(historyLoading({ ...progress, done: false }, '2026-11-21')).toEqual({ loadedDays: 393, totalDays: 393 });
	});
});
