/**
 * An uploaded data table → rows for the index engine, or errors that name the
 * row and the column, in Chinese. CSV (comma, semicolon or tab; quotes as RFC
 * 4180; a UTF-8 BOM is dropped) or cells already read from a spreadsheet. Numbers
 * may carry thousands separators (1,234.5) or a percent sign (85% → 85, the
 * value in percent); empty cells and the usual markers (-, —, .., NA, N/A) are
 * missing, never 0. Pure: runs in the browser and on the server.
 */
import type { Row } from './engine.ts';

export interface TableIssue {
	/** The row as a spreadsheet numbers it: the header is row 1. */
	row?: number;
	column?: string;
	message: string;
}

export interface TableOptions {
	/** The column naming the units (checked: present, never empty, no repeats). */
	unitColumn?: string;
	/** Columns that must be present and numeric (a methodology's inputs). Others are numeric when every cell is. */
	numericColumns?: string[];
	maxRows?: number;
	maxColumns?: number;
}

export type TableResult = { ok: true; columns: string[]; rows: Row[]; numericColumns: string[] } | { ok: false; issues: TableIssue[]; message: string };

export const MAX_TABLE_ROWS = 5000;
export const MAX_TABLE_COLUMNS = 300;

const MISSING = new Set(['', '-', '—', '–', '..', '...', 'na', 'n/a', 'nan', 'null', '#n/a', '无']);

/**
 * A cell as a number: undefined when it is not one, null when it is missing.
 * "1,234.5" and "1 234" lose their separators; "85%" and "85 %" are 85.
 */
export function cellValue(cell: unknown): number | null | undefined {
	if (cell === null || cell === undefined) return null;
	if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
	if (typeof cell !== 'string') return undefined;
	let s = cell.trim().replace(/^\u00a0+|\u00a0+$/g, '');
	if (MISSING.has(s.toLowerCase())) return null;
	s = s.replace(/\s*[%％]$/, '');
	if (/^[+-]?\d{1,3}([,，]\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/[,，]/g, '');
	else if (/^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/[ \u00a0\u202f]/g, '');
	if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
	const n = Number(s);
	return Number.isFinite(n) ? n : undefined;
}

function delimiterOf(text: string): string {
	let inQuotes = false;
	let end = text.length;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '"') inQuotes = !inQuotes;
		else if (!inQuotes && (c === '\n' || c === '\r')) {
			end = i;
			break;
		}
	}
	const header = text.slice(0, end);
	const count = (d: string) => header.split(d).length - 1;
	const candidates = [',', '\t', ';'].map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1]);
	return candidates[0]![1] > 0 ? candidates[0]![0] : ',';
}

/** CSV text → records of cells, each with the line it starts on; or the line of an unclosed quote. */
function records(text: string, delimiter: string): { records: Array<{ line: number; cells: string[] }> } | { error: TableIssue } {
	const out: Array<{ line: number; cells: string[] }> = [];
	let cells: string[] = [];
	let cell = '';
	let line = 1;
	let start = 1;
	let quoted = false;
	let wasQuoted = false;
	let quoteLine = 0;
	const endCell = () => {
		cells.push(wasQuoted ? cell : cell.trim());
		cell = '';
		wasQuoted = false;
	};
	const endRecord = () => {
		endCell();
		// Blank lines are skipped.
		if (!(cells.length === 1 && cells[0] === '')) out.push({ line: start, cells });
		cells = [];
	};
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i++;
				} else quoted = false;
			} else {
				if (c === '\n') line++;
				cell += c;
			}
			continue;
		}
		if (c === '"' && cell.trim() === '') {
			quoted = true;
			wasQuoted = true;
			quoteLine = line;
			cell = '';
		} else if (c === delimiter) endCell();
		else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			endRecord();
			line++;
			start = line;
		} else cell += c;
	}
	if (quoted) return { error: { row: quoteLine, message: '引号没有闭合' } };
	if (cell !== '' || cells.length) endRecord();
	return { records: out };
}

function fail(issues: TableIssue[]): TableResult {
	const lines = issues
		.slice(0, 10)
		.map(
			(i) =>
				`${i.row !== undefined ? `第 ${i.row} 行` : ''}${i.column !== undefined ? `「${i.column}」列` : ''}${i.row !== undefined || i.column !== undefined ? '：' : ''}${i.message}`
		);
	return {
		ok: false,
		issues,
		message: `数据表有 ${issues.length} 处错误：\n${lines.join('\n')}${issues.length > 10 ? `\n……另有 ${issues.length - 10} 处` : ''}`
	};
}

/** Parses CSV text into rows. */
export function parseTable(text: string, options: TableOptions = {}): TableResult {
	const source = text.replace(/^\uFEFF/, '');
	if (source.trim() === '') return fail([{ message: '文件是空的' }]);
	const parsed = records(source, delimiterOf(source));
	if ('error' in parsed) return fail([parsed.error]);
	const [header, ...body] = parsed.records;
	return tableFromCells(
		header!.cells,
		body.map((r) => r.cells),
		options,
		body.map((r) => r.line)
	);
}

/**
 * Rows from a header and cells (a CSV's, or a spreadsheet's read on the server).
 * `lines` gives each record's row number; default: header row 1, then 2, 3, …
 */
export function tableFromCells(header: unknown[], body: unknown[][], options: TableOptions = {}, lines?: number[]): TableResult {
	const maxRows = options.maxRows ?? MAX_TABLE_ROWS;
	const maxColumns = options.maxColumns ?? MAX_TABLE_COLUMNS;
	const issues: TableIssue[] = [];
	const columns = header.map((h) => (h === null || h === undefined ? '' : String(h).trim()));
	while (columns.length && columns[columns.length - 1] === '') columns.pop();
	if (columns.length === 0) return fail([{ row: 1, message: '第一行应为列名' }]);
	if (columns.length > maxColumns) return fail([{ row: 1, message: `列数过多（最多 ${maxColumns} 列）` }]);
	if (body.length > maxRows) return fail([{ message: `行数过多（最多 ${maxRows} 行）` }]);
	const seen = new Set<string>();
	columns.forEach((c, i) => {
		if (c === '') issues.push({ row: 1, column: `第 ${i + 1} 列`, message: '列名为空' });
		else if (seen.has(c)) issues.push({ row: 1, column: c, message: '列名重复' });
		seen.add(c);
	});
	const required = [...new Set([...(options.unitColumn ? [options.unitColumn] : []), ...(options.numericColumns ?? [])])];
	for (const c of required) if (!seen.has(c)) issues.push({ row: 1, column: c, message: '缺少这一列' });
	if (issues.length) return fail(issues);
	const lineOf = (i: number) => lines?.[i] ?? i + 2;
	const cellsOf: unknown[][] = [];
	body.forEach((cells, i) => {
		const extra = cells.slice(columns.length).some((c) => c !== null && c !== undefined && String(c).trim() !== '');
		if (extra) issues.push({ row: lineOf(i), message: `有 ${cells.length} 个单元格，多于列名的 ${columns.length} 个（是否缺少引号？）` });
		cellsOf.push(columns.map((_, j) => cells[j]));
	});
	const forced = new Set(options.numericColumns ?? []);
	const numeric = columns.filter((c, j) => {
		if (forced.has(c)) return true;
		if (c === options.unitColumn) return false;
		let any = false;
		for (const cells of cellsOf) {
			const v = cellValue(cells[j]);
			if (v === undefined) return false;
			if (v !== null) any = true;
		}
		return any;
	});
	const numericIndex = new Set(numeric.map((c) => columns.indexOf(c)));
	const units = new Map<string, number>();
	const rows: Row[] = cellsOf.map((cells, i) => {
		const row: Row = {};
		columns.forEach((c, j) => {
			const cell = cells[j];
			if (numericIndex.has(j)) {
				const v = cellValue(cell);
				if (v === undefined) issues.push({ row: lineOf(i), column: c, message: `“${String(cell).slice(0, 40)}”不是数字` });
				row[c] = v ?? '';
			} else row[c] = cell === null || cell === undefined ? '' : String(cell).trim();
		});
		if (options.unitColumn) {
			const u = String(row[options.unitColumn] ?? '');
			if (u === '') issues.push({ row: lineOf(i), column: options.unitColumn, message: '缺少单位名称' });
			else if (units.has(u)) issues.push({ row: lineOf(i), column: options.unitColumn, message: `“${u.slice(0, 40)}”与第 ${units.get(u)} 行重复` });
			else units.set(u, lineOf(i));
		}
		return row;
	});
	if (rows.length === 0) issues.push({ message: '只有列名，没有数据行' });
	if (issues.length) return fail(issues);
	return { ok: true, columns, rows, numericColumns: numeric };
}
