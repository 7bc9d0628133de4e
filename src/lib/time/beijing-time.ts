/**
 * Beijing local time (UTC+8, no daylight saving) as the screens and the planner
 * read it: local 'YYYY-MM-DDTHH:MM' strings, the start of a Beijing day, today so
 * far. Pure; the one place the offset is written.
 */

export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;
export const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** Beijing local 'YYYY-MM-DDTHH:MM' of an instant. */
export function beijingLocal(ms: number): string {
	return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16);
}

/** Beijing midnight that starts the day of `now` (epoch ms). */
export function startOfBeijingDay(now: number): number {
	return Math.floor((now + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

/** Today from Beijing midnight to the end of the current hour: a range the hour rollups answer exactly. */
export function todaySoFar(now: number): { from: number; to: number } {
	return { from: startOfBeijingDay(now), to: Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS };
}
