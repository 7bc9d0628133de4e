/**
 * Saved views of /analyze (app database, migration 0004): a user's own, by name.
 * Every statement names the user, so nobody reads or removes another's view.
 */
import type { Queryable } from '../../appdb/client.ts';

export interface SavedViewRow {
	id: string;
	name: string;
	query: string;
	updated_at: Date;
}

/** A user's views, newest first. */
export function selectSavedViews(db: Queryable, userId: number, limit: number): Promise<SavedViewRow[]> {
	return db.query<SavedViewRow>(
		'SELECT id::text AS id, name, query, updated_at FROM saved_views WHERE user_id = $1 ORDER BY updated_at DESC, id DESC LIMIT $2',
		[userId, limit]
	);
}

/** Saves a view under its name, replacing the user's view of that name. */
export async function upsertSavedView(db: Queryable, userId: number, name: string, query: string): Promise<SavedViewRow> {
	const row = await db.one<SavedViewRow>(
		`INSERT INTO saved_views (user_id, name, query) VALUES ($1, $2, $3)
ON CONFLICT (user_id, name) DO UPDATE SET query = EXCLUDED.query, updated_at = now()
RETURNING id::text AS id, name, query, updated_at`,
		[userId, name, query]
	);
	return row!;
}

/** Removes one of the user's views; false when the user has no view of that id. */
export async function deleteSavedView(db: Queryable, userId: number, id: string): Promise<boolean> {
	const rows = await db.query<{ id: string }>('DELETE FROM saved_views WHERE user_id = $1 AND id = $2 RETURNING id::text AS id', [userId, id]);
	return rows.length > 0;
}
