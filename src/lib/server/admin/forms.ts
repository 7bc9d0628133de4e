/**
 * The inputs of /admin's forms, validated with zod before anything is touched:
 * every refusal is a Chinese sentence naming the field. Form fields arrive as
 * strings (FormData or URLSearchParams); these schemas turn them into values.
 */
import { z } from 'zod';
import { Adcode } from '../../regions/index.ts';
import { AuditAction, MAX_AUDIT_PAGE } from '../audit/audit.ts';
import { ROLES } from '../auth/principal.ts';
import { MAX_REGIONS, USER_NAME } from '../auth/users.ts';
import { WALL_NAME } from '../auth/wall-tokens.ts';
import { BEIJING_OFFSET_MS } from '../../time/beijing-time.ts';

const userName = z.string().trim().regex(USER_NAME, '用户名只能包含字母、数字和 _ . @ -，以字母或数字开头，最长 64 个字符');
const role = z.enum(ROLES, { error: '角色无效' });

/** `440300, 440100` (commas, Chinese commas or spaces) → distinct codes; 0 is the nation. */
export const RegionList = z
	.string()
	.trim()
	.min(1, '请填写至少一个区域代码')
	.max(MAX_REGIONS * 8, '区域代码过多')
	.transform((s, ctx) => {
		const parts = s.split(/[\s,，、]+/).filter(Boolean);
		const codes: number[] = [];
		for (const p of parts) {
			const n = Number(p);
			if (!/^\d{1,6}$/.test(p) || !Adcode.safeParse(n).success) {
				ctx.addIssue({ code: 'custom', message: `“${p.slice(0, 20)}”不是区域代码（0 表示全国，或六位行政区划代码）` });
				return z.NEVER;
			}
			codes.push(n);
		}
		if (codes.length > MAX_REGIONS) {
			ctx.addIssue({ code: 'custom', message: `一个用户最多 ${MAX_REGIONS} 个区域` });
			return z.NEVER;
		}
		return [...new Set(codes)];
	});

const regionCode = z
	.string()
	.trim()
	.regex(/^\d{1,6}$/, '区域代码应为 0（全国）或六位行政区划代码')
	.transform(Number)
	.pipe(Adcode);

const dbId = z
	.string()
	.regex(/^[1-9]\d{0,15}$/, '编号无效')
	.transform(Number);

export const AddUserForm = z.object({ name: userName, role, regions: RegionList });
export const UserNameForm = z.object({ name: userName });
export const RoleForm = z.object({ name: userName, role });
export const RegionsForm = z.object({ name: userName, regions: RegionList });
export const SessionForm = z.object({ id: dbId });
export const IssueWallForm = z.object({
	name: z.string().trim().regex(WALL_NAME, '大屏名称只能包含字母、数字、汉字和 _ . -，最长 64 个字符'),
	region: regionCode
});
export const WallNameForm = z.object({ name: z.string().trim().min(1, '请选择大屏令牌').max(64, '大屏名称最长 64 个字符') });

/** `YYYY-MM-DD HH:MM` (or with a T, or a date alone: its midnight), read as Beijing time. */
const beijingMinute = z
	.string()
	.trim()
	.regex(/^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2})?$/, '时间格式应为 年-月-日 时:分，如 2026-03-02 09:00')
	.transform((s, ctx) => {
		const [date, time = '00:00'] = s.split(/[ T]/);
		const ms = Date.parse(`${date}T${time}:00Z`) - BEIJING_OFFSET_MS;
		if (!Number.isFinite(ms) || new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10) !== date) {
			ctx.addIssue({ code: 'custom', message: `“${s}”不是有效时间` });
			return z.NEVER;
		}
		return new Date(ms);
	});

/** An empty field is no filter. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

/** /admin/audit's filter and page, from the query string (the export takes the same filter). */
export const AuditQuery = z
	.object({
		user: optional(z.string().trim().min(1).max(128, '用户名最长 128 个字符')),
		action: optional(AuditAction),
		from: optional(beijingMinute),
		to: optional(beijingMinute),
		region: optional(regionCode),
		cursor: optional(z.string().regex(/^[1-9]\d{0,18}$/, '分页游标无效')),
		limit: optional(z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE))
	})
	.refine((q) => !q.from || !q.to || q.from < q.to, { message: '开始时间须早于结束时间', path: ['from'] });
export type AuditQuery = z.output<typeof AuditQuery>;

/** The first issue of a failed parse, as one Chinese sentence. */
export function firstProblem(error: z.ZodError): string {
	const issue = error.issues[0];
	return issue?.message ?? '输入无效';
}

/** Parses form fields (FormData or URLSearchParams) with `schema`: the value, or the Chinese message of the first problem. */
export function parseFields<T extends z.ZodType>(
	schema: T,
	fields: FormData | URLSearchParams
): { ok: true; data: z.output<T> } | { ok: false; message: string } {
	const raw: Record<string, string> = {};
	for (const [k, v] of fields.entries()) if (typeof v === 'string' && !(k in raw)) raw[k] = v;
	const r = schema.safeParse(raw);
	return r.success ? { ok: true, data: r.data } : { ok: false, message: firstProblem(r.error) };
}
