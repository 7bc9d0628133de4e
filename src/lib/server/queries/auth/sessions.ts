/** Sign-in sessions (app database, PostgreSQL): only the token's sha256 is stored. */
import type { Queryable } from '../../appdb/client.ts';
import type { Role } from '../../auth/principal.ts';

export interface SessionRow {
	id: number;
	userId: number;
	createdAt: Date;
	lastSeenAt: Date;
	expiresAt: Date;
	revokedAt: Date | null;
	name: string;
	role: Role;
	disabledAt: Date | null;
	mustChangePassword: boolean;
	regions: number[];
}

export async function insertSession(
	db: Queryable,
	s: { tokenSha256: string; userId: number; now: Date; expiresAt: Date; address: string | null }
): Promise<number> {
	const row = await db.one<{ id: number }>(
		'INSERT INTO sessions (token_sha256, user_id, created_at, last_seen_at, expires_at, address) VALUES ($1, $2, $3, $3, $4, $5) RETURNING id::int AS id',
		[s.tokenSha256, s.userId, s.now, s.expiresAt, s.address]
	);
	return row!.id;
}

/** A session by its token's hash, with its user and the user's regions. */
export async function sessionByTokenHash(db: Queryable, tokenSha256: string): Promise<SessionRow | undefined> {
	return db.one<SessionRow>(
		`SELECT s.id::int AS "id", s.user_id::int AS "userId", s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt",
			s.revoked_at AS "revokedAt", u.name, u.role, u.disabled_at AS "disabledAt", u.must_change_password AS "mustChangePassword",
			COALESCE((SELECT array_agg(r.adcode ORDER BY r.adcode) FROM user_regions r WHERE r.user_id = u.id), '{}') AS "regions"
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_sha256 = $1`,
		[tokenSha256]
	);
}

export async function touchSession(db: Queryable, id: number, now: Date): Promise<void> {
	await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2', [id, now]);
}

export async function revokeSessionById(db: Queryable, id: number): Promise<void> {
	await db.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
}

/** Every active session of a user (disabled, role or regions changed, password reset); returns how many. */
export async function revokeUserSessions(db: Queryable, userId: number): Promise<number> {
	const rows = await db.query<{ id: number }>('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id::int AS id', [
		userId
	]);
	return rows.length;
}

/** Forgets sessions that ended before `before` (expired or revoked). */
export async function deleteEndedSessions(db: Queryable, before: Date): Promise<void> {
	await db.query('DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1', [before]);
}
