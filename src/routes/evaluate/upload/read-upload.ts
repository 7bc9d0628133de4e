/**
 * An uploaded file of the evaluators' workbench → a data table (CSV or Excel,
 * through src/lib/indices/table.ts) or a methodology (JSON or YAML, through
 * upload.ts), with the reason in Chinese when it cannot be read. Excel is read
 * here on the server (exceljs stays out of the browser bundle): the first
 * worksheet with data, or the one named; row 1 is the header.
 */
import ExcelJS from 'exceljs';
import { tableFromCells, parseTable, type TableOptions, type TableResult } from '$lib/indices/table';
import { parseMethodologyText, type MethodologyUpload } from '$lib/indices/upload';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export type UploadKind = 'table' | 'methodology';

export type UploadResult =
	| ({ kind: 'table'; file: string; sheet?: string } & TableResult)
	| ({ kind: 'methodology'; file: string } & MethodologyUpload)
	| { kind: 'refused'; ok: false; message: string };

function refused(message: string): UploadResult {
	return { kind: 'refused', ok: false, message };
}

/** UTF-8 text, or undefined when the bytes are not (a GBK CSV saved by an old Excel, say). */
function utf8(bytes: Uint8Array): string | undefined {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return undefined;
	}
}

/** A cell's value as the table reader takes it: numbers stay numbers; formulas give their result; dates as YYYY-MM-DD. */
function cellOf(v: ExcelJS.CellValue): unknown {
	if (v === null || v === undefined) return null;
	if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
	if (v instanceof Date) return v.toISOString().slice(0, 10);
	if (typeof v === 'object') {
		// A formula gives its cached result; one never calculated (no result saved) is missing.
		if ('formula' in v || 'sharedFormula' in v || 'result' in v) return cellOf(((v as ExcelJS.CellFormulaValue).result ?? null) as ExcelJS.CellValue);
		if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join('');
		if ('text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
		if ('error' in v) return null;
	}
	return String(v);
}

async function readWorkbook(name: string, bytes: Uint8Array, options: TableOptions, sheetName?: string): Promise<UploadResult> {
	const wb = new ExcelJS.Workbook();
	try {
		await wb.xlsx.load(bytes as unknown as ArrayBuffer);
	} catch {
		return refused('无法读取该 Excel 文件（须为 .xlsx；旧的 .xls 请另存为 .xlsx 或 CSV）');
	}
	const sheet = sheetName ? wb.getWorksheet(sheetName) : wb.worksheets.find((ws) => ws.actualRowCount > 0);
	if (!sheet) return refused(sheetName ? `工作簿中没有名为“${sheetName.slice(0, 40)}”的工作表` : '工作簿中没有数据');
	const rows: unknown[][] = [];
	const lines: number[] = [];
	let header: unknown[] | undefined;
	sheet.eachRow({ includeEmpty: false }, (row, n) => {
		const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellOf);
		if (!header) header = values;
		else {
			rows.push(values);
			lines.push(n);
		}
	});
	if (!header) return refused('工作表是空的');
	return { kind: 'table', file: name, sheet: sheet.name, ...tableFromCells(header, rows, options, lines) };
}

/** Reads one uploaded file. `kind` says what is expected; the file name decides the format. */
export async function readUpload(name: string, bytes: Uint8Array, kind: UploadKind, options: TableOptions & { sheet?: string } = {}): Promise<UploadResult> {
	if (bytes.length > MAX_UPLOAD_BYTES) return refused('文件过大（最多 5 MB）');
	if (bytes.length === 0) return refused('文件是空的');
	const lower = name.toLowerCase();
	if (kind === 'methodology') {
		if (!/\.(json|ya?ml)$/.test(lower)) return refused('评估方法文件须为 .json、.yaml 或 .yml');
		const text = utf8(bytes);
		if (text === undefined) return refused('文件不是 UTF-8 编码');
		return { kind: 'methodology', file: name, ...parseMethodologyText(text, name) };
	}
	if (lower.endsWith('.xlsx')) return readWorkbook(name, bytes, options, options.sheet);
	if (lower.endsWith('.xls')) return refused('不支持旧的 .xls 格式，请另存为 .xlsx 或 CSV');
	if (!/\.(csv|txt|tsv)$/.test(lower)) return refused('数据表须为 .csv 或 .xlsx');
	const text = utf8(bytes);
	if (text === undefined) return refused('文件不是 UTF-8 编码（请在 Excel 中另存为“CSV UTF-8”）');
	return { kind: 'table', file: name, ...parseTable(text, options) };
}
