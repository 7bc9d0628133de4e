/** Wall-screen tokens (app database, PostgreSQL): only the token's sha256 is stored. */
import type { Queryable } from '../../appdb/client.ts';

export interface WallTokenRow {
	id: number;
	name: string;
	adcode: number;
	createdAt: Date;
	createdBy: string;
	revokedAt: Date | null;
	lastUsedAt: Date | null;
	lastUsedFrom: string | null;
}

const COLUMNS = `id::int AS "id", name, adcode, created_at AS "createdAt", created_by AS "createdBy", revoked_at AS "revokedAt",
	last_used_at AS "lastUsedAt", last_used_from AS "lastUsedFrom"`;

export async function insertWallToken(db: Queryable, t: { name: string; tokenSha256: string; adcode: number; createdBy: string }): Promise<WallTokenRow> {
	const row = await db.one<WallTokenRow>(`INSERT INTO wall_tokens (name, token_sha256, adcode, created_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`, [
		t.name,
		t.tokenSha256,
		t.adcode,
		t.createdBy
	]);
	return row!;
}

export async function wallTokenByHash(db: Queryable, tokenSha256: string): Promise<WallTokenRow | undefined> {
	return db.one<WallTokenRow>(`SELECT ${COLUMNS} FROM wall_tokens WHERE token_sha256 = $1`, [tokenSha256]);
}

export async function allWallTokens(db: Queryable, includeRevoked: boolean): Promise<WallTokenRow[]> {
	return db.query<WallTokenRow>(`SELECT ${COLUMNS} FROM wall_tokens WHERE $1 OR revoked_at IS NULL ORDER BY name, id`, [includeRevoked]);
}

/** Revokes the active token of that name; undefined when there is none. */
export async function revokeWallTokenByName(db: Queryable, name: string): Promise<WallTokenRow | undefined> {
	return db.one<WallTokenRow>(`UPDATE wall_tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`, [name]);
}

export async function touchWallToken(db: Queryable, id: number, now: Date, address: string | null): Promise<void> {
	await db.query('UPDATE wall_tokens SET last_used_at = $2, last_used_from = $3 WHERE id = $1', [id, now, address]);
}
