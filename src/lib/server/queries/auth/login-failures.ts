/** Failed sign-ins per address (app database, PostgreSQL), for the per-address limit. */
import type { Queryable } from '../../appdb/client.ts';

export async function insertLoginFailure(db: Queryable, address: string, username: string, at: Date): Promise<void> {
	await db.query('INSERT INTO login_failures (address, username, at) VALUES ($1, $2, $3)', [address, username.slice(0, 200), at]);
}

export async function countLoginFailures(db: Queryable, address: string, since: Date): Promise<number> {
	const row = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM login_failures WHERE address = $1 AND at >= $2', [address, since]);
	return row?.n ?? 0;
}

export async function deleteLoginFailuresBefore(db: Queryable, before: Date): Promise<void> {
	await db.query('DELETE FROM login_failures WHERE at < $1', [before]);
}
