/**
 * The workbench's files: an Excel copy of the UN EGDI 2018 table read on the
 * server and computed with the built-in EGDI (Denmark first, every published
 * rank), files that cannot be used refused with the reason, and the Excel export
 * read back with exceljs (one sheet per view, numbers as numbers, 说明).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { builtinMethodology } from '../../src/lib/indices/builtins.ts';
import { compute } from '../../src/lib/indices/engine.ts';
import { projectRoot } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { readUpload } from '../../src/routes/evaluate/upload/read-upload.ts';
import { evaluationWorkbook } from '../../src/routes/evaluate/export/workbook.ts';
import { ExportBody } from '../../src/routes/evaluate/export/schema.ts';

const egdiText = readFileSync(path.join(projectRoot, 'ingest/reference/statistics/egdi_2018.csv'), 'utf8');
// The published table, read here with a plain split (no quoted commas in this file's first six columns).
const published = egdiText
	.trim()
	.split('\n')
	.slice(1)
	.map((l) => l.split(','))
	.map((c) => ({ country: c[0]!, egdi: Number(c[1]), osi: Number(c[2]), hci: Number(c[3]), tii: Number(c[4]), rank: Number(c[5]) }));

async function egdiWorkbook(): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	wb.addWorksheet('Notes'); // an empty first sheet: the reader takes the first with data
	const ws = wb.addWorksheet('EGDI 2018');
	ws.addRow(['country', 'osi', 'hci', 'tii', 'rank']);
	// TII as formulas with their results, as Excel saves them (exceljs leaves out a result of 0: those as plain values).
	for (const p of published) ws.addRow([p.country, p.osi, p.hci, p.tii ? { formula: `${p.tii}*1`, result: p.tii } : p.tii, p.rank]);
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('uploads', () => {
	const m = builtinMethodology('egdi')!;
	const options = { unitColumn: 'country', numericColumns: ['osi', 'hci', 'tii'] };

	it('reads the EGDI 2018 table from Excel: Denmark first and every published rank', async () => {
		const r = await readUpload('egdi_2018.xlsx', await egdiWorkbook(), 'table', options);
		expect(r.ok, r.ok ? '' : r.message).toBe(true);
		if (!r.ok || r.kind !== 'table') return;
		expect(r.sheet).toBe('EGDI 2018');
		expect(r.rows).toHaveLength(193);
		const result = compute(m, r.rows);
		expect(result.units.find((u) => u.rank === 1)!.unit).toBe('Denmark');
		const rank = new Map(published.map((p) => [p.country, p.rank]));
		for (const u of result.units) expect(u.rank, u.unit).toBe(rank.get(u.unit));
	});

	it('reads the CSV the same way', async () => {
		const r = await readUpload('egdi_2018.csv', new TextEncoder().encode(egdiText), 'table', options);
		expect(r.ok && r.kind === 'table' && compute(m, r.rows).units[0]).toMatchObject({ unit: 'Denmark', rank: 1 });
	});

	it('names the row and column of a bad cell in Excel as Excel numbers them', async () => {
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('data');
		ws.addRow(['country', 'osi', 'hci', 'tii']);
		ws.addRow(['A', 0.5, 0.5, 0.5]);
		ws.addRow(['B', 0.5, '高', 0.5]);
		const r = await readUpload('bad.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()), 'table', options);
		expect(r.ok).toBe(false);
		expect(!r.ok && 'issues' in r && r.issues).toEqual([{ row: 3, column: 'hci', message: '“高”不是数字' }]);
	});

	it('refuses a GBK file, an .xls, a file that is not Excel, an oversized one and an unknown type, saying why', async () => {
		const gbk = new Uint8Array([0x63, 0x2c, 0x78, 0x0a, 0xb9, 0xe3, 0xb6, 0xab, 0x2c, 0x31, 0x0a]); // "c,x\n广东,1\n" in GBK
		expect(await readUpload('gbk.csv', gbk, 'table')).toMatchObject({ ok: false, message: '文件不是 UTF-8 编码（请在 Excel 中另存为“CSV UTF-8”）' });
		expect(await readUpload('old.xls', gbk, 'table')).toMatchObject({ ok: false, message: '不支持旧的 .xls 格式，请另存为 .xlsx 或 CSV' });
		expect(await readUpload('fake.xlsx', gbk, 'table')).toMatchObject({ ok: false, message: expect.stringContaining('无法读取该 Excel 文件') });
		expect(await readUpload('big.csv', new Uint8Array(5 * 1024 * 1024 + 1), 'table')).toMatchObject({ ok: false, message: '文件过大（最多 5 MB）' });
		expect(await readUpload('x.pdf', gbk, 'table')).toMatchObject({ ok: false, message: '数据表须为 .csv 或 .xlsx' });
	});

	it('reads a methodology and names the line of an error', async () => {
		const ok = await readUpload('m.json', readFileSync(path.join(projectRoot, 'src/lib/indices/builtins/egdi.json')), 'methodology');
		expect(ok).toMatchObject({ ok: true, kind: 'methodology' });
		const bad = await readUpload('m.yaml', new TextEncoder().encode('id: x\nname: y\nroot:\n  id: r\n  children: []\n'), 'methodology');
		expect(bad).toMatchObject({ ok: false, issues: [{ path: 'root.children', line: 5 }] });
	});
});

describe('the Excel export', () => {
	it('has one sheet per view with numbers as numbers, and the methodology, source and date in 说明', async () => {
		const body = ExportBody.parse({
			methodology: { id: 'egdi', name: 'UN EGDI', source: 'UN E-Government Survey', assumptions: ['无'] },
			dataSource: { kind: 'upload', label: 'egdi_2018.csv', period: '2018' },
			sheets: [
				{
					view: 'table',
					columns: [
						{ key: 'unit', label: '国家' },
						{ key: 'score', label: '得分', decimals: 4 },
						{ key: 'rank', label: '排名', decimals: 0 }
					],
					rows: [
						{ unit: 'Denmark', score: 0.915004, rank: 1 },
						{ unit: 'Australia', score: 0.90533, rank: 2 }
					]
				},
				{
					view: 'uncertainty',
					columns: [
						{ key: 'unit', label: '国家' },
						{ key: 'p5', label: '5%' },
						{ key: 'p95', label: '95%' }
					],
					rows: [{ unit: 'Denmark', p5: 1, p95: 2 }]
				},
				{
					view: 'target',
					caption: 'China → 第 30 名',
					columns: [
						{ key: 'indicator', label: '指标' },
						{ key: 'to', label: '目标值' }
					],
					rows: [{ indicator: 'osi', to: 0.95 }]
				}
			]
		});
		const buffer = await evaluationWorkbook(body, 'eval-user', Date.UTC(2026, 10, 29, 2, 30));
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(buffer as unknown as ArrayBuffer);
		expect(wb.worksheets.map((w) => w.name)).toEqual(['结果', '不确定性', '目标测算', '说明']);
		const table = wb.getWorksheet('结果')!;
		expect(table.getRow(1).values).toEqual([undefined, '国家', '得分', '排名']);
		expect(table.getCell('B2').value).toBe(0.915004);
		expect(table.getCell('B2').numFmt).toBe('0.0000');
		expect(table.getCell('C3').value).toBe(2);
		expect(wb.getWorksheet('目标测算')!.getCell('A1').value).toBe('China → 第 30 名');
		expect(wb.getWorksheet('目标测算')!.getCell('B4').value).toBe(0.95);
		const about = Object.fromEntries(
			wb
				.getWorksheet('说明')!
				.getSheetValues()
				.filter(Boolean)
				.map((r) => [(r as unknown[])[1], (r as unknown[])[2]])
		);
		expect(about['评估方法']).toBe('UN EGDI（egdi）');
		expect(about['数据来源']).toBe('上传文件：egdi_2018.csv');
		expect(about['导出时间（北京时间）']).toBe('2026-11-29 10:30');
	});

	it('refuses a body without sheets or with an unknown view', () => {
		const base = { methodology: { id: 'x', name: 'x' }, dataSource: { kind: 'upload', label: 'x' } };
		expect(ExportBody.safeParse({ ...base, sheets: [] }).success).toBe(false);
		expect(ExportBody.safeParse({ ...base, sheets: [{ view: 'map', columns: [{ key: 'a', label: 'a' }], rows: [] }] }).success).toBe(false);
	});
});
