import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { RequestHandler } from './$types';
import { ANALYZE_EXPORT_FORMATS, ExportInputError, exportView, type AnalyzeExportFormat } from '$lib/server/analyze/export';
import { serverContext } from '$lib/server/api/server-context';
import { mayExport } from '$lib/server/auth/access';
import { webAppDb } from '$lib/server/auth/door';
import { createLogger } from '$lib/server/log/logger';
import { originOf } from '$lib/server/admin/web';

const log = createLogger('web');

/** GET /analyze/export?format=xlsx|csv&view=<the view's URL query>: the view's table recomputed as the caller, on record. */
export const GET: RequestHandler = async (event) => {
	const { locals, url } = event;
	const principal = locals.principal;
	if (!principal || !mayExport(principal, '/analyze/export')) error(403, '您的角色无权导出分析数据');
	const format = url.searchParams.get('format') ?? 'xlsx';
	if (!(ANALYZE_EXPORT_FORMATS as readonly string[]).includes(format)) error(400, '导出格式应为 xlsx 或 csv');
	const view = url.searchParams.get('view') ?? '';
	try {
		const origin = originOf(event);
		const file = await exportView({ ...serverContext(principal), requestId: locals.requestId }, webAppDb(), view, format as AnalyzeExportFormat, origin);
		log.info({ requestId: locals.requestId, user: principal.name, format, rows: file.rows }, 'analyze view exported');
		return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), {
			headers: {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${file.filename}"`,
				'cache-control': 'no-store'
			}
		});
	} catch (e) {
		if (e instanceof ExportInputError) {
			log.warn({ requestId: locals.requestId, reason: e.message }, 'analyze export refused');
			error(400, e.message);
		}
		// The caller's refusals (scope, a plan the rollups cannot answer) as the API states them.
		if (e instanceof TRPCError && (e.code === 'FORBIDDEN' || e.code === 'BAD_REQUEST')) error(e.code === 'FORBIDDEN' ? 403 : 400, e.message);
		throw e;
	}
};
