import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { mayExport } from '$lib/server/auth/access';
import { webAppDb } from '$lib/server/auth/door';
import { recordAudit } from '$lib/server/audit/audit';
import { createLogger } from '$lib/server/log/logger';
import { beijingLocal } from '$lib/time/beijing-time';
import { ExportBody } from './schema';
import { evaluationWorkbook } from './workbook';

const log = createLogger('web');
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * POST /evaluate/export (JSON: the views on screen, see ./schema.ts) → an .xlsx
 * file, one sheet per view and 说明; the export itself on record in the audit log.
 */
export const POST: RequestHandler = async (event) => {
	const { request, locals } = event;
	const p = locals.principal;
	if (!p || p.kind !== 'user' || !mayExport(p, '/evaluate/export')) error(403, '您的角色无权导出评估结果');
	if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) error(413, '导出内容过大');
	let raw: unknown;
	try {
		raw = await request.json();
	} catch {
		error(400, '导出内容须为 JSON');
	}
	const body = ExportBody.safeParse(raw);
	if (!body.success) {
		const issue = body.error.issues[0]!;
		log.warn({ requestId: locals.requestId, user: p.name, path: issue.path.join('.') }, 'evaluate export refused');
		error(400, `导出内容无效：${issue.path.join('.') || '（整体）'}`);
	}
	const now = Date.now();
	const file = await evaluationWorkbook(body.data, p.name, now);
	let address: string | null = null;
	try {
		address = event.getClientAddress();
	} catch {
		address = null;
	}
	const region = body.data.dataSource.region;
	await recordAudit(webAppDb(), {
		actor: { kind: 'user', id: p.userId, name: p.name },
		action: 'export',
		address,
		detail: {
			what: 'evaluation',
			format: 'xlsx',
			methodology: body.data.methodology.id,
			source: body.data.dataSource.label.slice(0, 200),
			sheets: body.data.sheets.map((s) => s.view),
			rows: body.data.sheets.reduce((n, s) => n + s.rows.length, 0)
		},
		regions: region === undefined ? [] : [region],
		requestId: locals.requestId ?? null
	});
	log.info({ requestId: locals.requestId, user: p.name, methodology: body.data.methodology.id }, 'evaluation exported');
	const stamp = beijingLocal(now).slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
	return new Response(new Uint8Array(file), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="evaluation-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(`评估结果-${stamp}.xlsx`)}`,
			'cache-control': 'no-store'
		}
	});
};
