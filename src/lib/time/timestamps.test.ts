import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runs } from '../../../test/helpers/property-runs.ts';
import { beijingIso, parseTimestamp } from './timestamps.ts';
import { clickhouseDateTime, clickhouseDateTime64 } from './clickhouse-params.ts';

// Expected instants written by hand as UTC fields: Beijing is UTC+8, so 14:32 Beijing is 06:32 UTC.
describe('contract timestamps', () => {
	it.each([
		['2026-11-22T14:32:05+08:00', Date.UTC(2026, 10, 22, 6, 32, 5)],
		['2026-11-22T14:32:05.123+08:00', Date.UTC(2026, 10, 22, 6, 32, 5, 123)],
		['2026-11-22 14:32:05.123+08:00', Date.UTC(2026, 10, 22, 6, 32, 5, 123)],
		['2026-11-22T06:32:05.123Z', Date.UTC(2026, 10, 22, 6, 32, 5, 123)],
		['2026-11-22T06:32:05Z', Date.UTC(2026, 10, 22, 6, 32, 5)],
		['2026-11-22 14:32:05', Date.UTC(2026, 10, 22, 6, 32, 5)], // no offset: Beijing time
		['2026-11-22T14:32', Date.UTC(2026, 10, 22, 6, 32)],
		// Beijing midnight is 16:00 UTC the day before.
		['2026-01-01T00:00', Date.UTC(2025, 11, 31, 16, 0)],
		['2026-11-22T01:00:00-0500', Date.UTC(2026, 10, 22, 6, 0)],
		['2026-11-22T01:00:00.5-05:00', Date.UTC(2026, 10, 22, 6, 0, 0, 500)],
		['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
		['2000-02-29T12:00:00+08:00', Date.UTC(2000, 1, 29, 4)] // 2000 is a leap year (divisible by 400)
	])('%s', (text, ms) => {
		expect(parseTimestamp(text)).toBe(ms);
	});

	it.each([
		'2026-02-29T00:00:00Z',
		'2026-02-29T00:00:00.000+08:00', // the hand-read layout checks the calendar too
		'1900-02-29T00:00:00Z', // 1900 is not a leap year
		'2026-04-31T00:00:00.000Z',
		'2026-13-01T00:00:00Z',
		'2026-11-22T24:00:00Z',
		'2026-11-22T23:60:00.000Z',
		'2026-11-22',
		'yesterday',
		'1732257125',
		'',
		// Something before or after a timestamp the regex would read.
		'x2026-11-22T14:32',
		'2026-11-22T14:32:05+08:00x'
	])('refuses %s', (text) => {
		expect(parseTimestamp(text)).toBeNaN();
	});
});

// The layout ingest sees most ('YYYY-MM-DDTHH:MM:SS.mmm+08:00' or '…Z') is read by hand, not by the regex: its own edges.
describe('contract timestamps in the common layout', () => {
	it.each([
		['2026-12-31T23:59:59.999+08:00', Date.UTC(2026, 11, 31, 15, 59, 59, 999)],
		['2026-01-01T00:00:00.000-05:30', Date.UTC(2026, 0, 1, 5, 30)],
		['1999-01-01 00:00:00.001+14:00', Date.UTC(1998, 11, 31, 10, 0, 0, 1)],
		['2026-11-30T08:09:07.010+00:00', Date.UTC(2026, 10, 30, 8, 9, 7, 10)],
		['2024-02-29T12:00:00.000Z', Date.UTC(2024, 1, 29, 12)],
		['2000-02-29T00:00:00.000Z', Date.UTC(2000, 1, 29)],
		['2026-01-31T00:00:00.000Z', Date.UTC(2026, 0, 31)],
		// No field starting with 0: a mis-read pair stays a plausible number here instead of sending the text to the regex,
		// which would read it right and hide the fault.
		['2011-11-11T11:11:11.111Z', Date.UTC(2011, 10, 11, 11, 11, 11, 111)],
		// 23:59:59.999 at −11:11 is 11:10:59.999 UTC the next day, in the next year.
		['2099-12-31T23:59:59.999-11:11', Date.UTC(2100, 0, 1, 11, 10, 59, 999)],
		['2099-12-31 23:59:59.999+11:11', Date.UTC(2099, 11, 31, 12, 48, 59, 999)]
	])('%s', (text, ms) => {
		expect(parseTimestamp(text)).toBe(ms);
	});

	it.each([
		'20x6-11-22T14:32:05.123+08:00', // a bad second pair of the year once read as 1999
		'x026-11-22T14:32:05.123+08:00',
		'2026-00-22T14:32:05.123+08:00',
		'2026-13-22T14:32:05.123+08:00',
		'2026-1x-22T14:32:05.123+08:00',
		'2026-11-00T14:32:05.123+08:00',
		'2026-11-31T14:32:05.123+08:00',
		'2100-02-29T00:00:00.000Z', // 2100 is not a leap year
		'2026-11-22T24:00:00.000+08:00',
		'2026-11-22T2x:00:00.000+08:00',
		'2026-11-22T23:60:00.000+08:00',
		'2026-11-22T23:x9:00.000+08:00',
		'2026-11-22T23:59:60.000+08:00',
		'2026-11-22T23:59:x9.000+08:00',
		'2026-11-22T23:59:59.12x+08:00',
		'2026-11-22T23:59:59.1x3+08:00',
		'2026-11-22T23:59:59.x23+08:00',
		'2026-11-22T23:59:59.123*08:00',
		'2026-11-22T23:59:59.123+08-00',
		'2026-11-22T23:59:59.123+0x:00',
		'2026-11-22T23:59:59.123+08:0x',
		'2026-11-22T23:59:59.123X',
		'2026-11-22X23:59:59.123Z',
		'2026/11-22T23:59:59.123Z',
		'2026-11/22T23:59:59.123Z',
		'2026-11-22T23-59:59.123Z',
		'2026-11-22T23:59-59.123Z',
		'2026-11-22T23:59:59,123Z'
	])('refuses %s', (text) => {
		expect(parseTimestamp(text)).toBeNaN();
	});
});

// The fast path gives up (and the regex reads the text) on anything outside the layout; inside it, its answer is final.
// The regex would read the same instant, so only these tests tell a fast path that gives up too often from a right one.
describe('the common layout is read without the regex', () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	const regexReads = (text: string) => {
		const exec = vi.spyOn(RegExp.prototype, 'exec');
		const ms = parseTimestamp(text);
		const calls = exec.mock.calls.filter(([arg]) => arg === text).length;
		exec.mockRestore();
		return { ms, calls };
	};

	it.each([
		// Every field at its lowest (pairs starting and ending with 0), 'T', 'Z', length 24.
		['2000-01-01T00:00:00.000Z', Date.UTC(2000, 0, 1)],
		// Every field at its highest (pairs starting and ending with 9), ' ', '+', length 29.
		['2099-12-31 23:59:59.999+08:00', Date.UTC(2099, 11, 31, 15, 59, 59, 999)],
		// Century 00, '-', offset hour 00; the year 50 (JavaScript's own ISO reader as the oracle: Date.UTC would say 1950).
		['0050-06-15T12:30:45.500-00:30', Date.parse('0050-06-15T13:00:45.500Z')],
		// Past the month's end: refused by the fast path itself.
		['2026-02-29T00:00:00.000+08:00', NaN]
	])('%s', (text, expected) => {
		const { ms, calls } = regexReads(text);
		expect(ms).toBe(expected);
		expect(calls).toBe(0);
	});

	it('leaves other layouts to the regex (so the spy above can see it)', () => {
		const { ms, calls } = regexReads('2026-11-22T14:32:05+08:00');
		expect(ms).toBe(Date.UTC(2026, 10, 22, 6, 32, 5));
		expect(calls).toBe(1);
	});

	it.each([
		// 24 or 29 characters but not the layout: the regex reads them (no offset is Beijing time; digits past the
		// millisecond are rounded away).
		['2026-11-22T14:32:05.1234', Date.UTC(2026, 10, 22, 6, 32, 5, 123)],
		['2026-11-22T14:32:05.1234+0800', Date.UTC(2026, 10, 22, 6, 32, 5, 123)],
		['2026-11-22T14:32:05.12345678Z', Date.UTC(2026, 10, 22, 14, 32, 5, 123)],
		// The regex's own edges: the last second of a leap year's last day, minutes in the offset, the years 0–99.
		['2024-12-31T23:59:59+08:00', Date.UTC(2024, 11, 31, 15, 59, 59)],
		['2026-11-22T23:59:59Z', Date.UTC(2026, 10, 22, 23, 59, 59)],
		['2026-11-22T01:00:00-05:30', Date.UTC(2026, 10, 22, 6, 30)],
		['0050-06-15T12:30-00:30', Date.parse('0050-06-15T13:00:00.000Z')],
		['0000-02-29T00:00:00Z', Date.parse('0000-02-29T00:00:00.000Z')], // the year 0 is a leap year (divisible by 400)
		// The hand-read layout on a leap year's 31st.
		['2024-12-31T23:59:59.999+08:00', Date.UTC(2024, 11, 31, 15, 59, 59, 999)]
	])('%s', (text, expected) => {
		expect(parseTimestamp(text)).toBe(expected);
	});

	it.each([
		// A character below '0' in a digit pair ('/' is '0' − 1): the pair is not a number, whatever it adds up to.
		'2026-11-2/T14:32:05.123+08:00',
		'2026-11-22T14:32:05.12/+08:00',
		// The layout with something after it.
		'2026-11-22T14:32:05.123+08:000',
		'2026-11-22T14:32:05.123+08:00:00'
	])('refuses %s', (text) => {
		expect(parseTimestamp(text)).toBeNaN();
	});
});

describe('contract timestamps read back (property)', () => {
	const pad2 = (n: number) => String(n).padStart(2, '0');

	it('any wall-clock time of the years 0–9999 at any offset reads back as that time less the offset', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
				fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
				fc.constantFrom('T', ' '),
				fc.constantFrom('common', 'Z', 'seconds', 'no offset'),
				(wallClock, offsetMin, separator, form) => {
					// The wall-clock fields as JavaScript's own ISO formatter writes them: 'YYYY-MM-DDTHH:MM:SS.mmmZ'.
					const iso = wallClock.toISOString();
					const wall = wallClock.getTime();
					const date = `${iso.slice(0, 10)}${separator}`;
					const offset = `${offsetMin < 0 ? '-' : '+'}${pad2(Math.floor(Math.abs(offsetMin) / 60))}:${pad2(Math.abs(offsetMin) % 60)}`;
					if (form === 'common') {
						expect(parseTimestamp(`${date}${iso.slice(11, 23)}${offset}`)).toBe(wall - offsetMin * 60_000);
					} else if (form === 'Z') {
						expect(parseTimestamp(`${date}${iso.slice(11, 23)}Z`)).toBe(wall);
					} else if (form === 'seconds') {
						// Whole seconds, the offset without its colon: the regex's layout.
						const text = `${date}${iso.slice(11, 19)}${offset.replace(':', '')}`;
						expect(parseTimestamp(text)).toBe(wall - wallClock.getUTCMilliseconds() - offsetMin * 60_000);
					} else {
						// No offset: Beijing time, 8 hours ahead of UTC.
						expect(parseTimestamp(`${date}${iso.slice(11, 23)}`)).toBe(wall - 8 * 3_600_000);
					}
				}
			),
			{ numRuns: runs(200) }
		);
	});
});

describe('contract timestamps written in Beijing time', () => {
	it('adds eight hours and says so', () => {
		expect(beijingIso(Date.UTC(2026, 10, 22, 6, 32, 5, 7))).toBe('2026-11-22T14:32:05.007+08:00');
		// 16:00 UTC is the next Beijing day's midnight.
		expect(beijingIso(Date.UTC(2025, 11, 31, 16, 0))).toBe('2026-01-01T00:00:00.000+08:00');
	});
});

describe('ClickHouse time parameters', () => {
	const t = Date.UTC(2026, 10, 1, 16, 0, 5, 678);

	it('DateTime64(3): UTC with milliseconds', () => {
		expect(clickhouseDateTime64(t)).toBe('2026-11-01 16:00:05.678');
		expect(clickhouseDateTime64(Date.UTC(2026, 0, 1))).toBe('2026-01-01 00:00:00.000');
		expect(clickhouseDateTime64(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006');
		// The last millisecond of a day, then the first of the next (the cached date part must move on).
		expect(clickhouseDateTime64(Date.UTC(2024, 1, 28, 23, 59, 59, 999))).toBe('2024-02-28 23:59:59.999');
		expect(clickhouseDateTime64(Date.UTC(2024, 1, 29))).toBe('2024-02-29 00:00:00.000');
		expect(clickhouseDateTime64(Date.UTC(2024, 1, 28, 12))).toBe('2024-02-28 12:00:00.000');
	});

	it('DateTime64(3): the date part is kept for the day it was last written, made anew on the next', () => {
		clickhouseDateTime64(Date.UTC(2026, 4, 6, 1));
		const iso = vi.spyOn(Date.prototype, 'toISOString');
		try {
			expect(clickhouseDateTime64(Date.UTC(2026, 4, 6, 23, 59, 59, 999))).toBe('2026-05-06 23:59:59.999');
			expect(iso).not.toHaveBeenCalled();
			expect(clickhouseDateTime64(Date.UTC(2026, 4, 7))).toBe('2026-05-07 00:00:00.000');
			expect(iso).toHaveBeenCalledTimes(1);
		} finally {
			iso.mockRestore();
		}
	});

	it('DateTime: UTC whole seconds, the milliseconds dropped', () => {
		expect(clickhouseDateTime(t)).toBe('2026-11-01 16:00:05');
		expect(clickhouseDateTime(Date.UTC(2026, 10, 1, 23, 59, 59, 999))).toBe('2026-11-01 23:59:59');
	});
});
