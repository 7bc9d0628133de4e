/**
 * Session and wall tokens: 32 random bytes (base64url), of which the database
 * keeps only the sha256 — a hash of a 256-bit random secret cannot be guessed
 * back, so no slow hash is needed.
 */
import { createHash, randomBytes } from 'node:crypto';

/** 43 base64url characters after an optional prefix. */
export const TOKEN_BODY = /^[A-Za-z0-9_-]{43}$/;

export function newToken(prefix = ''): string {
	return prefix + randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Whether `token` has the shape of one issued with `prefix` (anything else is refused without a lookup). */
export function wellFormed(token: string, prefix = ''): boolean {
	return token.startsWith(prefix) && TOKEN_BODY.test(token.slice(prefix.length));
}
