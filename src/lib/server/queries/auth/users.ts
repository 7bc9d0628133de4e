/** Accounts and their regions (app database, PostgreSQL). */
import type { Queryable } from '../../appdb/client.ts';
import type { Role } from '../../auth/principal.ts';

export interface UserRow {
	id: number;
	name: string;
	role: Role;
	passwordHash: string | null;
	mustChangePassword: boolean;
	failedLogins: number;
	lockedUntil: Date | null;
	disabledAt: Date | null;
	createdAt: Date;
	regions: number[];
}

const COLUMNS = `u.id::int AS "id", u.name, u.role, u.password_hash AS "passwordHash", u.must_change_password AS "mustChangePassword",
	u.failed_logins AS "failedLogins", u.locked_until AS "lockedUntil", u.disabled_at AS "disabledAt", u.created_at AS "createdAt",
	COALESCE((SELECT array_agg(r.adcode ORDER BY r.adcode) FROM user_regions r WHERE r.user_id = u.id), '{}') AS "regions"`;

export async function userByName(db: Queryable, name: string): Promise<UserRow | undefined> {
	return db.one<UserRow>(`SELECT ${COLUMNS} FROM users u WHERE u.name = $1`, [name]);
}

export async function userById(db: Queryable, id: number): Promise<UserRow | undefined> {
	return db.one<UserRow>(`SELECT ${COLUMNS} FROM users u WHERE u.id = $1`, [id]);
}

export async function allUsers(db: Queryable): Promise<UserRow[]> {
	return db.query<UserRow>(`SELECT ${COLUMNS} FROM users u ORDER BY u.name`);
}

export async function countUsers(db: Queryable): Promise<number> {
	const row = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM users');
	return row?.n ?? 0;
}

export async function insertUser(db: Queryable, user: { name: string; role: Role; passwordHash: string; mustChangePassword: boolean }): Promise<number> {
	const row = await db.one<{ id: number }>(
		'INSERT INTO users (name, role, password_hash, must_change_password, password_changed_at) VALUES ($1, $2, $3, $4, now()) RETURNING id::int AS id',
		[user.name, user.role, user.passwordHash, user.mustChangePassword]
	);
	return row!.id;
}

export async function replaceUserRegions(db: Queryable, userId: number, adcodes: readonly number[]): Promise<void> {
	await db.query('DELETE FROM user_regions WHERE user_id = $1', [userId]);
	await db.query('INSERT INTO user_regions (user_id, adcode) SELECT $1, unnest($2::int[])', [userId, adcodes]);
}

export async function updateRole(db: Queryable, userId: number, role: Role): Promise<void> {
	await db.query('UPDATE users SET role = $2 WHERE id = $1', [userId, role]);
}

export async function updateDisabled(db: Queryable, userId: number, disabled: boolean): Promise<void> {
	await db.query('UPDATE users SET disabled_at = CASE WHEN $2 THEN COALESCE(disabled_at, now()) ELSE NULL END WHERE id = $1', [userId, disabled]);
}

export async function updatePassword(db: Queryable, userId: number, passwordHash: string, mustChangePassword: boolean): Promise<void> {
	await db.query(
		'UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = now(), failed_logins = 0, locked_until = NULL WHERE id = $1',
		[userId, passwordHash, mustChangePassword]
	);
}

/** Counts a failed sign-in; at `maxFailures` in a row the account is locked until `lockUntil`. Returns the new state. */
export async function recordUserFailure(
	db: Queryable,
	userId: number,
	maxFailures: number,
	lockUntil: Date
): Promise<{ failedLogins: number; lockedUntil: Date | null }> {
	const row = await db.one<{ failedLogins: number; lockedUntil: Date | null }>(
		`UPDATE users SET failed_logins = failed_logins + 1,
			locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
		WHERE id = $1 RETURNING failed_logins AS "failedLogins", locked_until AS "lockedUntil"`,
		[userId, maxFailures, lockUntil]
	);
	return row!;
}

export async function clearUserFailures(db: Queryable, userId: number): Promise<void> {
	await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)', [userId]);
}
