/**
 * Sign-ins, failures, lockouts, sign-outs, password changes and account and
 * wall-token changes, on record in the audit log (src/lib/server/audit). The
 * username of a failed attempt is kept (it names who was tried), never a password.
 */
import type { Queryable } from '../appdb/client.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Principal } from './principal.ts';
import type { SignInResult } from './sign-in.ts';

interface Where {
	address: string | null;
	requestId?: string;
}

const where = (at: Where) => ({ address: at.address?.slice(0, 100) ?? null, requestId: at.requestId ?? null });

export async function auditSignIn(db: Queryable, result: SignInResult, at: Where & { username: string }): Promise<void> {
	const name = at.username.slice(0, 128) || '(空)';
	if (result.ok) {
		await recordAudit(db, {
			actor: { kind: 'user', id: result.user.id, name: result.user.name },
			action: 'sign_in',
			regions: result.user.regions,
			...where(at)
		});
		return;
	}
	const actor = { kind: 'user' as const, id: result.userId, name };
	await recordAudit(db, { actor, action: 'sign_in_failed', detail: { reason: result.reason }, ...where(at) });
	if (result.reason === 'locked' && result.lockedNow) await recordAudit(db, { actor, action: 'lockout', detail: { reason: 'failures' }, ...where(at) });
}

type UserPrincipal = Extract<Principal, { kind: 'user' }>;
const userActor = (p: UserPrincipal) => ({ kind: 'user' as const, id: p.userId, name: p.name });

export async function auditSignOut(db: Queryable, p: UserPrincipal, at: Where): Promise<void> {
	await recordAudit(db, { actor: userActor(p), action: 'sign_out', regions: p.regions, ...where(at) });
}

export async function auditPasswordChange(db: Queryable, p: UserPrincipal, at: Where): Promise<void> {
	await recordAudit(db, { actor: userActor(p), action: 'password_change', regions: p.regions, ...where(at) });
}

/** An account or wall-token change made by an admin (today through the CLI: the actor is the system, from this host). */
export async function auditUserChange(
	db: Queryable,
	action: 'user_change' | 'role_change' | 'region_change' | 'wall_token_change',
	detail: Record<string, unknown>,
	regions: number[]
): Promise<void> {
	await recordAudit(db, { actor: { kind: 'system' }, action, detail: { ...detail, via: 'cli' }, regions, address: null });
}
