/** Accounts made by 统一身份认证 (OpenID Connect): no password (a local sign-in is impossible), role and regions from the provider. */
import type { Queryable } from '../../appdb/client.ts';
import type { Role } from '../../auth/principal.ts';

/** A new account without a password; its id. */
export async function insertSsoUser(db: Queryable, user: { name: string; role: Role }): Promise<number> {
	const row = await db.one<{ id: number }>(
		'INSERT INTO users (name, role, password_hash, must_change_password) VALUES ($1, $2, NULL, false) RETURNING id::int AS id',
		[user.name, user.role]
	);
	return row!.id;
}
