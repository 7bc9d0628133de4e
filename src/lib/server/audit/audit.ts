/**
 * The audit log (issue 13, item 5): append-only entries of who did what, when,
 * from where and over which regions, in the app database's `audit_log` (the
 * table refuses UPDATE, DELETE and TRUNCATE itself; migration 0003).
 *
 * `recordAudit` takes a Queryable, so a change and its entry can share one
 * transaction: a change that cannot be put on record is rolled back with it.
 * `listAudit` reads newest first in keyset pages (the cursor is the last id seen),
 * for /admin/audit and its export.
 */
import { z } from 'zod';
import type { Queryable } from '../appdb/client.ts';
import { Adcode } from '../../regions/index.ts';
import { insertAuditRow, selectAuditPage, type AuditRow } from '../queries/audit/log.ts';
import { AUDIT_ACTIONS, AuditAction } from './actions.ts';

export { AUDIT_ACTIONS, AUDIT_ACTION_LABELS, AuditAction } from './actions.ts';

const dbId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const actorName = z.string().trim().min(1, '操作者名称不能为空').max(128, '操作者名称最长 128 个字符');

/** Who acted: a user (no id for a sign-in attempt under an unknown name), a wall token, or Tianshu itself. */
export const AuditActor = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('user'), id: dbId.optional(), name: actorName }),
	z.object({ kind: z.literal('wall_token'), id: dbId, name: actorName }),
	z.object({ kind: z.literal('system') })
]);
export type AuditActor = z.infer<typeof AuditActor>;

/** The largest `detail` kept, as JSON: an entry says what changed, not the data itself. */
export const MAX_DETAIL_BYTES = 8 * 1024;
/** Regions named by one entry. */
export const MAX_AUDIT_REGIONS = 256;

export const AuditEntry = z.object({
	actor: AuditActor,
	action: AuditAction,
	/** The client address (null for the system). */
	address: z.string().max(100, '地址最长 100 个字符').nullable().default(null),
	/** What was done: ids, names, before/after values, row counts, the filter of an export. */
	detail: z
		.record(z.string(), z.unknown())
		.default({})
		.refine((d) => Buffer.byteLength(JSON.stringify(d)) <= MAX_DETAIL_BYTES, `审计详情最大 ${MAX_DETAIL_BYTES / 1024} KiB`),
	/** The regions the action concerned (the scope of an export, the region of a wall token …). */
	regions: z.array(Adcode).max(MAX_AUDIT_REGIONS, `最多 ${MAX_AUDIT_REGIONS} 个区域`).default([]),
	requestId: z.string().max(64).nullable().default(null)
});
export type AuditEntryInput = z.input<typeof AuditEntry>;

export interface AuditRecord {
	id: string;
	at: Date;
	actor: { kind: AuditRow['actor_kind']; id: string | null; name: string };
	address: string | null;
	action: AuditAction;
	detail: Record<string, unknown>;
	regions: number[];
	requestId: string | null;
}

/** The name stored for Tianshu's own actions (migrations, scheduled jobs, the first admin). */
export const SYSTEM_ACTOR_NAME = 'system';

export class AuditError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AuditError';
	}
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issue = result.error.issues[0]!;
	throw new AuditError(`${what}无效：${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
}

/** Appends one entry. Throws AuditError on an invalid entry (nothing is written). */
export async function recordAudit(db: Queryable, entry: AuditEntryInput): Promise<{ id: string; at: Date }> {
	const e = parsed(AuditEntry, entry, '审计记录');
	const actor = e.actor;
	return insertAuditRow(db, {
		actorKind: actor.kind,
		actorId: actor.kind === 'system' ? null : (actor.id ?? null),
		actorName: actor.kind === 'system' ? SYSTEM_ACTOR_NAME : actor.name,
		address: e.address,
		action: e.action,
		detail: JSON.stringify(e.detail),
		regions: [...new Set(e.regions)].sort((a, b) => a - b),
		requestId: e.requestId
	});
}

/** The most entries one page holds. */
export const MAX_AUDIT_PAGE = 500;

export const AuditFilter = z
	.object({
		actions: z.array(AuditAction).min(1).max(AUDIT_ACTIONS.length).optional(),
		actorName: actorName.optional(),
		address: z.string().min(1).max(100).optional(),
		/** Entries that concern any of these regions. */
		regions: z.array(Adcode).min(1).max(MAX_AUDIT_REGIONS).optional(),
		from: z.date().optional(),
		/** Exclusive. */
		to: z.date().optional()
	})
	.refine((f) => !f.from || !f.to || f.from < f.to, { message: '开始时间须早于结束时间', path: ['from'] });
export type AuditFilter = z.input<typeof AuditFilter>;

export const AuditPage = z.object({
	/** The `next` cursor of the previous page; absent for the first. */
	cursor: z
		.string()
		.regex(/^[1-9]\d{0,18}$/, '分页游标无效')
		.optional(),
	limit: z.number().int().min(1).max(MAX_AUDIT_PAGE).default(100)
});
export type AuditPage = z.input<typeof AuditPage>;

/** Entries newest first; `next` is the cursor of the following page, null after the last. */
export async function listAudit(db: Queryable, filter: AuditFilter = {}, page: AuditPage = {}): Promise<{ entries: AuditRecord[]; next: string | null }> {
	const f = parsed(AuditFilter, filter, '审计筛选条件');
	const p = parsed(AuditPage, page, '审计分页');
	// One row more than asked tells whether another page follows.
	const rows = await selectAuditPage(db, {
		actions: f.actions ?? null,
		actorName: f.actorName ?? null,
		address: f.address ?? null,
		regions: f.regions ?? null,
		from: f.from ?? null,
		to: f.to ?? null,
		beforeId: p.cursor ?? null,
		limit: p.limit + 1
	});
	const entries = rows.slice(0, p.limit).map((r): AuditRecord => ({
		id: r.id,
		at: r.at,
		actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name },
		address: r.address,
		action: r.action as AuditAction,
		detail: r.detail,
		regions: r.regions,
		requestId: r.request_id
	}));
	return { entries, next: rows.length > p.limit ? entries.at(-1)!.id : null };
}
