import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { EXPORT_FORMATS, ExportTooLarge, exportAudit, type ExportFormat } from '$lib/server/admin/audit-export';
import { AuditQuery, parseFields } from '$lib/server/admin/forms';
import { adminOf, originOf } from '$lib/server/admin/web';
import { mayExport } from '$lib/server/auth/access';
import { webAppDb } from '$lib/server/auth/door';
import { createLogger } from '$lib/server/log/logger';

const log = createLogger('web');

/** GET /admin/audit/export?format=csv|xlsx&<the screen's filter>: the whole selection as a file, the export itself on record. */
export const GET: RequestHandler = async (event) => {
	const { locals, url } = event;
	const admin = adminOf(locals);
	if (!mayExport(admin, '/admin/audit/export')) error(403, '您的角色无权导出审计日志');
	const format = url.searchParams.get('format') ?? 'csv';
	if (!(EXPORT_FORMATS as readonly string[]).includes(format)) error(400, '导出格式应为 csv 或 xlsx');
	const params = new URLSearchParams(url.searchParams);
	params.delete('format');
	params.delete('cursor');
	params.delete('limit');
	const q = parseFields(AuditQuery, params);
	if (!q.ok) {
		log.warn({ requestId: locals.requestId, reason: q.message }, 'audit export refused');
		error(400, q.message);
	}
	try {
		const file = await exportAudit(webAppDb(), admin, q.data, format as ExportFormat, originOf(event));
		log.info({ requestId: locals.requestId, user: admin.name, format, rows: file.rows }, 'audit log exported');
		return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), {
			headers: {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${file.filename}"`,
				'cache-control': 'no-store'
			}
		});
	} catch (e) {
		if (e instanceof ExportTooLarge) error(400, e.message);
		throw e;
	}
};
