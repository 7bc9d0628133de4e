/**
 * Calendar periods of Beijing dates for the analysts' grains: ISO weeks (Monday
 * first), quarters and years, labelled the way the planner's SQL labels its
 * buckets ('2026-W48', '2026-Q4', '2026'). Pure and browser-safe.
 */
import { BEIJING_OFFSET_MS, DAY_MS } from './beijing-time.ts';
import { beijingDate, isWorkingDay } from './working-days.ts';

/** Grains made of whole Beijing days, coarser than a day. */
export type CalendarGrain = 'week' | 'month' | 'quarter' | 'year';

const dateMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Monday that starts the ISO week of a Beijing date. */
export function mondayOf(date: string): string {
	const ms = dateMs(date);
	const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
	return dateOf(ms - weekday * DAY_MS);
}

/** ISO 8601 week of a date: the year is the one holding the week's Thursday ('2027-01-01' is in 2026-W53). */
export function isoWeek(date: string): { year: number; week: number } {
	const thursday = dateMs(mondayOf(date)) + 3 * DAY_MS;
	const year = new Date(thursday).getUTCFullYear();
	const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
	return { year, week };
}

/** The label of the period of `grain` holding a Beijing date. */
export function periodLabel(grain: CalendarGrain, date: string): string {
	switch (grain) {
		case 'week': {
			const { year, week } = isoWeek(date);
			return `${year}-W${String(week).padStart(2, '0')}`;
		}
		case 'month':
			return date.slice(0, 7);
		case 'quarter':
			return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
		case 'year':
			return date.slice(0, 4);
	}
}

/** The first Beijing date of the period of `grain` holding a date. */
export function periodStart(grain: CalendarGrain, date: string): string {
	switch (grain) {
		case 'week':
			return mondayOf(date);
		case 'month':
			return `${date.slice(0, 7)}-01`;
		case 'quarter': {
			const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3);
			return `${date.slice(0, 4)}-${String(q * 3 + 1).padStart(2, '0')}-01`;
		}
		case 'year':
			return `${date.slice(0, 4)}-01-01`;
	}
}

/** The first Beijing date after the period of `grain` holding a date (its exclusive end). */
export function periodEnd(grain: CalendarGrain, date: string): string {
	const start = periodStart(grain, date);
	if (grain === 'week') return dateOf(dateMs(start) + 7 * DAY_MS);
	const [y, m] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
	const months = grain === 'month' ? 1 : grain === 'quarter' ? 3 : 12;
	return dateOf(Date.UTC(y, m - 1 + months, 1));
}

/** Labels of every period of `grain` that a range of instants [from, to) touches, in order. */
export function periodLabels(grain: CalendarGrain, from: number, to: number): string[] {
	const labels: string[] = [];
	// A period counts when its first Beijing midnight (or `from` itself, for the first) is before `to`.
	for (let d = beijingDate(from); dateMs(d) - BEIJING_OFFSET_MS < to; d = periodEnd(grain, d)) labels.push(periodLabel(grain, d));
	return labels;
}

/** Whether each Beijing date is a working day (法定工作日, with 调休), for a chart's day buckets. */
export function workdayFlags(dates: readonly string[]): boolean[] {
	return dates.map((d) => isWorkingDay(d));
}

/**
 * Working days of each period of `grain` inside a range of instants [from, to): the Beijing dates from
 * `from`'s on whose midnight is before `to`. A period cut by the range counts only its own days in it
 * (the anomaly rule compares counts per working day).
 */
export function workingDaysByPeriod(grain: CalendarGrain, from: number, to: number): Map<string, number> {
	const out = new Map<string, number>();
	for (let d = beijingDate(from); dateMs(d) - BEIJING_OFFSET_MS < to; d = dateOf(dateMs(d) + DAY_MS)) {
		const label = periodLabel(grain, d);
		out.set(label, (out.get(label) ?? 0) + (isWorkingDay(d) ? 1 : 0));
	}
	return out;
}
