/**
 * Wall-screen tokens: a command centre's wall cannot type a password each
 * morning. An admin issues one bound to one region; it opens /cockpit of that
 * region and the cockpit's procedures only (access.ts), read-only. Shown once;
 * only its sha256 is kept; revocable; its last use is recorded. Lookups are
 * cached for CACHE_MS, so a revocation takes effect within that time.
 */
import type { AppDb, Queryable } from '../appdb/client.ts';
import { sqlState } from '../appdb/client.ts';
import { Adcode } from '../../regions/index.ts';
import { allWallTokens, insertWallToken, revokeWallTokenByName, touchWallToken, wallTokenByHash, type WallTokenRow } from '../queries/auth/wall-tokens.ts';
import type { Principal } from './principal.ts';
import { CACHE_MS } from './sessions.ts';
import { newToken, tokenHash, wellFormed } from './tokens.ts';

export const WALL_COOKIE = 'tianshu_wall';
const PREFIX = 'tsw_';
/** last_used_at is written at most this often per token. */
const TOUCH_MS = 60_000;
export const WALL_NAME = /^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\u4e00-\u9fff-]{0,63}$/;

export class WallTokenError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WallTokenError';
	}
}

export type WallToken = WallTokenRow;

export async function issueWallToken(db: AppDb, input: { name: string; adcode: number; createdBy: string }): Promise<{ token: string; wall: WallToken }> {
	if (!WALL_NAME.test(input.name))
		throw new WallTokenError(`'${input.name.slice(0, 70)}' is not a valid wall name (letters, digits, Chinese, _ . -; up to 64)`);
	if (!Adcode.safeParse(input.adcode).success) throw new WallTokenError(`${input.adcode} is not a region code (0 for the nation, or six digits GB/T 2260)`);
	const token = newToken(PREFIX);
	try {
		const wall = await insertWallToken(db, { name: input.name, tokenSha256: tokenHash(token), adcode: input.adcode, createdBy: input.createdBy });
		return { token, wall };
	} catch (e) {
		if (sqlState(e) === '23505') throw new WallTokenError(`an active wall token '${input.name}' exists already (revoke it first)`);
		throw e;
	}
}

export function listWallTokens(db: AppDb, options: { includeRevoked?: boolean } = {}): Promise<WallToken[]> {
	return allWallTokens(db, options.includeRevoked ?? false);
}

export async function revokeWallToken(db: AppDb, name: string): Promise<WallToken> {
	const wall = await revokeWallTokenByName(db, name);
	if (!wall) throw new WallTokenError(`no active wall token '${name.slice(0, 70)}'`);
	for (const [hash, entry] of cache) if (entry.row?.id === wall.id) cache.delete(hash);
	return wall;
}

interface Cached {
	row: WallTokenRow | undefined;
	fetchedAt: number;
}
const cache = new Map<string, Cached>();

/** The wall a token stands for, or undefined (unknown, malformed, revoked). Records its use. */
export async function resolveWallToken(db: Queryable, token: string | undefined, address: string | null, now = new Date()): Promise<Principal | undefined> {
	if (!token || !wellFormed(token, PREFIX)) return undefined;
	const hash = tokenHash(token);
	let entry = cache.get(hash);
	if (!entry || now.getTime() - entry.fetchedAt >= CACHE_MS || now.getTime() < entry.fetchedAt) {
		entry = { row: await wallTokenByHash(db, hash), fetchedAt: now.getTime() };
		if (cache.size >= 10_000) cache.clear();
		cache.set(hash, entry);
	}
	const row = entry.row;
	if (!row || row.revokedAt) return undefined;
	if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_MS) {
		await touchWallToken(db, row.id, now, address);
		row.lastUsedAt = now;
	}
	return { kind: 'wall', tokenId: row.id, name: row.name, region: row.adcode };
}
