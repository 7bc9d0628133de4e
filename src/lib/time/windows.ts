/**
 * Moving windows and comparison periods on Beijing time. A window is the
 * half-open range [from, to) in epoch ms. Pure and browser-safe.
 */
import { BEIJING_OFFSET_MS, DAY_MS, HOUR_MS } from './beijing-time.ts';

export const MINUTE_MS = 60_000;
export const WEEK_MS = 7 * DAY_MS;

export interface TimeWindow {
	from: number;
	to: number;
}

function last(now: number, n: number, unitMs: number): TimeWindow {
	// A window of no length or a fraction of a unit is a caller's mistake, not an empty answer.
	if (!Number.isInteger(n) || n < 1) throw new RangeError(`a moving window needs a whole number of units ≥ 1, got ${n}`);
	return { from: now - n * unitMs, to: now };
}

/** The last `n` minutes up to `now`. */
export const lastMinutes = (now: number, n: number): TimeWindow => last(now, n, MINUTE_MS);
/** The last `n` hours up to `now`. */
export const lastHours = (now: number, n: number): TimeWindow => last(now, n, HOUR_MS);
/** The last `n` × 24 hours up to `now` (Beijing has no daylight saving: a day is always 24 h). */
export const lastDays = (now: number, n: number): TimeWindow => last(now, n, DAY_MS);

/** The same window one week earlier (same weekday and Beijing clock time). */
export function samePeriodLastWeek(w: TimeWindow): TimeWindow {
	return { from: w.from - WEEK_MS, to: w.to - WEEK_MS };
}

/** The same Beijing calendar date and clock time one year earlier; 29 February becomes 28 February. */
export function oneYearEarlier(ms: number): number {
	const local = new Date(ms + BEIJING_OFFSET_MS);
	const month = local.getUTCMonth();
	local.setUTCFullYear(local.getUTCFullYear() - 1);
	if (local.getUTCMonth() !== month) local.setUTCDate(0); // 29 Feb rolled into March: back to the last day of February
	return local.getTime() - BEIJING_OFFSET_MS;
}

/** The same window one year earlier, on Beijing calendar dates. */
export function samePeriodLastYear(w: TimeWindow): TimeWindow {
	return { from: oneYearEarlier(w.from), to: oneYearEarlier(w.to) };
}
