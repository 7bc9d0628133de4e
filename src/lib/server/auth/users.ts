/**
 * Local accounts: add, list, disable, enable, reset, change role or regions,
 * change password; and the first admin on a fresh database. Every change that
 * alters what a user may see or who may use the account revokes their sessions.
 */
import type { AppDb } from '../appdb/client.ts';
import { sqlState } from '../appdb/client.ts';
import { Adcode } from '../../regions/index.ts';
import {
	allUsers,
	countUsers,
	insertUser,
	replaceUserRegions,
	updateDisabled,
	updatePassword,
	updateRole,
	userByName,
	type UserRow
} from '../queries/auth/users.ts';
import { revokeUserSessions } from '../queries/auth/sessions.ts';
import { hashPassword, oneTimePassword, passwordProblem, verifyPassword } from './passwords.ts';
import { ROLES, type Role } from './principal.ts';
import { forgetUserSessions } from './sessions.ts';

export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
/** A user holds at most this many regions. */
export const MAX_REGIONS = 64;

export class UserError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UserError';
	}
}

export type User = Omit<UserRow, 'passwordHash'>;

const strip = ({ passwordHash: _, ...user }: UserRow): User => ({ ...user, regions: user.regions.map(Number) });

export function parseRole(value: string): Role {
	if (!(ROLES as readonly string[]).includes(value)) throw new UserError(`unknown role '${value.slice(0, 40)}' (one of ${ROLES.join(', ')})`);
	return value as Role;
}

/** `440300,440100` → codes; 0 is the nation. Throws on anything else. */
export function parseRegions(value: string): number[] {
	const parts = value.split(',').map((s) => s.trim());
	if (parts.length > MAX_REGIONS) throw new UserError(`at most ${MAX_REGIONS} regions`);
	const codes = parts.map((p) => {
		const n = Number(p);
		if (!/^\d{1,6}$/.test(p) || !Adcode.safeParse(n).success)
			throw new UserError(`'${p.slice(0, 20)}' is not a region code (0 for the nation, or six digits GB/T 2260)`);
		return n;
	});
	return [...new Set(codes)];
}

function checkName(name: string): void {
	if (!USER_NAME.test(name)) throw new UserError(`'${name.slice(0, 70)}' is not a valid user name (letters, digits, _ . @ -; up to 64)`);
}

async function existing(db: AppDb, name: string): Promise<UserRow> {
	const user = await userByName(db, name);
	if (!user) throw new UserError(`no user '${name.slice(0, 70)}'`);
	return user;
}

export async function addUser(
	db: AppDb,
	input: { name: string; role: Role; regions: number[]; password: string; mustChangePassword?: boolean }
): Promise<User> {
	checkName(input.name);
	if (input.regions.length === 0) throw new UserError('a user needs at least one region');
	const problem = passwordProblem(input.password, input.name);
	if (problem) throw new UserError(problem);
	const passwordHash = await hashPassword(input.password);
	try {
		await db.transaction(async (tx) => {
			const id = await insertUser(tx, { name: input.name, role: input.role, passwordHash, mustChangePassword: input.mustChangePassword ?? false });
			await replaceUserRegions(tx, id, input.regions);
		});
	} catch (e) {
		if (sqlState(e) === '23505') throw new UserError(`user '${input.name}' exists already`);
		throw e;
	}
	return strip(await existing(db, input.name));
}

export async function listUsers(db: AppDb): Promise<User[]> {
	return (await allUsers(db)).map(strip);
}

/** Disables or enables an account; disabling ends its sessions. */
export async function setDisabled(db: AppDb, name: string, disabled: boolean): Promise<User> {
	const user = await existing(db, name);
	await db.transaction(async (tx) => {
		await updateDisabled(tx, user.id, disabled);
		if (disabled) await revokeUserSessions(tx, user.id);
	});
	forgetUserSessions(user.id);
	return strip(await existing(db, name));
}

export async function setRole(db: AppDb, name: string, role: Role): Promise<User> {
	const user = await existing(db, name);
	await db.transaction(async (tx) => {
		await updateRole(tx, user.id, role);
		await revokeUserSessions(tx, user.id);
	});
	forgetUserSessions(user.id);
	return strip(await existing(db, name));
}

export async function setRegions(db: AppDb, name: string, regions: number[]): Promise<User> {
	if (regions.length === 0) throw new UserError('a user needs at least one region');
	const user = await existing(db, name);
	await db.transaction(async (tx) => {
		await replaceUserRegions(tx, user.id, regions);
		await revokeUserSessions(tx, user.id);
	});
	forgetUserSessions(user.id);
	return strip(await existing(db, name));
}

/** A new one-time password (returned once), to be changed at the next sign-in; ends the user's sessions and lifts a lockout. */
export async function resetPassword(db: AppDb, name: string): Promise<{ user: User; password: string }> {
	const user = await existing(db, name);
	const password = oneTimePassword();
	const hash = await hashPassword(password);
	await db.transaction(async (tx) => {
		await updatePassword(tx, user.id, hash, true);
		await revokeUserSessions(tx, user.id);
	});
	forgetUserSessions(user.id);
	return { user: strip(await existing(db, name)), password };
}

/** The signed-in user's own change: the current password, then a new one that passes the policy. Other sessions end. */
export async function changePassword(db: AppDb, name: string, current: string, next: string): Promise<{ ok: true } | { ok: false; message: string }> {
	const user = await userByName(db, name);
	if (!user?.passwordHash || user.disabledAt || !(await verifyPassword(user.passwordHash, current))) return { ok: false, message: '当前密码不正确' };
	if (next === current) return { ok: false, message: '新密码不能与当前密码相同' };
	const problem = passwordProblem(next, name);
	if (problem) return { ok: false, message: problem };
	const hash = await hashPassword(next);
	await db.transaction(async (tx) => {
		await updatePassword(tx, user.id, hash, false);
		await revokeUserSessions(tx, user.id);
	});
	forgetUserSessions(user.id);
	return { ok: true };
}

export const FIRST_ADMIN = 'admin';

/**
 * On a database without users: one `admin` of the nation with a one-time
 * password, returned (to print once) and to be changed at first sign-in. Never a
 * default password. Undefined when users exist.
 */
export async function ensureFirstAdmin(db: AppDb): Promise<string | undefined> {
	if ((await countUsers(db)) > 0) return undefined;
	const password = oneTimePassword();
	try {
		await addUser(db, { name: FIRST_ADMIN, role: 'admin', regions: [0], password, mustChangePassword: true });
	} catch (e) {
		// Another migrator created it first.
		if (e instanceof UserError && /exists already/.test(e.message)) return undefined;
		throw e;
	}
	return password;
}
