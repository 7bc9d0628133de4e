/**
 * Signing in with a name and password, limited per account (failures in a row
 * lock it for a while) and per address (too many failures from one address and
 * it must wait). An unknown name costs the same argon2 work as a known one, and
 * every refusal but the lockouts reads the same, so names cannot be probed.
 */
import type { AppDb } from '../appdb/client.ts';
import { clearUserFailures, recordUserFailure, userByName } from '../queries/auth/users.ts';
import { countLoginFailures, deleteLoginFailuresBefore, insertLoginFailure } from '../queries/auth/login-failures.ts';
import type { AuthLimits } from './limits.ts';
import { burnVerification, verifyPassword } from './passwords.ts';
import { createSession } from './sessions.ts';
import type { Role } from './principal.ts';

export type SignInResult =
	| { ok: true; token: string; expiresAt: Date; user: { id: number; name: string; role: Role; regions: number[]; mustChangePassword: boolean } }
	| { ok: false; reason: 'invalid' | 'locked' | 'address_limited'; message: string; lockedNow?: boolean; userId?: number };

export const INVALID = '用户名或密码错误';

export async function signIn(
	db: AppDb,
	input: { username: string; password: string; address: string },
	limits: AuthLimits,
	now = new Date()
): Promise<SignInResult> {
	const since = new Date(now.getTime() - limits.lockoutMs);
	if ((await countLoginFailures(db, input.address, since)) >= limits.addressMaxFailures) {
		return { ok: false, reason: 'address_limited', message: '该地址登录失败次数过多，请稍后再试' };
	}
	const fail = async (): Promise<void> => {
		await insertLoginFailure(db, input.address, input.username, now);
		// Old failures are of no use to the limit; an occasional sweep keeps the table small.
		if (Math.random() < 0.01) await deleteLoginFailuresBefore(db, since);
	};
	const user = await userByName(db, input.username);
	if (!user || !user.passwordHash || user.disabledAt) {
		await burnVerification(input.password);
		await fail();
		return { ok: false, reason: 'invalid', message: INVALID };
	}
	if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) {
		await fail();
		const minutes = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 60_000);
		return { ok: false, reason: 'locked', message: `账号因多次登录失败已暂时锁定，请 ${minutes} 分钟后再试`, userId: user.id };
	}
	if (!(await verifyPassword(user.passwordHash, input.password))) {
		await fail();
		const lockUntil = new Date(now.getTime() + limits.lockoutMs);
		// A lock that has run out starts a new count.
		if (user.lockedUntil) await clearUserFailures(db, user.id);
		const state = await recordUserFailure(db, user.id, limits.maxFailures, lockUntil);
		if (state.lockedUntil && state.lockedUntil.getTime() > now.getTime()) {
			return {
				ok: false,
				reason: 'locked',
				message: `账号因多次登录失败已暂时锁定，请 ${Math.ceil(limits.lockoutMs / 60_000)} 分钟后再试`,
				lockedNow: true,
				userId: user.id
			};
		}
		return { ok: false, reason: 'invalid', message: INVALID, userId: user.id };
	}
	await clearUserFailures(db, user.id);
	const session = await createSession(db, user.id, input.address, limits, now);
	return {
		ok: true,
		token: session.token,
		expiresAt: session.expiresAt,
		user: { id: user.id, name: user.name, role: user.role, regions: user.regions.map(Number), mustChangePassword: user.mustChangePassword }
	};
}
