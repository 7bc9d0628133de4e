/**
 * /admin/audit's filter and its export as CSV or Excel. The export reads the
 * same keyset pages as the screen (listAudit), at most MAX_EXPORT_ROWS entries,
 * and is itself put on record (action `export`, with the filter and row count)
 * before the file leaves the server.
 */
import ExcelJS from 'exceljs';
import type { Queryable } from '../appdb/client.ts';
import { AUDIT_ACTION_LABELS, listAudit, MAX_AUDIT_PAGE, recordAudit, type AuditFilter, type AuditRecord } from '../audit/audit.ts';
import { beijingLocal, BEIJING_OFFSET_MS } from '../../time/beijing-time.ts';
import type { AdminPrincipal, Origin } from './accounts.ts';
import type { AuditQuery } from './forms.ts';

/** The most entries one export holds (a larger one is refused: narrow the filter). */
export const MAX_EXPORT_ROWS = 100_000;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ACTOR_KIND_LABELS: Record<AuditRecord['actor']['kind'], string> = { user: '用户', wall_token: '大屏令牌', system: '系统' };

/** The screen's query as listAudit's filter. */
export function auditFilterOf(q: AuditQuery): AuditFilter {
	return {
		...(q.user ? { actorName: q.user } : {}),
		...(q.action ? { actions: [q.action] } : {}),
		...(q.region !== undefined ? { regions: [q.region] } : {}),
		...(q.from ? { from: q.from } : {}),
		...(q.to ? { to: q.to } : {})
	};
}

export class ExportTooLarge extends Error {
	constructor() {
		super(`导出超过 ${MAX_EXPORT_ROWS} 条，请缩小筛选范围`);
		this.name = 'ExportTooLarge';
	}
}

/** Every entry the filter selects, newest first. */
export async function collectAudit(db: Queryable, filter: AuditFilter): Promise<AuditRecord[]> {
	const out: AuditRecord[] = [];
	let cursor: string | undefined;
	for (;;) {
		const page = await listAudit(db, filter, { limit: MAX_AUDIT_PAGE, ...(cursor ? { cursor } : {}) });
		out.push(...page.entries);
		if (out.length > MAX_EXPORT_ROWS) throw new ExportTooLarge();
		if (!page.next) return out;
		cursor = page.next;
	}
}

const HEADERS = ['编号', '时间（北京时间）', '操作者类型', '操作者', '来源地址', '动作', '涉及区域', '详情', '请求编号'];

/** A cell a spreadsheet would run as a formula is written as text. */
const inert = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

function cells(e: AuditRecord): [number, string, string, string, string, string, string, string, string] {
	return [
		Number(e.id),
		`${beijingLocal(e.at.getTime()).replace('T', ' ')}:${String(e.at.getUTCSeconds()).padStart(2, '0')}`,
		ACTOR_KIND_LABELS[e.actor.kind],
		e.actor.name,
		e.address ?? '',
		AUDIT_ACTION_LABELS[e.action] ?? e.action,
		e.regions.join(','),
		JSON.stringify(e.detail),
		e.requestId ?? ''
	];
}

/** UTF-8 with a byte-order mark, so Excel opens the Chinese headers right. */
export function auditCsv(entries: AuditRecord[]): string {
	const lines = [HEADERS.join(',')];
	for (const e of entries)
		lines.push(
			cells(e)
				.map((c) => (typeof c === 'number' ? String(c) : csvCell(inert(c))))
				.join(',')
		);
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** An .xlsx workbook: ids as numbers, times as date cells in Beijing time, the rest as text. */
export async function auditXlsx(entries: AuditRecord[]): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = '天枢';
	const ws = wb.addWorksheet('审计日志');
	ws.columns = HEADERS.map((header, i) => ({ header, width: [10, 20, 10, 16, 16, 14, 20, 60, 28][i] }));
	ws.getRow(1).font = { bold: true };
	for (const e of entries) {
		const c = cells(e);
		// A spreadsheet's date has no zone: the Beijing wall-clock time is written as the cell's time.
		const row = ws.addRow([c[0], new Date(Math.floor(e.at.getTime() / 1000) * 1000 + BEIJING_OFFSET_MS), ...c.slice(2).map((s) => inert(String(s)))]);
		row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
	}
	ws.views = [{ state: 'frozen', ySplit: 1 }];
	return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Builds the export and records it (who, the filter, the format and the row count) before it is handed out. */
export async function exportAudit(
	db: Queryable,
	admin: AdminPrincipal,
	query: AuditQuery,
	format: ExportFormat,
	at: Origin
): Promise<{ body: string | Buffer; rows: number; filename: string; contentType: string }> {
	const filter = auditFilterOf(query);
	const entries = await collectAudit(db, filter);
	const body = format === 'csv' ? auditCsv(entries) : await auditXlsx(entries);
	await recordAudit(db, {
		actor: { kind: 'user', id: admin.userId, name: admin.name },
		action: 'export',
		detail: {
			what: 'audit_log',
			format,
			rows: entries.length,
			filter: {
				user: query.user ?? null,
				action: query.action ?? null,
				region: query.region ?? null,
				from: query.from?.toISOString() ?? null,
				to: query.to?.toISOString() ?? null
			}
		},
		regions: query.region !== undefined ? [query.region] : [],
		address: at.address?.slice(0, 100) ?? null,
		requestId: at.requestId ?? null
	});
	const stamp = beijingLocal(Date.now()).replace(/[-:T]/g, '').slice(0, 12);
	return {
		body,
		rows: entries.length,
		filename: `audit-${stamp}.${format}`,
		contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
	};
}
