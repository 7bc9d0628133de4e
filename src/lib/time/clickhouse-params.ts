/**
 * The text forms of instants that ClickHouse receives as bound parameters. The
 * warehouse's time columns are UTC; a Beijing calendar date (a `{x:Date}`
 * parameter) is `beijingDate` in working-days.ts. Pure.
 */

import { DAY_MS, HOUR_MS } from './beijing-time.ts';

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let prefixDay = NaN;
// Stryker disable next-line StringLiteral: never read before the first call sets it (prefixDay starts as NaN, which no day equals)
let prefix = '';

/**
 * An instant (whole ms) as a `DateTime64(3, 'UTC')` value: 'YYYY-MM-DD HH:MM:SS.mmm' in UTC.
 * Hot: ingest writes one per row, so the date part is kept per day and the rest built from tables.
 */
export function clickhouseDateTime64(ms: number): string {
	const day = Math.floor(ms / DAY_MS);
	if (day !== prefixDay) {
		prefixDay = day;
		prefix = `${new Date(day * DAY_MS).toISOString().slice(0, 10)} `;
	}
	let rest = ms - day * DAY_MS;
	const h = Math.floor(rest / HOUR_MS);
	rest -= h * HOUR_MS;
	const m = Math.floor(rest / 60_000);
	rest -= m * 60_000;
	const sec = Math.floor(rest / 1000);
	return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[sec]}.${PAD3[Math.round(rest - sec * 1000)]}`;
}

/** An instant as a `DateTime('UTC')` parameter: 'YYYY-MM-DD HH:MM:SS' in UTC (milliseconds dropped, not rounded). */
export function clickhouseDateTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
