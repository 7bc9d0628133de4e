/**
 * Ingest sources: who may push events, and which types. A source's token is
 * 32 random bytes, shown once when it is issued; the database keeps only its
 * sha256 (a hash of a 256-bit random secret cannot be guessed back, so no slow
 * hash is needed). A source may send only the event types it was granted:
 * official statistics (`indicator`, `target`) only from a source granted them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EVENT_TYPES, type EventType } from '../../../../ingest/contract/events.ts';
import { sqlState, type Queryable } from './client.ts';
import { activeSourceByTokenHash, insertSource, revokeActiveSource, selectSources, type SourceRow } from '../queries/appdb/sources.ts';

/** Event types that are official statistics: published figures and their targets. */
export const STATISTICS_TYPES: readonly EventType[] = ['indicator', 'target'];
/** Shorthands for `--types`. */
export const TYPE_GROUPS: Record<string, readonly EventType[]> = {
	service: ['case', 'review', 'review_action', 'ticket'],
	statistics: STATISTICS_TYPES,
	all: EVENT_TYPES
};

export const SOURCE_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
const TOKEN_PREFIX = 'tsk_';
/** tsk_ + 32 bytes in base64url. */
const TOKEN_SHAPE = /^tsk_[A-Za-z0-9_-]{43}$/;

export class SourceError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SourceError';
	}
}

export interface Source {
	name: string;
	eventTypes: EventType[];
	createdAt: Date;
	revokedAt: Date | null;
}

/** Parses `case,review,statistics` into event types; throws on an unknown name. */
export function parseEventTypes(list: string): EventType[] {
	const types = new Set<EventType>();
	for (const raw of list.split(',')) {
		const name = raw.trim();
		if (!name) continue;
		const group = TYPE_GROUPS[name];
		if (group) group.forEach((t) => types.add(t));
		else if ((EVENT_TYPES as readonly string[]).includes(name)) types.add(name as EventType);
		else
			throw new SourceError(
				`unknown event type '${name.slice(0, 40)}': expected ${EVENT_TYPES.join(', ')} or a group (${Object.keys(TYPE_GROUPS).join(', ')})`
			);
	}
	if (types.size === 0) throw new SourceError('name at least one event type');
	return EVENT_TYPES.filter((t) => types.has(t));
}

export function newToken(): string {
	return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

const toSource = (r: SourceRow): Source => ({ name: r.name, eventTypes: r.event_types as EventType[], createdAt: r.created_at, revokedAt: r.revoked_at });

/** Issues a source and its token. The token is returned here and nowhere else. */
export async function addSource(db: Queryable, name: string, eventTypes: readonly EventType[]): Promise<{ source: Source; token: string }> {
	if (!SOURCE_NAME.test(name))
		throw new SourceError(`source name '${name.slice(0, 70)}' must be 1–63 lowercase letters, digits, '_', '.', '-', starting with a letter or digit`);
	if (eventTypes.length === 0) throw new SourceError('name at least one event type');
	const token = newToken();
	try {
		const row = await insertSource(db, { name, tokenSha256: hashToken(token), eventTypes });
		return { source: toSource(row), token };
	} catch (e) {
		if (sqlState(e) === '23505') throw new SourceError(`a source named '${name}' exists; revoke it first (tianshu source revoke ${name})`);
		throw e;
	}
}

export async function listSources(db: Queryable, options: { includeRevoked?: boolean } = {}): Promise<Source[]> {
	const rows = await selectSources(db, options.includeRevoked ?? false);
	return rows.map(toSource);
}

/** Revokes the active source of that name; its token stops working within the authenticator's cache time. */
export async function revokeSource(db: Queryable, name: string): Promise<Source> {
	const row = await revokeActiveSource(db, name);
	if (!row) throw new SourceError(`no active source named '${name.slice(0, 70)}'`);
	return toSource(row);
}

export interface GrantedSource {
	name: string;
	types: ReadonlySet<EventType>;
}

/**
 * Token → source, for the push endpoint. Answers (found or not) are cached for
 * `ttlMs`, so a revocation takes effect within that time and a flood of wrong
 * tokens costs one lookup each per window at most; the cache is bounded.
 */
export class SourceAuthenticator {
	private readonly cache = new Map<string, { at: number; source: GrantedSource | null }>();
	private readonly ttlMs: number;
	private readonly maxEntries: number;

	constructor(
		private readonly db: Queryable,
		options: { ttlMs?: number; maxEntries?: number } = {}
	) {
		this.ttlMs = options.ttlMs ?? 5000;
		this.maxEntries = options.maxEntries ?? 1000;
	}

	/** The source holding `token`, or null for a malformed, unknown or revoked token. Throws when the database cannot answer. */
	async authenticate(token: string): Promise<GrantedSource | null> {
		if (!TOKEN_SHAPE.test(token)) return null;
		const hash = hashToken(token);
		const now = Date.now();
		const hit = this.cache.get(hash);
		if (hit && now - hit.at < this.ttlMs) return hit.source;
		const row = await activeSourceByTokenHash(this.db, hash);
		const source = row ? { name: row.name, types: new Set(row.event_types as EventType[]) } : null;
		this.cache.delete(hash);
		if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
		this.cache.set(hash, { at: now, source });
		return source;
	}
}
