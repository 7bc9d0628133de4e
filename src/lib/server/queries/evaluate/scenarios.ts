/**
 * Saved evaluation scenarios (app database): one statement per function, every
 * value bound. Saving under an existing name of the same user replaces it.
 */
import type { Queryable } from '../../appdb/client.ts';

export interface ScenarioRow {
	id: string;
	user_id: string;
	owner: string;
	name: string;
	region: number | null;
	shared: boolean;
	payload: Record<string, unknown>;
	created_at: Date;
	updated_at: Date;
}

const COLUMNS = `s.id, s.user_id::text AS user_id, u.name AS owner, s.name, s.region, s.shared, s.payload, s.created_at, s.updated_at`;

const UPSERT = `INSERT INTO scenarios (id, user_id, name, region, shared, payload)
VALUES ($1, $2, $3, $4, $5, $6::jsonb)
ON CONFLICT (user_id, name) DO UPDATE SET region = EXCLUDED.region, shared = EXCLUDED.shared, payload = EXCLUDED.payload, updated_at = now()
RETURNING id`;

/** Saves (or replaces, by name) a user's scenario; returns its id (the existing one on a replace). */
export async function upsertScenario(
	db: Queryable,
	s: { id: string; userId: number; name: string; region: number | null; shared: boolean; payload: string }
): Promise<string> {
	const r = await db.one<{ id: string }>(UPSERT, [s.id, s.userId, s.name, s.region, s.shared, s.payload]);
	return r!.id;
}

const LIST = `SELECT ${COLUMNS} FROM scenarios s JOIN users u ON u.id = s.user_id
WHERE s.user_id = $1 OR s.shared
ORDER BY (s.user_id = $1) DESC, s.updated_at DESC
LIMIT $2::integer`;

/** A user's scenarios and the shared ones (the caller filters the shared ones by scope). */
export async function selectScenarios(db: Queryable, userId: number, limit: number): Promise<ScenarioRow[]> {
	return db.query<ScenarioRow>(LIST, [userId, limit]);
}

const GET = `SELECT ${COLUMNS} FROM scenarios s JOIN users u ON u.id = s.user_id WHERE s.id = $1`;

export async function selectScenario(db: Queryable, id: string): Promise<ScenarioRow | undefined> {
	return db.one<ScenarioRow>(GET, [id]);
}

const DELETE_OWN = `DELETE FROM scenarios WHERE id = $1 AND user_id = $2 RETURNING id`;

/** Removes a scenario of its owner; false when there is none (or it is someone else's). */
export async function deleteScenario(db: Queryable, id: string, userId: number): Promise<boolean> {
	return (await db.one<{ id: string }>(DELETE_OWN, [id, userId])) !== undefined;
}
