/**
 * The audit log's two statements: one insert, one filtered keyset page. Every
 * value is bound ($1 …); an absent filter is a NULL that switches its term off,
 * so one statement serves every filter of /admin/audit.
 */
import type { Queryable } from '../../appdb/client.ts';

export interface AuditRow {
	id: string;
	at: Date;
	actor_kind: 'user' | 'wall_token' | 'system';
	actor_id: string | null;
	actor_name: string;
	address: string | null;
	action: string;
	detail: Record<string, unknown>;
	regions: number[];
	request_id: string | null;
}

export interface AuditInsert {
	actorKind: AuditRow['actor_kind'];
	actorId: number | null;
	actorName: string;
	address: string | null;
	action: string;
	/** JSON text of an object. */
	detail: string;
	regions: number[];
	requestId: string | null;
}

const INSERT_AUDIT = `INSERT INTO audit_log (actor_kind, actor_id, actor_name, address, action, detail, regions, request_id)
VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::integer[], $8)
RETURNING id::text AS id, at`;

/** Appends one entry; the database stamps its id and time. */
export async function insertAuditRow(db: Queryable, row: AuditInsert): Promise<{ id: string; at: Date }> {
	const inserted = await db.one<{ id: string; at: Date }>(INSERT_AUDIT, [
		row.actorKind,
		row.actorId,
		row.actorName,
		row.address,
		row.action,
		row.detail,
		row.regions,
		row.requestId
	]);
	return inserted!;
}

export interface AuditSelect {
	actions: string[] | null;
	actorName: string | null;
	address: string | null;
	/** Entries whose regions share a code with these. */
	regions: number[] | null;
	from: Date | null;
	/** Exclusive. */
	to: Date | null;
	/** Keyset: entries with a smaller id (older). */
	beforeId: string | null;
	limit: number;
}

const SELECT_AUDIT_PAGE = `SELECT id::text AS id, at, actor_kind, actor_id::text AS actor_id, actor_name, address, action, detail, regions, request_id
FROM audit_log
WHERE ($1::text[] IS NULL OR action = ANY ($1::text[]))
  AND ($2::text IS NULL OR actor_name = $2::text)
  AND ($3::text IS NULL OR address = $3::text)
  AND ($4::integer[] IS NULL OR regions && $4::integer[])
  AND ($5::timestamptz IS NULL OR at >= $5::timestamptz)
  AND ($6::timestamptz IS NULL OR at < $6::timestamptz)
  AND ($7::bigint IS NULL OR id < $7::bigint)
ORDER BY audit_log.id DESC
LIMIT $8::integer`;

/** One page of entries, newest first (by the bigint column: the text alias `id` sorted '9' above '10'). */
export async function selectAuditPage(db: Queryable, q: AuditSelect): Promise<AuditRow[]> {
	return db.query<AuditRow>(SELECT_AUDIT_PAGE, [q.actions, q.actorName, q.address, q.regions, q.from, q.to, q.beforeId, q.limit]);
}
