/**
 * Sign-in sessions: a random token in an HttpOnly cookie, its sha256 in the
 * database; idle and absolute expiry; revoked at sign-out and when the user is
 * disabled, or their role, regions or password change. Lookups are cached for
 * CACHE_MS so a wall's requests do not each ask the database: a revocation by
 * another process (the CLI) takes effect within that time.
 */
import type { Queryable } from '../appdb/client.ts';
import { insertSession, revokeSessionById, sessionByTokenHash, touchSession, type SessionRow } from '../queries/auth/sessions.ts';
import type { AuthLimits } from './limits.ts';
import { ROLES, type Principal } from './principal.ts';
import { newToken, tokenHash, wellFormed } from './tokens.ts';

export const SESSION_COOKIE = 'tianshu_session';
const PREFIX = 'tss_';
/** How long a looked-up session is trusted without asking the database again. */
export const CACHE_MS = 5000;
/** last_seen_at is written at most this often per session (the idle limit is minutes). */
const TOUCH_MS = 60_000;
const CACHE_MAX = 10_000;

interface Cached {
	row: SessionRow | undefined;
	fetchedAt: number;
}
const cache = new Map<string, Cached>();

/** Forgets every cached lookup (tests that change rows behind the cache's back). */
export function clearSessionCache(): void {
	cache.clear();
}

export interface NewSession {
	token: string;
	id: number;
	expiresAt: Date;
}

export async function createSession(db: Queryable, userId: number, address: string | null, limits: AuthLimits, now = new Date()): Promise<NewSession> {
	const token = newToken(PREFIX);
	const expiresAt = new Date(now.getTime() + limits.maxAgeMs);
	const id = await insertSession(db, { tokenSha256: tokenHash(token), userId, now, expiresAt, address });
	return { token, id, expiresAt };
}

/** Why a stored session no longer admits anyone, or undefined while it does. */
export function sessionEnded(row: Pick<SessionRow, 'revokedAt' | 'expiresAt' | 'lastSeenAt' | 'disabledAt'>, limits: AuthLimits, now: Date) {
	if (row.revokedAt) return 'revoked';
	if (row.disabledAt) return 'disabled';
	if (now.getTime() >= row.expiresAt.getTime()) return 'expired';
	if (now.getTime() - row.lastSeenAt.getTime() >= limits.idleMs) return 'idle';
	return undefined;
}

/** The signed-in user a session token stands for, or undefined (unknown, malformed, ended). */
export async function resolveSession(db: Queryable, token: string | undefined, limits: AuthLimits, now = new Date()): Promise<Principal | undefined> {
	if (!token || !wellFormed(token, PREFIX)) return undefined;
	const hash = tokenHash(token);
	let entry = cache.get(hash);
	if (!entry || now.getTime() - entry.fetchedAt >= CACHE_MS || now.getTime() < entry.fetchedAt) {
		entry = { row: await sessionByTokenHash(db, hash), fetchedAt: now.getTime() };
		if (cache.size >= CACHE_MAX) cache.clear();
		cache.set(hash, entry);
	}
	const row = entry.row;
	if (!row || sessionEnded(row, limits, now) || !ROLES.includes(row.role)) return undefined;
	if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_MS) {
		await touchSession(db, row.id, now);
		row.lastSeenAt = now;
	}
	return {
		kind: 'user',
		userId: row.userId,
		name: row.name,
		role: row.role,
		regions: row.regions.map(Number),
		sessionId: row.id,
		mustChangePassword: row.mustChangePassword
	};
}

/** Ends the session of a token (sign-out). */
export async function endSession(db: Queryable, token: string | undefined): Promise<void> {
	if (!token || !wellFormed(token, PREFIX)) return;
	const hash = tokenHash(token);
	const row = await sessionByTokenHash(db, hash);
	cache.delete(hash);
	if (row) await revokeSessionById(db, row.id);
}

/** Drops cached sessions of a user (after a change in this process: it applies at once here). */
export function forgetUserSessions(userId: number): void {
	for (const [hash, entry] of cache) if (entry.row?.userId === userId) cache.delete(hash);
}
