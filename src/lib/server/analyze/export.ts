/**
 * Export of /analyze's table (issue 14): the view's URL query is parsed
 * (analysis/view-state.ts) and the table recomputed here through the same
 * procedures the screen calls, as the caller — never numbers sent by the
 * browser. The table is the view's breakdown (rows by `by`, a column group per
 * indicator: value with its unit, numerator, denominator, comparison, rank).
 * Excel: numbers as numbers with number formats, and a second sheet 查询条件
 * (indicators, region, period, filters, data freshness). CSV: UTF-8 with BOM.
 * A view on the 透视表 tab with pivot columns (pc) exports the pivot instead: a
 * sheet 透视表 with the values (unit in every header), then the numerators and
 * the denominators as two more blocks of the same shape, totals included.
 * The export is put on record before the file leaves the server.
 */
import ExcelJS from 'exceljs';
import type { Queryable } from '../appdb/client.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Context } from '../api/context.ts';
import { createCaller } from '../api/root.ts';
import type { BreakdownOutput, PivotOutput } from '../api/routers/analyze.ts';
import { dataAsOf } from '../queries/cockpit/freshness.ts';
import { shortNames } from '../queries/regions/index.ts';
import {
	breakdownInput,
	CHANNEL_LABELS,
	COMPARE_LABELS,
	DIMENSION_LABELS,
	FILTER_DIMENSIONS,
	GRAIN_LABELS,
	inclusiveEnd,
	parseViewState,
	pivotInput,
	TICKET_TYPE_LABELS,
	type ViewState
} from '../../analysis/view-state.ts';
import { beijingLocal } from '../../time/beijing-time.ts';

export const ANALYZE_EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type AnalyzeExportFormat = (typeof ANALYZE_EXPORT_FORMATS)[number];

export class ExportInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ExportInputError';
	}
}

interface Column {
	header: string;
	/** Excel number format; text when absent. */
	numFmt?: string;
	width: number;
}

export interface AnalyzeTable {
	/** The data sheet's name (数据; 透视表 for a pivot). */
	sheet?: string;
	columns: Column[];
	rows: Array<Array<string | number | null>>;
	/** A number format for a whole row, over its columns' (a pivot's blocks of numerators and denominators). */
	rowFormats?: Array<string | undefined>;
	conditions: Array<[string, string]>;
}

/** Whether an indicator's table carries a numerator and a denominator (rates and mean durations). */
const ratioLike = (t: BreakdownOutput) => t.parent.denominator !== null;

const numberFormat = (unit: string) => (unit === '%' || unit === '小时' ? '0.00' : '#,##0');

/** The table of a view, recomputed as the caller (their scope applies: outside it, FORBIDDEN). */
export async function analyzeTable(ctx: Context, state: ViewState, now = Date.now()): Promise<AnalyzeTable> {
	const caller = createCaller(ctx);
	const pivot = state.tab === 'pivot' ? pivotInput(state) : undefined;
	if (pivot) return pivotSheet(ctx, state, await caller.analyze.pivot(pivot), now);
	const tables: BreakdownOutput[] = [];
	// One indicator after another: four at once would queue against the screen's own requests.
	for (const code of state.indicators) tables.push(await caller.analyze.breakdown(breakdownInput(state, code)));
	const dim = DIMENSION_LABELS[state.by];
	const columns: Column[] = [
		{ header: dim, width: 18 },
		{ header: `${dim}代码`, width: 14 }
	];
	for (const t of tables) {
		const u = t.indicator.unit;
		const cmp =
			state.compare === 'none' ? [] : [{ header: `${t.indicator.nameZh}（${u}）${COMPARE_LABELS[state.compare]}基期`, numFmt: numberFormat(u), width: 18 }];
		// A rate's numerator and denominator beside it (a count is its own numerator).
		const parts: Column[] = ratioLike(t)
			? [
					{ header: `${t.indicator.nameZh} 分子`, numFmt: '#,##0', width: 12 },
					{ header: `${t.indicator.nameZh} 分母`, numFmt: '#,##0', width: 12 }
				]
			: [];
		columns.push({ header: `${t.indicator.nameZh}（${u}）`, numFmt: numberFormat(u), width: 16 }, ...parts, ...cmp, {
			header: `${t.indicator.nameZh} 排名`,
			numFmt: '0',
			width: 8
		});
	}
	// Rows: the parent (合计) first, then every key any indicator has, in the first indicator's order.
	const keys: Array<{ key: string; label: string }> = [];
	const seen = new Set<string>();
	for (const t of tables)
		for (const r of t.rows)
			if (!seen.has(r.key)) {
				seen.add(r.key);
				keys.push({ key: r.key, label: r.label });
			}
	const first = tables[0]!;
	const rows: AnalyzeTable['rows'] = [];
	const cells = (
		t: BreakdownOutput,
		r: { value: number | null; numerator: number | null; denominator: number | null; compareValue: number | null } | undefined,
		rank: number | null
	) => [
		r?.value ?? null,
		...(ratioLike(t) ? [r?.numerator ?? null, r?.denominator ?? null] : []),
		...(state.compare === 'none' ? [] : [r?.compareValue ?? null]),
		rank
	];
	rows.push([`${first.parent.label}（合计）`, String(first.parent.adcode), ...tables.flatMap((t) => cells(t, t.parent, null))]);
	for (const k of keys)
		rows.push([
			k.label,
			k.key,
			...tables.flatMap((t) => {
				const r = t.rows.find((x) => x.key === k.key);
				return cells(t, r, r?.rank ?? null);
			})
		]);
	const shape: Array<[string, string]> = [
		['粒度', GRAIN_LABELS[state.grain]],
		['对比', COMPARE_LABELS[state.compare]],
		['行维度', DIMENSION_LABELS[state.by]]
	];
	return {
		columns,
		rows,
		conditions: await conditionsOf(
			ctx,
			state,
			tables.map((t) => t.indicator),
			now,
			shape
		)
	};
}

/** The 查询条件 sheet: what the figures are of, and how fresh the data is. */
async function conditionsOf(
	ctx: Context,
	state: ViewState,
	indicators: Array<{ nameZh: string; unit: string; definition: string }>,
	now: number,
	shape: Array<[string, string]>
): Promise<Array<[string, string]>> {
	const names = await shortNames(ctx, [state.region]);
	const filterText = FILTER_DIMENSIONS.flatMap((f) =>
		(state.filters[f] ?? []).map(
			(v) => `${DIMENSION_LABELS[f]}：${f === 'channel' ? (CHANNEL_LABELS[v] ?? v) : f === 'ticketType' ? (TICKET_TYPE_LABELS[v] ?? v) : v}`
		)
	).join('；');
	const asOf = await dataAsOf(ctx, now);
	return [
		['指标', indicators.map((i) => `${i.nameZh}（${i.unit}）：${i.definition}`).join('\n')],
		['地区', `${state.region === 0 ? '全国' : (names.get(state.region) ?? '')}（${state.region}）`],
		['期间（北京时间）', `${state.from} 至 ${inclusiveEnd(state.to)}`],
		...shape,
		['筛选', filterText || '无'],
		['数据截至（北京时间）', asOf ?? '近两日无新数据'],
		['导出时间（北京时间）', beijingLocal(now).replace('T', ' ')]
	];
}

/**
 * A pivot as a sheet: the values (a row per row value, a column per column value, 合计 last both ways),
 * then for a rate or mean its numerators and denominators as blocks of the same shape below.
 */
async function pivotSheet(ctx: Context, state: ViewState, p: PivotOutput, now: number): Promise<AnalyzeTable> {
	const u = p.indicator.unit;
	const fmt = numberFormat(u);
	const columns: Column[] = [
		{ header: `${p.rows.label} ＼ ${p.columns.label}`, width: 20 },
		{ header: `${p.rows.label}代码`, width: 14 },
		...p.columns.keys.map((c) => ({ header: `${c.label}（${u}）`, numFmt: fmt, width: 14 })),
		{ header: `合计（${u}）`, numFmt: fmt, width: 14 }
	];
	const rows: AnalyzeTable['rows'] = [];
	const rowFormats: AnalyzeTable['rowFormats'] = [];
	const block = (pick: (c: PivotOutput['total']) => number | null, format: string | undefined) => {
		p.rows.keys.forEach((r, i) => {
			rows.push([r.label, r.key, ...p.cells[i]!.map(pick), pick(p.rowTotals[i]!)]);
			rowFormats.push(format);
		});
		rows.push(['合计', null, ...p.columnTotals.map(pick), pick(p.total)]);
		rowFormats.push(format);
	};
	block((c) => c.value, undefined);
	if (p.kind === 'ratio') {
		for (const [title, pick] of [
			['分子', (c: PivotOutput['total']) => c.numerator],
			['分母', (c: PivotOutput['total']) => c.denominator]
		] as const) {
			rows.push([]);
			rowFormats.push(undefined);
			rows.push([`${p.indicator.nameZh} ${title}`, `${p.rows.label}代码`, ...p.columns.keys.map((c) => c.label), '合计']);
			rowFormats.push(undefined);
			block(pick, '#,##0');
		}
	}
	const conditions = await conditionsOf(ctx, state, [p.indicator], now, [
		['透视表', `行：${p.rows.label}；列：${p.columns.label}（比率的合计为分子之和除以分母之和）`],
		['合并', p.note || '无（全部显示）']
	]);
	return { sheet: '透视表', columns, rows, rowFormats, conditions };
}

/** A cell a spreadsheet would run as a formula is written as text. */
const inert = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const csvCell = (v: string | number | null) => {
	if (v === null) return '';
	if (typeof v === 'number') return String(v);
	const s = inert(v);
	return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function tableCsv(t: AnalyzeTable): string {
	const lines = [t.columns.map((c) => csvCell(c.header)).join(','), ...t.rows.map((r) => r.map(csvCell).join(','))];
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function tableXlsx(t: AnalyzeTable): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = '天枢';
	const ws = wb.addWorksheet(t.sheet ?? '数据');
	ws.columns = t.columns.map((c) => ({ header: c.header, width: c.width }));
	ws.getRow(1).font = { bold: true };
	t.rows.forEach((r, n) => {
		const row = ws.addRow(r.map((v) => (typeof v === 'string' ? inert(v) : v)));
		const rowFormat = t.rowFormats?.[n];
		t.columns.forEach((c, i) => {
			const numFmt = rowFormat && i > 0 ? rowFormat : c.numFmt;
			if (numFmt && typeof r[i] === 'number') row.getCell(i + 1).numFmt = numFmt;
		});
	});
	ws.views = [{ state: 'frozen', ySplit: 1 }];
	const q = wb.addWorksheet('查询条件');
	q.columns = [
		{ header: '项目', width: 22 },
		{ header: '内容', width: 80 }
	];
	q.getRow(1).font = { bold: true };
	for (const [k, v] of t.conditions) q.addRow([k, inert(v)]);
	return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The export of a view for a caller: parsed, recomputed, put on record, built.
 * `view` is the page's URL query; a view that does not parse is an ExportInputError.
 */
export async function exportView(
	ctx: Context,
	db: Queryable,
	view: string,
	format: AnalyzeExportFormat,
	origin: { address: string | null; requestId?: string }
): Promise<{ body: string | Buffer; rows: number; filename: string; contentType: string }> {
	const parsed = parseViewState(view);
	if (!parsed.ok) throw new ExportInputError(parsed.message);
	const state = parsed.state;
	const table = await analyzeTable(ctx, state);
	const body = format === 'csv' ? tableCsv(table) : await tableXlsx(table);
	const p = ctx.principal;
	await recordAudit(db, {
		actor: p?.kind === 'user' ? { kind: 'user', id: p.userId, name: p.name } : { kind: 'system' },
		action: 'export',
		address: origin.address,
		detail: { what: 'analyze', table: table.sheet === '透视表' ? 'pivot' : 'breakdown', format, view: view.slice(0, 4096), rows: table.rows.length },
		regions: [state.region],
		requestId: origin.requestId ?? null
	});
	const stamp = beijingLocal(Date.now()).slice(0, 10);
	return {
		body,
		rows: table.rows.length,
		filename: `analyze-${state.region}-${stamp}.${format}`,
		contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
	};
}
