/** The Excel exports read back with exceljs: numbers stay numbers, formulas stay text, the query has its sheet. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { mayExport } from '../auth/access.ts';
import type { Principal } from '../auth/principal.ts';
import { rankUnits } from '../../reviews/ranking.ts';
import { QueueExportQuery, queueWorkbook, rankingsWorkbook, RankingsExportQuery } from './export.ts';
import type { QueueRow } from './service.ts';

async function read(body: Buffer) {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(body as unknown as ArrayBuffer);
	return wb;
}

const row: QueueRow = {
	reviewId: 'R1',
	caseId: '=HYPERLINK("x")',
	receivedAt: Date.parse('2026-02-12T09:00:00+08:00'),
	adcode: 440304,
	department: '市场监督管理局',
	itemCode: 'SC-001',
	channel: 'counter',
	rating: 2,
	tags: ['排队时间长'],
	comment: '排队时间太长',
	state: 'new',
	stateZh: '待核实',
	due: '2026-02-28',
	dueStatus: 'soon',
	rectifiedLate: false
};

describe('the 好差评 exports', () => {
	it('writes the queue with numbers as numbers and a sheet with the query', async () => {
		const q = QueueExportQuery.parse({ adcode: '440300', due: 'soon' });
		const wb = await read(await queueWorkbook([row], q, 'manager-1'));
		const ws = wb.getWorksheet('差评队列')!;
		expect(ws.getRow(2).getCell(4).value).toBe(440304);
		expect(ws.getRow(2).getCell(8).value).toBe(2);
		expect(ws.getRow(2).getCell(3).value).toBe('2026-02-12 09:00');
		// A cell that would run as a formula is text.
		expect(ws.getRow(2).getCell(2).value).toBe('\'=HYPERLINK("x")');
		const query = wb.getWorksheet('查询条件')!;
		const pairs = Object.fromEntries(
			query
				.getSheetValues()
				.slice(2)
				.map((r) => [(r as unknown[])[1], (r as unknown[])[2]])
		);
		expect(pairs).toMatchObject({ adcode: 440300, due: 'soon', sort: 'deadline', 行数: 1, 导出人: 'manager-1' });
	});

	it('writes the ranking with its rank range as numbers', async () => {
		const rows = rankUnits([
			{
				unit: 'a',
				name: '甲',
				reviews: 3000,
				positive: 2994,
				negative: 6,
				completed_cases: 3000,
				replied: 6,
				rectified: 6,
				followed_up: 6,
				rectified_on_time: 6
			},
			{ unit: 'b', name: '乙', reviews: 3, positive: 3, negative: 0, completed_cases: 3, replied: 0, rectified: 0, followed_up: 0, rectified_on_time: 0 }
		]);
		const q = RankingsExportQuery.parse({ adcode: '440300', from: '2026-02-01', to: '2026-02-28', by: 'department' });
		const wb = await read(await rankingsWorkbook(rows, q, '按办理部门', 'analyst-1'));
		const ws = wb.getWorksheet('满意度排名')!;
		expect([ws.getRow(2).getCell(1).value, ws.getRow(2).getCell(4).value, ws.getRow(2).getCell(9).value]).toEqual([1, '甲', 3000]);
		expect([ws.getRow(3).getCell(1).value, ws.getRow(3).getCell(2).value, ws.getRow(3).getCell(3).value]).toEqual([2, 1, 2]);
		expect(typeof ws.getRow(2).getCell(6).value).toBe('number');
	});

	it('refuses bad queries and lets only the matrix export', () => {
		expect(QueueExportQuery.safeParse({ adcode: '440300', state: 'x' }).success).toBe(false);
		expect(RankingsExportQuery.safeParse({ adcode: '440300', from: '2026-03-01', to: '2026-02-01', by: 'item' }).success).toBe(false);
		const user = (role: 'service_manager' | 'analyst' | 'leader'): Principal => ({
			kind: 'user',
			userId: 1,
			name: 'u',
			role,
			regions: [440300],
			sessionId: 1,
			mustChangePassword: false
		});
		expect(mayExport(user('service_manager'), '/reviews/export/queue')).toBe(true);
		expect(mayExport(user('analyst'), '/reviews/export/queue')).toBe(false);
		expect(mayExport(user('analyst'), '/reviews/export/rankings')).toBe(true);
		expect(mayExport(user('leader'), '/reviews/export/rankings')).toBe(false);
	});
});
