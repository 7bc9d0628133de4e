/**
 * Contract timestamps (the ingest contract, README "Ingest"): ISO 8601, read as
 * Beijing time when they carry no offset (what Chinese source systems write),
 * returned as epoch ms; and the form the simulator writes. Pure and browser-safe; the planner's request and the CLI
 * read their times through it too.
 */
import { BEIJING_OFFSET_MS, DAY_MS } from './beijing-time.ts';

const BEIJING_OFFSET_MIN = BEIJING_OFFSET_MS / 60_000;

// Date.UTC reads the years 0–99 as 1900–1999 ('0050-…' was taken for 1950). The Gregorian calendar repeats every
// 400 years (146 097 days, the same leap days), so the same date 400 years on, less that span, is right for every year.
const GREGORIAN_400_YEARS_MS = 146_097 * DAY_MS;
const utcMs = (y: number, mo: number, d: number, h: number, mi: number, sec: number, ms: number) =>
	Date.UTC(y + 400, mo - 1, d, h, mi, sec, ms) - GREGORIAN_400_YEARS_MS;

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digit = (text: string, i: number) => text.charCodeAt(i) - 48;
const two = (text: string, i: number) => {
	const a = digit(text, i);
	const b = digit(text, i + 1);
	// Stryker disable next-line ConditionalExpression: 'a >= 0' taken as true is equivalent (a character below '0' makes a * 10 + b < 0, which every caller refuses as it refuses -1); this line's other such mutants are killed by the tests, and ignored with it
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/**
 * The common layout `YYYY-MM-DDTHH:MM:SS.mmm+08:00` (or `Z`) read by hand: the
 * hottest code of the ingest path. Anything else goes through the regex.
 */
function parseCommonTimestamp(text: string): number | undefined {
	if (text.length !== 29 && text.length !== 24) return undefined;
	if (text[4] !== '-' || text[7] !== '-' || (text[10] !== 'T' && text[10] !== ' ') || text[13] !== ':' || text[16] !== ':' || text[19] !== '.')
		return undefined;
	// Each pair checked on its own: a bad second pair (-1) would otherwise read '20x6' as the year 1999.
	const century = two(text, 0);
	const yy = two(text, 2);
	const y = century * 100 + yy;
	const mo = two(text, 5);
	const d = two(text, 8);
	const h = two(text, 11);
	const mi = two(text, 14);
	const sec = two(text, 17);
	const ms = two(text, 20) * 10 + digit(text, 22);
	if (
		century < 0 ||
		yy < 0 ||
		mo < 1 ||
		mo > 12 ||
		d < 1 ||
		h < 0 ||
		h > 23 ||
		mi < 0 ||
		mi > 59 ||
		sec < 0 ||
		sec > 59 ||
		ms < 0 ||
		digit(text, 22) > 9 ||
		digit(text, 22) < 0
	)
		return undefined;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!)) return NaN;
	let offsetMin: number;
	if (text.length === 24) {
		if (text[23] !== 'Z') return undefined;
		offsetMin = 0;
	} else {
		const sign = text[23];
		const oh = two(text, 24);
		const om = two(text, 27);
		if ((sign !== '+' && sign !== '-') || text[26] !== ':' || oh < 0 || om < 0) return undefined;
		offsetMin = (sign === '-' ? -1 : 1) * (oh * 60 + om);
	}
	return utcMs(y, mo, d, h, mi, sec, ms) - offsetMin * 60_000;
}

/** Epoch ms of an ISO 8601 timestamp; no offset means Beijing time. NaN when invalid. */
export function parseTimestamp(text: string): number {
	const common = parseCommonTimestamp(text);
	if (common !== undefined) return common;
	const m = ISO_TIMESTAMP.exec(text);
	if (!m) return NaN;
	const y = +m[1]!;
	const mo = +m[2]!;
	const d = +m[3]!;
	const h = +m[4]!;
	const mi = +m[5]!;
	const sec = m[6] === undefined ? 0 : +m[6];
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!) || h > 23 || mi > 59 || sec > 59) return NaN;
	const frac = m[7] === undefined ? 0 : Math.round(+`0${m[7]}` * 1000);
	const zone = m[8];
	let offsetMin = BEIJING_OFFSET_MIN; // no offset: Beijing time
	// Stryker disable next-line ConditionalExpression,StringLiteral: equivalent when 'Z' skips this branch: the offset branch reads 'Z' as +1 × (0 × 60 + 0) = 0 minutes (no '-', empty digit slices are 0)
	if (zone === 'Z') offsetMin = 0;
	else if (zone !== undefined) {
		const digits = zone.replace(':', '');
		offsetMin = (zone[0] === '-' ? -1 : 1) * (+digits.slice(1, 3) * 60 + +digits.slice(3, 5));
	}
	return utcMs(y, mo, d, h, mi, sec, frac) - offsetMin * 60_000;
}

/** An instant as a contract timestamp in Beijing time with its offset, as Chinese platforms write it: 'YYYY-MM-DDTHH:MM:SS.mmm+08:00'. */
export function beijingIso(ms: number): string {
	return `${new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 23)}+08:00`;
}
