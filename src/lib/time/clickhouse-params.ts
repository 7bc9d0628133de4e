/**
 * The text forms of instants that ClickHouse receives as bound parameters. The
 * warehouse's time columns are UTC; a Beijing calendar date (a `{x:Date}`
 * parameter) is `beijingDate` in working-days.ts. Pure.
 */

/** An instant as a `DateTime64(3, 'UTC')` parameter: 'YYYY-MM-DD HH:MM:SS.mmm' in UTC. */
export function clickhouseDateTime64(ms: number): string {
	return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
}

/** An instant as a `DateTime('UTC')` parameter: 'YYYY-MM-DD HH:MM:SS' in UTC (milliseconds dropped, not rounded). */
export function clickhouseDateTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
