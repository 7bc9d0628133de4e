/**
 * Signing in for tests: accounts made through the auth module in a real app
 * database, sessions made by the real sign-in (argon2 and all), handed over as
 * the Cookie header a browser would send. The e2e helpers sign in through /login.
 */
import { randomBytes } from 'node:crypto';
import type { AppDb } from '../../src/lib/server/appdb/client.ts';
import { authLimits } from '../../src/lib/server/auth/limits.ts';
import { ROLES, type Role } from '../../src/lib/server/auth/principal.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';
import { signIn } from '../../src/lib/server/auth/sign-in.ts';
import { addUser } from '../../src/lib/server/auth/users.ts';

export { ROLES };
export type { Role };

export interface TestUser {
	name: string;
	password: string;
	role: Role;
	regions: number[];
}

/** A fresh account of `role` over `regions` (a random name unless given). */
export async function createTestUser(db: AppDb, role: Role, regions: number[], name?: string): Promise<TestUser> {
	const user: TestUser = {
		name: name ?? `${role.replace('_', '-')}-${randomBytes(4).toString('hex')}`,
		password: `Pw-${randomBytes(9).toString('base64url')}`,
		role,
		regions
	};
	await addUser(db, user);
	return user;
}

/** Signs in as `user` the real way and returns the Cookie header of the session. */
export async function sessionCookie(db: AppDb, user: Pick<TestUser, 'name' | 'password'>, address = '127.0.0.1'): Promise<string> {
	const r = await signIn(db, { username: user.name, password: user.password, address }, authLimits({}));
	if (!r.ok) throw new Error(`test sign-in of ${user.name} failed: ${r.message}`);
	return `${SESSION_COOKIE}=${r.token}`;
}

/** One signed-in account per role over the same regions: the Cookie header of each. */
export async function cookiesByRole(db: AppDb, regions: number[]): Promise<Record<Role, string>> {
	const out = {} as Record<Role, string>;
	for (const role of ROLES) out[role] = await sessionCookie(db, await createTestUser(db, role, regions));
	return out;
}
