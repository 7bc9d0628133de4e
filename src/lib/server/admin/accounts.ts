/**
 * What an admin does on /admin: accounts, their sessions and wall tokens, each
 * change through the auth module (which revokes sessions where it must) and then
 * on record in the audit log with who, from where, what and the regions concerned.
 * Refusals are AdminError with a Chinese message (the CLI's UserError speaks English).
 */
import type { AppDb } from '../appdb/client.ts';
import { recordAudit } from '../audit/audit.ts';
import { oneTimePassword } from '../auth/passwords.ts';
import type { Principal, Role } from '../auth/principal.ts';
import { forgetUserSessions } from '../auth/sessions.ts';
import { addUser, listUsers, resetPassword, setDisabled, setRegions, setRole, UserError, type User } from '../auth/users.ts';
import { issueWallToken, listWallTokens, revokeWallToken, WallTokenError, type WallToken } from '../auth/wall-tokens.ts';
import { activeSessions, lastSignIns, revokeSessionReturningUser, type ActiveSessionRow } from '../queries/admin/accounts.ts';

export type AdminPrincipal = Extract<Principal, { kind: 'user' }>;

export class AdminError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AdminError';
	}
}

/** Where a change came from, for its audit entry. */
export interface Origin {
	address: string | null;
	requestId?: string;
}

/** The auth module's English refusals, said in Chinese. */
function chinese(e: unknown): never {
	if (e instanceof UserError || e instanceof WallTokenError) {
		const m = e.message;
		if (/exists already/.test(m)) throw new AdminError(e instanceof UserError ? '该用户名已存在' : '同名的有效大屏令牌已存在（请先撤销）');
		if (/^no user/.test(m)) throw new AdminError('没有该用户');
		if (/^no active wall token/.test(m)) throw new AdminError('没有该名称的有效大屏令牌');
		if (/at least one region/.test(m)) throw new AdminError('用户至少需要一个区域');
		throw new AdminError('输入无效');
	}
	throw e;
}

async function audited<T>(
	db: AppDb,
	admin: AdminPrincipal,
	at: Origin,
	action: Parameters<typeof recordAudit>[1]['action'],
	run: () => Promise<T>,
	describe: (r: T) => { detail: Record<string, unknown>; regions: number[] }
): Promise<T> {
	let result: T;
	try {
		result = await run();
	} catch (e) {
		chinese(e);
	}
	const { detail, regions } = describe(result);
	await recordAudit(db, {
		actor: { kind: 'user', id: admin.userId, name: admin.name },
		action,
		detail: { ...detail, via: 'admin' },
		regions,
		address: at.address?.slice(0, 100) ?? null,
		requestId: at.requestId ?? null
	});
	return result;
}

/** An admin's own account is changed by another admin (no one locks themselves out by a click). */
function notSelf(admin: AdminPrincipal, name: string): void {
	if (admin.name === name) throw new AdminError('不能在此修改自己的账号（修改密码请用“修改密码”，其他变更请由另一位管理员操作）');
}

export interface AdminUser extends User {
	lastSignIn: Date | null;
	sessions: ActiveSessionRow[];
}

/** Every account with its last sign-in and active sessions. */
export async function usersOverview(db: AppDb, now = new Date()): Promise<AdminUser[]> {
	const [users, last, sessions] = await Promise.all([listUsers(db), lastSignIns(db), activeSessions(db, now)]);
	return users.map((u) => ({ ...u, lastSignIn: last.get(u.id) ?? null, sessions: sessions.filter((s) => s.userId === u.id) }));
}

/** A new account with a one-time password (returned once, to be changed at first sign-in). */
export async function adminAddUser(db: AppDb, admin: AdminPrincipal, input: { name: string; role: Role; regions: number[] }, at: Origin) {
	const password = oneTimePassword();
	return await audited(
		db,
		admin,
		at,
		'user_change',
		async () => ({ user: await addUser(db, { ...input, password, mustChangePassword: true }), password }),
		(r) => ({ detail: { change: 'add', user: r.user.name, userId: r.user.id, role: r.user.role, regions: r.user.regions }, regions: r.user.regions })
	);
}

export async function adminSetDisabled(db: AppDb, admin: AdminPrincipal, name: string, disabled: boolean, at: Origin): Promise<User> {
	notSelf(admin, name);
	return await audited(
		db,
		admin,
		at,
		'user_change',
		() => setDisabled(db, name, disabled),
		(u) => ({ detail: { change: disabled ? 'disable' : 'enable', user: u.name, userId: u.id }, regions: u.regions })
	);
}

export async function adminResetPassword(db: AppDb, admin: AdminPrincipal, name: string, at: Origin): Promise<{ user: User; password: string }> {
	notSelf(admin, name);
	return await audited(
		db,
		admin,
		at,
		'user_change',
		() => resetPassword(db, name),
		(r) => ({ detail: { change: 'reset_password', user: r.user.name, userId: r.user.id }, regions: r.user.regions })
	);
}

export async function adminSetRole(db: AppDb, admin: AdminPrincipal, name: string, role: Role, at: Origin): Promise<User> {
	notSelf(admin, name);
	const before = (await listUsers(db)).find((u) => u.name === name);
	if (!before) throw new AdminError('没有该用户');
	return audited(
		db,
		admin,
		at,
		'role_change',
		() => setRole(db, name, role),
		(u) => ({ detail: { user: u.name, userId: u.id, from: before.role, to: u.role }, regions: u.regions })
	);
}

export async function adminSetRegions(db: AppDb, admin: AdminPrincipal, name: string, regions: number[], at: Origin): Promise<User> {
	notSelf(admin, name);
	const before = (await listUsers(db)).find((u) => u.name === name);
	if (!before) throw new AdminError('没有该用户');
	return audited(
		db,
		admin,
		at,
		'region_change',
		() => setRegions(db, name, regions),
		(u) => ({ detail: { user: u.name, userId: u.id, from: before.regions, to: u.regions }, regions: [...new Set([...before.regions, ...u.regions])] })
	);
}

/** Ends one session of a user at once (in this process; another process's cache within seconds). */
export async function adminRevokeSession(db: AppDb, admin: AdminPrincipal, sessionId: number, at: Origin): Promise<{ userId: number; userName: string }> {
	return audited(
		db,
		admin,
		at,
		'session_revoke',
		async () => {
			const revoked = await revokeSessionReturningUser(db, sessionId);
			if (!revoked) throw new AdminError('该会话不存在或已结束');
			forgetUserSessions(revoked.userId);
			return revoked;
		},
		(r) => ({ detail: { sessionId, user: r.userName, userId: r.userId }, regions: [] })
	);
}

export function wallTokensOverview(db: AppDb): Promise<WallToken[]> {
	return listWallTokens(db, { includeRevoked: true });
}

/** A wall token for one region: the token is returned once; only its hash is kept. */
export async function adminIssueWall(
	db: AppDb,
	admin: AdminPrincipal,
	input: { name: string; region: number },
	at: Origin
): Promise<{ token: string; wall: WallToken }> {
	return audited(
		db,
		admin,
		at,
		'wall_token_change',
		() => issueWallToken(db, { name: input.name, adcode: input.region, createdBy: admin.name }),
		(r) => ({ detail: { change: 'issue', wall: r.wall.name, id: r.wall.id }, regions: [r.wall.adcode] })
	);
}

export async function adminRevokeWall(db: AppDb, admin: AdminPrincipal, name: string, at: Origin): Promise<WallToken> {
	return audited(
		db,
		admin,
		at,
		'wall_token_change',
		() => revokeWallToken(db, name),
		(w) => ({ detail: { change: 'revoke', wall: w.name, id: w.id }, regions: [w.adcode] })
	);
}
