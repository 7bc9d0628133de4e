/**
 * Passwords: argon2id (@node-rs/argon2, its defaults: 19 MiB, 2 passes — the
 * OWASP minimum), a policy for new ones, and one-time passwords for the first
 * admin and for resets.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** Algorithm.Argon2id (a const enum the compiler cannot import under isolated modules). */
const ARGON2ID = 2 as Algorithm;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
	return hash(password, { algorithm: ARGON2ID });
}

/** Whether `password` matches the stored hash; a malformed hash is a mismatch. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	try {
		return await verify(stored, password);
	} catch {
		return false;
	}
}

/** A hash no password matches, verified for unknown names so their answer takes as long as a known one's. */
let decoy: Promise<string> | undefined;
export async function burnVerification(password: string): Promise<void> {
	decoy ??= hashPassword(randomBytes(24).toString('base64url'));
	await verifyPassword(await decoy, password);
}

/** Why a new password is refused (Chinese, shown on /account/password and by the CLI), or undefined. */
export function passwordProblem(password: string, name?: string): string | undefined {
	if (password.length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 个字符`;
	if (password.length > MAX_PASSWORD_LENGTH) return `密码最多 ${MAX_PASSWORD_LENGTH} 个字符`;
	if (new Set(password).size < 4) return '密码过于简单（重复字符过多）';
	if (name && password.toLowerCase().includes(name.toLowerCase())) return '密码不能包含用户名';
	return undefined;
}

/** A one-time password: 15 random bytes, 20 base64url characters (120 bits). */
export function oneTimePassword(): string {
	return randomBytes(15).toString('base64url');
}
