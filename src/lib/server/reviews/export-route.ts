/** What both /reviews/export routes do: the door's principal, mayExport, the query, the file, the audit record. */
import { error, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { mayExport } from '../auth/access.ts';
import { webAppDb } from '../auth/door.ts';
import { recordAudit } from '../audit/audit.ts';
import { serverContext } from '../api/server-context.ts';
import { classify, publicMessage } from '../api/errors.ts';
import { createLogger } from '../log/logger.ts';
import type { QueryCtx } from '../queries/statement.ts';
import { beijingLocal } from '../../time/beijing-time.ts';
import { fieldsOf, queryProblem } from './export.ts';

const log = createLogger('web');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function exportRoute<Q extends { adcode: number }>(
	event: RequestEvent,
	route: string,
	what: string,
	schema: z.ZodType<Q>,
	build: (ctx: QueryCtx, q: Q, who: string) => Promise<{ body: Buffer; rows: number }>
): Promise<Response> {
	const { locals, url } = event;
	const principal = locals.principal;
	if (!principal || principal.kind !== 'user') error(401, '请先登录');
	if (!mayExport(principal, route)) error(403, '您的角色无权导出该数据');
	const parsed = schema.safeParse(fieldsOf(url.searchParams));
	if (!parsed.success) {
		log.warn({ requestId: locals.requestId, route, reason: parsed.error.issues[0]?.message }, 'export refused');
		error(400, queryProblem(parsed.error));
	}
	const q = parsed.data;
	let file: { body: Buffer; rows: number };
	try {
		file = await build(serverContext(principal), q, principal.name);
	} catch (e) {
		// Out of scope (403), a bad region (400), the warehouse away (503): the tRPC classification, a Chinese message.
		const t = classify(e);
		log.warn({ requestId: locals.requestId, route, code: t.code, err: (e as Error).message }, 'export failed');
		const status = t.code === 'FORBIDDEN' ? 403 : t.code === 'BAD_REQUEST' || t.code === 'NOT_FOUND' ? 400 : t.code === 'INTERNAL_SERVER_ERROR' ? 500 : 503;
		error(status, publicMessage(t, locals.requestId));
	}
	let address: string | null = null;
	try {
		address = event.getClientAddress();
	} catch {
		address = null;
	}
	await recordAudit(webAppDb(), {
		actor: { kind: 'user', id: principal.userId, name: principal.name },
		action: 'export',
		detail: { what, format: 'xlsx', rows: file.rows, filter: q },
		regions: [q.adcode],
		address: address?.slice(0, 100) ?? null,
		requestId: locals.requestId?.slice(0, 64) ?? null
	});
	log.info({ requestId: locals.requestId, user: principal.name, route, rows: file.rows }, 'reviews exported');
	const stamp = beijingLocal(Date.now()).replace(/[-:T]/g, '').slice(0, 12);
	return new Response(new Uint8Array(file.body), {
		headers: {
			'content-type': XLSX,
			'content-disposition': `attachment; filename="${what}-${q.adcode}-${stamp}.xlsx"`,
			'cache-control': 'no-store'
		}
	});
}
