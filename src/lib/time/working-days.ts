/**
 * China's official working-day calendar (工作日): weekends, public holidays and
 * make-up working days (调休), from chinese-days. Dates are Beijing calendar dates
 * `YYYY-MM-DD`. Pure; runs in the browser, the server and the CLI.
 *
 * Beyond the years the State Council has published (2026 in chinese-days 1.5.7),
 * the calendar falls back to Monday–Friday until the package is updated.
 */
import chineseDays from 'chinese-days';
import { BEIJING_OFFSET_MS, DAY_MS } from './beijing-time.ts';
const cache = new Map<string, boolean>();

export function isWorkingDay(date: string): boolean {
	let v = cache.get(date);
	// Stryker disable next-line ConditionalExpression: `true` only recomputes what the cache holds (a pure function of the key): slower, same answers; `false` (nothing computed) is killed by every test but goes with it (a line's mutator is disabled whole)
	if (v === undefined) {
		v = chineseDays.isWorkday(date);
		// Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits memory — clearing always, never or one entry sooner gives the same answers (the next call recomputes)
		if (cache.size > 20_000) cache.clear();
		cache.set(date, v);
	}
	return v;
}

const dateOfDay = new Map<number, string>();

/** The Beijing calendar date of an instant (epoch ms). */
export function beijingDate(ms: number): string {
	const day = Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS);
	let date = dateOfDay.get(day);
	// Stryker disable next-line ConditionalExpression: `true` only recomputes what the cache holds (a pure function of the key): slower, same answers; `false` (nothing computed) is killed by every test but goes with it (a line's mutator is disabled whole)
	if (date === undefined) {
		date = new Date(day * DAY_MS).toISOString().slice(0, 10);
		// Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits memory — clearing always, never or one entry sooner gives the same answers (the next call recomputes)
		if (dateOfDay.size > 20_000) dateOfDay.clear();
		dateOfDay.set(day, date);
	}
	return date;
}

function nextDate(date: string, delta = 1): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + delta * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The date on which a deadline of `n` working days, counted from `date`, falls:
 * the n-th working day after it (a case submitted on Friday with 1 working day
 * is due on Monday, or later when Monday is a holiday). n = 0 is the same day.
 */
const deadlines = new Map<string, string>();

export function addWorkingDays(date: string, n: number): string {
	const key = `${date}|${n}`;
	let due = deadlines.get(key);
	// Stryker disable next-line ConditionalExpression: `true` only recomputes what the cache holds (a pure function of the key): slower, same answers; `false` (nothing computed) is killed by every test but goes with it (a line's mutator is disabled whole)
	if (due === undefined) {
		due = countWorkingDays(date, n);
		// Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits memory — clearing always, never or one entry sooner gives the same answers (the next call recomputes)
		if (deadlines.size > 50_000) deadlines.clear();
		deadlines.set(key, due);
	}
	return due;
}

function countWorkingDays(date: string, n: number): string {
	let d = date;
	let left = n;
	while (left > 0) {
		d = nextDate(d);
		if (isWorkingDay(d)) left--;
	}
	return d;
}

/** End of a Beijing calendar date, as epoch ms (23:59:59.999 Beijing time). */
export function endOfBeijingDay(date: string): number {
	return Date.parse(`${date}T00:00:00Z`) - BEIJING_OFFSET_MS + DAY_MS - 1;
}

/** Working days strictly after `from` up to and including `to` (0 when to ≤ from). */
export function workingDaysBetween(from: string, to: string): number {
	let n = 0;
	for (let d = nextDate(from); d <= to; d = nextDate(d)) if (isWorkingDay(d)) n++;
	return n;
}
