/**
 * The web server's door: which principal a request's cookies stand for (a
 * session, else a wall token), and the cookies themselves. The web process keeps
 * one small app-database pool for it.
 */
import type { AppDb, Queryable } from '../appdb/client.ts';
import { createAppDb } from '../appdb/client.ts';
import { appDbConfig } from '../appdb/config.ts';
import { authLimits, type AuthLimits } from './limits.ts';
import type { Principal } from './principal.ts';
import type { Admitted } from '../live/admitted.ts';
import { resolveSession, SESSION_COOKIE } from './sessions.ts';
import { resolveWallToken, WALL_COOKIE } from './wall-tokens.ts';

export { SESSION_COOKIE } from './sessions.ts';
export { WALL_COOKIE } from './wall-tokens.ts';

let db: AppDb | undefined;
let limits: AuthLimits | undefined;

/** The web process's app database (DATABASE_URL, or the embedded one). */
export function webAppDb(): AppDb {
	return (db ??= createAppDb(appDbConfig().url));
}

/** Closes the pool if one was opened (at shutdown). */
export async function closeWebAppDb(): Promise<void> {
	const open = db;
	db = undefined;
	await open?.close();
}

export function webLimits(): AuthLimits {
	return (limits ??= authLimits());
}

/** A signed-in user's session wins over a wall token on the same browser. */
export async function principalFrom(
	store: Queryable,
	cookies: { session?: string; wall?: string },
	address: string | null,
	lim: AuthLimits,
	now = new Date()
): Promise<Principal | undefined> {
	return (await resolveSession(store, cookies.session, lim, now)) ?? (await resolveWallToken(store, cookies.wall, address, now));
}

/** The same caller: the same session of a user, or the same wall token (a new sign-in is another caller). */
export function sameCaller(a: Principal | undefined, b: Principal): boolean {
	if (!a) return false;
	if (a.kind === 'user' && b.kind === 'user') return a.sessionId === b.sessionId && a.role === b.role && a.regions.join() === b.regions.join();
	if (a.kind === 'wall' && b.kind === 'wall') return a.tokenId === b.tokenId && a.region === b.region;
	return false;
}

/** Asks the door again, with the request's own cookies, whether `principal` is still let in (open live streams). */
export function admittedAgain(
	store: () => Queryable,
	cookies: { session?: string; wall?: string },
	address: string | null,
	lim: () => AuthLimits,
	principal: Principal
): Admitted {
	return async () => sameCaller(await principalFrom(store(), cookies, address, lim()), principal);
}

/** Cookie settings: HttpOnly, SameSite=Lax, Secure over HTTPS; a session's lasts until its absolute expiry. */
export function cookieOptions(secure: boolean, maxAgeSeconds: number) {
	return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: maxAgeSeconds };
}

/** A wall's cookie lasts a year; revoking the token ends it sooner. */
export const WALL_COOKIE_MAX_AGE = 365 * 24 * 3600;

/** Reads the two cookies from a Cookie header (for handlers outside SvelteKit, like the tests' servers). */
export function cookiesOf(header: string | null | undefined): { session?: string; wall?: string } {
	const out: { session?: string; wall?: string } = {};
	for (const part of (header ?? '').split(';')) {
		const i = part.indexOf('=');
		if (i < 0) continue;
		const name = part.slice(0, i).trim();
		const value = part.slice(i + 1).trim();
		if (name === SESSION_COOKIE) out.session = value;
		else if (name === WALL_COOKIE) out.wall = value;
	}
	return out;
}
