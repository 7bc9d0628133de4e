import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestHandler } from './$types';
import { createLogger } from '$lib/server/log/logger';
import { MAX_UPLOAD_BYTES, readUpload } from './read-upload';

const log = createLogger('web');

const Fields = z.strictObject({
	kind: z.enum(['table', 'methodology']).default('table'),
	unitColumn: z.string().trim().min(1).max(100).optional(),
	/** Comma-separated columns that must be numeric (the methodology's inputs). */
	columns: z
		.string()
		.max(5000)
		.optional()
		.transform((s) =>
			s
				? s
						.split(',')
						.map((c) => c.trim())
						.filter(Boolean)
				: undefined
		),
	sheet: z.string().max(100).optional()
});

/**
 * POST /evaluate/upload (multipart: file, kind=table|methodology, unitColumn, columns, sheet):
 * the rows of a CSV or Excel table, or a validated methodology, as JSON; a file
 * that cannot be used gets 400 with the reason (row and column, field and line).
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	const p = locals.principal;
	if (p?.kind !== 'user' || p.role !== 'evaluator') error(403, '仅评估人员可以上传');
	const length = Number(request.headers.get('content-length') ?? '0');
	if (length > MAX_UPLOAD_BYTES + 64 * 1024) error(413, '文件过大（最多 5 MB）');
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		error(400, '请以表单（multipart/form-data）上传文件');
	}
	const file = form.get('file');
	if (!(file instanceof File)) error(400, '请选择要上传的文件');
	const fields = Fields.safeParse(Object.fromEntries([...form.entries()].filter(([k, v]) => k !== 'file' && typeof v === 'string')));
	if (!fields.success) error(400, `上传参数无效：${fields.error.issues[0]!.path.join('.')}`);
	if (file.size > MAX_UPLOAD_BYTES) error(413, '文件过大（最多 5 MB）');
	const name = file.name.slice(0, 200);
	const result = await readUpload(name, new Uint8Array(await file.arrayBuffer()), fields.data.kind, {
		unitColumn: fields.data.unitColumn,
		numericColumns: fields.data.columns,
		sheet: fields.data.sheet
	});
	if (!result.ok) {
		log.warn({ requestId: locals.requestId, user: p.name, file: name, reason: result.message.slice(0, 300) }, 'evaluate upload refused');
		return json(result, { status: 400 });
	}
	log.info({ requestId: locals.requestId, user: p.name, file: name, kind: result.kind }, 'evaluate upload read');
	return json(result);
};
