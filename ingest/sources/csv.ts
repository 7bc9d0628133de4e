/**
 * CSV tables of indicator values or targets (an official release as a file): the
 * header names the columns; each row becomes the event the steps expect.
 */
import type { FileHandle } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';

const INDICATOR_CSV_COLUMNS = ['indicator', 'adcode', 'period', 'value', 'unit', 'release_ts'];
const TARGET_CSV_COLUMNS = ['indicator', 'adcode', 'year', 'value', 'unit', 'release_ts'];

/** The header line of a CSV table of indicator values or targets: its columns and where the data starts. */
export async function readCsvHeader(fh: FileHandle): Promise<{ columns: string[]; end: number }> {
	const head = Buffer.alloc(4096);
	const { bytesRead } = await fh.read(head, 0, head.length, 0);
	const nl = head.subarray(0, bytesRead).indexOf(0x0a);
	const text = head
		.subarray(0, nl < 0 ? bytesRead : nl)
		.toString('utf8')
		.replace(/^\uFEFF/, '')
		.trim();
	const columns = text.split(',').map((h) => h.trim());
	// A table of targets has a year; a table of values a period.
	const expected = columns.includes('year') ? TARGET_CSV_COLUMNS : INDICATOR_CSV_COLUMNS;
	const missing = expected.filter((c) => !columns.includes(c));
	if (missing.length)
		throw new Error(
			`CSV table without column(s) ${missing.join(', ')}: expected a header ${INDICATOR_CSV_COLUMNS.join(',')} (values) or ${TARGET_CSV_COLUMNS.join(',')} (targets)`
		);
	return { columns, end: nl < 0 ? bytesRead : nl + 1 };
}

/** A CSV table row as an indicator or target event. */
export function csvLineAsEvent(bytes: Buffer, header: string[]): Buffer {
	let record: string[];
	try {
		record = (parseCsv(bytes, { relax_quotes: false }) as string[][])[0] ?? [];
	} catch {
		return bytes; // not JSON either: the parse step refuses it with the raw line
	}
	const o: Record<string, unknown> = { type: header.includes('year') ? 'target' : 'indicator' };
	header.forEach((h, i) => {
		const v = record[i];
		const numeric = (h === 'value' || h === 'year') && v !== undefined && v !== '' && !Number.isNaN(Number(v));
		o[h] = numeric ? Number(v) : h === 'adcode' && /^\d+$/.test(v ?? '') ? Number(v) : v;
	});
	return Buffer.from(JSON.stringify(o));
}
