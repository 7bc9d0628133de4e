/**
 * The app database's statements over `ingest_sources` (PostgreSQL, `$n`
 * parameters): issue, list, revoke, and find by token hash. The rules around
 * them (names, types, tokens, the authenticator's cache) are in
 * src/lib/server/appdb/sources.ts.
 */
import type { Queryable } from '../../appdb/client.ts';

/** A row of ingest_sources as these statements return it. */
export interface SourceRow {
	name: string;
	event_types: string[];
	created_at: Date;
	revoked_at: Date | null;
}

/** Stores a new source; a second active source of the same name fails with 23505 (unique violation). */
export async function insertSource(db: Queryable, o: { name: string; tokenSha256: string; eventTypes: readonly string[] }): Promise<SourceRow> {
	const row = await db.one<SourceRow>(
		'INSERT INTO ingest_sources (name, token_sha256, event_types) VALUES ($1, $2, $3) RETURNING name, event_types, created_at, revoked_at',
		[o.name, o.tokenSha256, o.eventTypes]
	);
	return row!;
}

/** Sources by name, then issue time; revoked ones only when asked for. */
export function selectSources(db: Queryable, includeRevoked: boolean): Promise<SourceRow[]> {
	return db.query<SourceRow>('SELECT name, event_types, created_at, revoked_at FROM ingest_sources WHERE $1 OR revoked_at IS NULL ORDER BY name, created_at', [
		includeRevoked
	]);
}

/** Marks the active source of that name revoked; undefined when there is none. */
export function revokeActiveSource(db: Queryable, name: string): Promise<SourceRow | undefined> {
	return db.one<SourceRow>(
		'UPDATE ingest_sources SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING name, event_types, created_at, revoked_at',
		[name]
	);
}

/** The active source holding the token with this sha256, if any. */
export function activeSourceByTokenHash(db: Queryable, tokenSha256: string): Promise<{ name: string; event_types: string[] } | undefined> {
	return db.one<{ name: string; event_types: string[] }>('SELECT name, event_types FROM ingest_sources WHERE token_sha256 = $1 AND revoked_at IS NULL', [
		tokenSha256
	]);
}
