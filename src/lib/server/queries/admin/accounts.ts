/** What /admin lists of accounts beyond users.ts: sessions per user, last sign-ins, one session's revocation (app database, PostgreSQL). */
import type { Queryable } from '../../appdb/client.ts';

export interface ActiveSessionRow {
	id: number;
	userId: number;
	createdAt: Date;
	lastSeenAt: Date;
	expiresAt: Date;
	address: string | null;
}

/** Sessions not revoked and not past their absolute expiry (the idle limit is the door's), newest first. */
export async function activeSessions(db: Queryable, now: Date): Promise<ActiveSessionRow[]> {
	return db.query<ActiveSessionRow>(
		`SELECT id::int AS "id", user_id::int AS "userId", created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt", address
		FROM sessions WHERE revoked_at IS NULL AND expires_at > $1 ORDER BY created_at DESC LIMIT 2000`,
		[now]
	);
}

/** Revokes one active session; its user's id, or undefined when there was no such active session. */
export async function revokeSessionReturningUser(db: Queryable, id: number): Promise<{ userId: number; userName: string } | undefined> {
	return db.one<{ userId: number; userName: string }>(
		`UPDATE sessions s SET revoked_at = now() FROM users u
		WHERE s.id = $1 AND s.revoked_at IS NULL AND u.id = s.user_id
		RETURNING s.user_id::int AS "userId", u.name AS "userName"`,
		[id]
	);
}

/** Each user's latest successful sign-in, from the audit log (sessions are deleted after they end; the log is kept). */
export async function lastSignIns(db: Queryable): Promise<Map<number, Date>> {
	const rows = await db.query<{ userId: number; at: Date }>(
		`SELECT actor_id::int AS "userId", max(at) AS at FROM audit_log WHERE action = 'sign_in' AND actor_kind = 'user' AND actor_id IS NOT NULL GROUP BY actor_id`
	);
	return new Map(rows.map((r) => [r.userId, r.at]));
}
