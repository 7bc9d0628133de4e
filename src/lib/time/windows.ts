/**
 * Moving windows and comparison periods on Beijing time. A window is the
 * half-open range [from, to) in epoch ms. Pure and browser-safe.
 */
import { BEIJING_OFFSET_MS, DAY_MS, HOUR_MS, startOfBeijingDay } from './beijing-time.ts';

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

/**
 * The same Beijing day of the month and clock time `months` earlier; a day the
 * earlier month lacks becomes its last day (31 March → 28 February, 29 February → 28 February a year before).
 */
export function monthsEarlier(ms: number, months: number): number {
	const local = new Date(ms + BEIJING_OFFSET_MS);
	const year = local.getUTCFullYear();
	const month = local.getUTCMonth() - months;
	// Day 0 of the month after is the last day of the month wanted (Date.UTC carries a negative month into earlier years).
	const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
	local.setUTCFullYear(year, month, Math.min(local.getUTCDate(), lastDay));
	return local.getTime() - BEIJING_OFFSET_MS;
}

/** The same Beijing calendar date and clock time one year earlier; 29 February becomes 28 February. */
export function oneYearEarlier(ms: number): number {
	return monthsEarlier(ms, 12);
}

/** The same window one year earlier, on Beijing calendar dates (同比). */
export function samePeriodLastYear(w: TimeWindow): TimeWindow {
	return { from: oneYearEarlier(w.from), to: oneYearEarlier(w.to) };
}

/** The same window one month earlier, on Beijing calendar dates (月环比): March is compared with February. */
export function samePeriodLastMonth(w: TimeWindow): TimeWindow {
	return { from: monthsEarlier(w.from, 1), to: monthsEarlier(w.to, 1) };
}

/** The exclusive end of a window that counts everything stamped at or before the instant `at` (a ms clock: `at` + 1). */
export const through = (at: number): number => at + 1;

/** A window cut where the rollups can answer it exactly: whole Beijing days, then whole hours, then the rest. */
export interface RollupCut {
	/** [from, a Beijing midnight): the day rollups. Empty (from = to) when there is no whole day. */
	days: TimeWindow;
	/** Whole hours after the days: the hour rollups. */
	hours: TimeWindow;
	/** Less than an hour at the end, up to and including `at`: read from the events themselves. */
	rest: TimeWindow;
}

/**
 * The window `w` capped at the instant `at` (events stamped after it are not
 * counted; an event at `at` is), cut into whole Beijing days, whole hours and
 * the rest. A rollup bucket that `at` falls inside also holds later events, so
 * that part must come from a finer grain; an `at` after `w` leaves `w` whole.
 * `w.from` must be a Beijing midnight (a day rollup cannot start mid-day).
 */
export function cutAt(w: TimeWindow, at: number): RollupCut {
	if (startOfBeijingDay(w.from) !== w.from) throw new RangeError(`a window cut for the rollups starts at a Beijing midnight, got ${w.from}`);
	const end = Math.max(w.from, Math.min(w.to, through(at)));
	const dayEnd = Math.max(w.from, startOfBeijingDay(end));
	const hourEnd = Math.max(dayEnd, Math.floor(end / HOUR_MS) * HOUR_MS);
	return { days: { from: w.from, to: dayEnd }, hours: { from: dayEnd, to: hourEnd }, rest: { from: hourEnd, to: end } };
}
