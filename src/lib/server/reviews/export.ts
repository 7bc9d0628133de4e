/**
 * Excel exports of the 差评 queue and of the rankings (GET /reviews/export/queue and /reviews/export/rankings):
 * the rows of the screen's query (numbers as numbers, dates as text in Beijing time), and a sheet 查询条件 with
 * the query, who exported it and when. The routes check mayExport and put the export on the audit record.
 */
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { beijingLocal } from '../../time/beijing-time.ts';
import { Adcode } from '../../regions/index.ts';
import { QUEUE_SORTS, page } from '../../reviews/queue.ts';
import { STATE_LABELS, type ReviewState } from '../../reviews/state.ts';
import { CHANNELS } from '../../../../ingest/contract/events.ts';
import type { QueryCtx } from '../queries/statement.ts';
import { queueEntries, rankings, rowOf, type QueueRow } from './service.ts';
import type { RankedUnit } from '../../reviews/ranking.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATES = Object.keys(STATE_LABELS) as [ReviewState, ...ReviewState[]];
const name = z.string().min(1).max(128);

/** The queue export's query (the screen's filters, no paging). */
export const QueueExportQuery = z.strictObject({
	adcode: z.coerce.number().pipe(z.union([z.literal(0), Adcode])),
	state: z.enum(STATES).optional(),
	due: z.enum(['overdue', 'soon', 'all']).optional(),
	item: name.optional(),
	department: name.optional(),
	channel: z.enum(CHANNELS).optional(),
	sort: z.enum(QUEUE_SORTS).default('deadline'),
	days: z.coerce.number().int().min(1).max(730).optional()
});
export type QueueExportQuery = z.output<typeof QueueExportQuery>;

export const RankingsExportQuery = z
	.strictObject({
		adcode: z.coerce.number().pipe(z.union([z.literal(0), Adcode])),
		from: z.string().regex(DATE, '日期格式应为 YYYY-MM-DD'),
		to: z.string().regex(DATE, '日期格式应为 YYYY-MM-DD'),
		by: z.enum(['department', 'item', 'region', 'hall'])
	})
	.refine((q) => q.from <= q.to, { message: '开始日期须不晚于结束日期', path: ['from'] });
export type RankingsExportQuery = z.output<typeof RankingsExportQuery>;

/** A query string's fields as an object (the last value of a repeated key). */
export function fieldsOf(params: URLSearchParams): Record<string, string> {
	return Object.fromEntries([...params].filter(([k]) => k !== 'format'));
}

/** The first issue of a refused query, in Chinese. */
export function queryProblem(error: z.ZodError): string {
	const i = error.issues[0]!;
	return `导出条件无效：${i.path.join('.') || '查询'}：${i.message}`;
}

/** A cell a spreadsheet would run as a formula is written as text. */
const inert = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

const DUE_LABELS: Record<QueueRow['dueStatus'], string> = { overdue: '已超期', soon: '两个工作日内到期', ok: '未到期', done: '已整改或已办结', none: '无时限' };
const CHANNEL_LABELS: Record<string, string> = { counter: '窗口', web: 'PC 端', mobile: '移动端', kiosk: '自助终端', hotline: '12345' };

function querySheet(wb: ExcelJS.Workbook, what: string, query: Record<string, unknown>, rows: number, who: string) {
	const ws = wb.addWorksheet('查询条件');
	ws.columns = [
		{ header: '项目', width: 16 },
		{ header: '值', width: 50 }
	];
	ws.getRow(1).font = { bold: true };
	ws.addRow(['导出内容', what]);
	for (const [k, v] of Object.entries(query)) if (v !== undefined) ws.addRow([k, typeof v === 'number' ? v : inert(String(v))]);
	ws.addRow(['行数', rows]);
	ws.addRow(['导出人', inert(who)]);
	ws.addRow(['导出时间（北京时间）', beijingLocal(Date.now()).replace('T', ' ')]);
}

export async function queueWorkbook(rows: QueueRow[], query: QueueExportQuery, who: string): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = '天枢';
	const ws = wb.addWorksheet('差评队列');
	const headers: Array<[string, number]> = [
		['评价编号', 18],
		['办件编号', 18],
		['收到时间（北京时间）', 20],
		['地区代码', 10],
		['部门', 16],
		['事项编码', 12],
		['渠道', 10],
		['评分', 6],
		['原因', 24],
		['评价内容（已脱敏）', 40],
		['状态', 10],
		['整改时限', 12],
		['时限状态', 16],
		['超期整改', 8]
	];
	ws.columns = headers.map(([header, width]) => ({ header, width }));
	ws.getRow(1).font = { bold: true };
	for (const r of rows)
		ws.addRow([
			inert(r.reviewId),
			inert(r.caseId),
			beijingLocal(r.receivedAt).replace('T', ' '),
			r.adcode,
			inert(r.department),
			inert(r.itemCode),
			CHANNEL_LABELS[r.channel] ?? r.channel,
			r.rating,
			inert(r.tags.join('、')),
			inert(r.comment),
			r.stateZh,
			r.due ?? '',
			DUE_LABELS[r.dueStatus],
			r.rectifiedLate ? '是' : '否'
		]);
	ws.views = [{ state: 'frozen', ySplit: 1 }];
	querySheet(wb, '差评队列', query, rows.length, who);
	return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function rankingsWorkbook(rows: RankedUnit[], query: RankingsExportQuery, unitNote: string, who: string): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = '天枢';
	const ws = wb.addWorksheet('满意度排名');
	const headers: Array<[string, number]> = [
		['排名', 6],
		['可能名次（最好）', 10],
		['可能名次（最差）', 10],
		['单位', 28],
		['代码', 14],
		['满意度指数（下限）', 12],
		['满意度指数（上限）', 12],
		['等级', 8],
		['评价数', 10],
		['好评数', 10],
		['差评数', 10],
		['好评率（%）', 10],
		['办结件数', 10],
		['已回复差评', 10],
		['已整改差评', 10],
		['已回访差评', 10],
		['按时整改差评', 10]
	];
	ws.columns = headers.map(([header, width]) => ({ header, width }));
	ws.getRow(1).font = { bold: true };
	const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
	for (const r of rows)
		ws.addRow([
			r.rank,
			r.rankRange?.[0] ?? null,
			r.rankRange?.[1] ?? null,
			inert(r.name),
			inert(r.unit),
			round(r.score),
			round(r.upper),
			r.grade ?? '',
			r.reviews,
			r.positive,
			r.negative,
			round(r.positiveRate),
			r.completed_cases,
			r.replied,
			r.rectified,
			r.followed_up,
			r.rectified_on_time
		]);
	ws.views = [{ state: 'frozen', ySplit: 1 }];
	querySheet(wb, `满意度排名（${unitNote}）`, query, rows.length, who);
	return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every 差评 of the query (up to the queue's read cap), in the screen's order. */
export async function queueRowsForExport(ctx: QueryCtx, q: QueueExportQuery): Promise<QueueRow[]> {
	const { list } = await queueEntries(ctx, q);
	return page(list, q.sort, list.length + 1).items.map(rowOf);
}

export async function rankingRowsForExport(ctx: QueryCtx, q: RankingsExportQuery) {
	return rankings(ctx, q);
}
