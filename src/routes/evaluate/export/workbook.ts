/**
 * The workbench's Excel file: one sheet per view (results, uncertainty, what-if,
 * target), numbers as numbers with the screen's decimals as the cell format, and
 * a sheet 说明 with the methodology, the data source and the date.
 */
import ExcelJS from 'exceljs';
import { beijingLocal } from '$lib/time/beijing-time';
import { VIEW_SHEETS, type ExportBody, type ExportSheet } from './schema';

function addView(wb: ExcelJS.Workbook, sheet: ExportSheet): void {
	const ws = wb.addWorksheet(VIEW_SHEETS[sheet.view]);
	let r = 1;
	if (sheet.caption) {
		ws.getCell(r, 1).value = sheet.caption;
		r += 2;
	}
	const header = ws.getRow(r);
	sheet.columns.forEach((c, j) => {
		header.getCell(j + 1).value = c.unit ? `${c.label}（${c.unit}）` : c.label;
	});
	header.font = { bold: true };
	ws.views = [{ state: 'frozen', ySplit: r }];
	sheet.rows.forEach((row, i) => {
		const line = ws.getRow(r + 1 + i);
		sheet.columns.forEach((c, j) => {
			const v = row[c.key];
			const cell = line.getCell(j + 1);
			cell.value = v === undefined || v === null ? null : typeof v === 'boolean' ? (v ? '是' : '否') : v;
			if (typeof v === 'number' && c.decimals !== undefined) cell.numFmt = c.decimals === 0 ? '0' : `0.${'0'.repeat(c.decimals)}`;
		});
	});
	sheet.columns.forEach((c, j) => {
		ws.getColumn(j + 1).width = Math.min(40, Math.max(10, c.label.length * 2 + 4));
	});
}

export async function evaluationWorkbook(body: ExportBody & { sheets: ExportSheet[] }, user: string, now: number): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Tianshu';
	wb.created = new Date(now);
	for (const sheet of body.sheets) addView(wb, sheet);
	const about = wb.addWorksheet('说明');
	const lines: Array<[string, string | number]> = [
		['标题', body.title ?? '评估结果'],
		['评估方法', `${body.methodology.name}（${body.methodology.id}）`],
		['方法来源', body.methodology.source ?? ''],
		['数据来源', body.dataSource.kind === 'live' ? `天枢平台实时数据：${body.dataSource.label}` : `上传文件：${body.dataSource.label}`],
		['数据期间', body.dataSource.period ?? ''],
		['导出时间（北京时间）', beijingLocal(now).slice(0, 16).replace('T', ' ')],
		['导出人', user]
	];
	for (const [k, v] of lines) about.addRow([k, v]);
	if (body.methodology.weights && Object.keys(body.methodology.weights).length) {
		about.addRow([]);
		about.addRow(['调整后的权重']);
		for (const [k, v] of Object.entries(body.methodology.weights)) about.addRow([k, v]);
	}
	if (body.methodology.assumptions?.length) {
		about.addRow([]);
		about.addRow(['方法假设']);
		for (const a of body.methodology.assumptions) about.addRow(['', a]);
	}
	if (body.dataSource.provenance?.length) {
		about.addRow([]);
		about.addRow(['指标', '名称', '数据状态', '说明']);
		const status: Record<string, string> = { live: '平台实时数据', derived: '由平台数据推算', missing: '平台无此数据（按缺失处理）' };
		for (const p of body.dataSource.provenance) about.addRow([p.indicator, p.nameZh, status[p.status] ?? p.status, p.note ?? '']);
	}
	about.getColumn(1).width = 22;
	about.getColumn(2).width = 60;
	about.getColumn(1).font = { bold: true };
	return Buffer.from(await wb.xlsx.writeBuffer());
}
