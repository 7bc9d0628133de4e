/**
 * The embedded warehouse's two accounts: a writer (ingest, migrations, seed, CLI)
 * and a reader (the web server). Their secrets are made once, at the first start,
 * and kept in an owner-only file in the data directory, where the other parts of
 * Tianshu on the same host read them.
 */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

export type WarehouseRole = 'reader' | 'writer';
export const ROLES: readonly WarehouseRole[] = ['reader', 'writer'];

/** Account names; the same names are used on a ClickHouse server (README, "Accounts and limits"). */
export const ACCOUNT_NAMES: Record<WarehouseRole, string> = { reader: 'tianshu_reader', writer: 'tianshu_writer' };

export const CREDENTIALS_FILE = 'credentials.json';

export interface Account {
	user: string;
	password: string;
}
export type Credentials = Record<WarehouseRole, Account>;

const AccountSchema = z.object({ user: z.string().min(1).max(64), password: z.string().min(32).max(256) });
const FileSchema = z.object({ version: z.literal(1), reader: AccountSchema, writer: AccountSchema });

export class CredentialsError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CredentialsError';
	}
}

export function credentialsPath(dataDir: string): string {
	return path.join(path.resolve(dataDir), CREDENTIALS_FILE);
}

/** Reads the credentials file; a missing file is `undefined`, an unsafe or damaged one an error that says what to do. */
export function readCredentials(dataDir: string): Credentials | undefined {
	const file = credentialsPath(dataDir);
	let text: string;
	try {
		// Group or others able to read it means the secrets may have leaked: refuse rather than use them.
		const mode = statSync(file).mode & 0o777;
		if ((mode & 0o077) !== 0) {
			throw new CredentialsError(
				`the warehouse credentials file ${file} is readable by others (mode ${mode.toString(8)}); ` +
					`run \`chmod 600 ${file}\`, or delete it to make new secrets at the next start`
			);
		}
		text = readFileSync(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		if (e instanceof CredentialsError) throw e;
		throw new CredentialsError(`cannot read the warehouse credentials file ${file}: ${(e as Error).message}`);
	}
	let parsed: z.infer<typeof FileSchema>;
	try {
		parsed = FileSchema.parse(JSON.parse(text));
	} catch {
		throw new CredentialsError(`the warehouse credentials file ${file} is damaged; delete it to make new secrets at the next start`);
	}
	return { reader: parsed.reader, writer: parsed.writer };
}

/**
 * The credentials of a data directory, made on first use. The file is written
 * whole under a temporary name and linked into place, so a crash never leaves a
 * half-written file and two starts at once agree on one set of secrets.
 */
export function ensureCredentials(dataDir: string): { credentials: Credentials; created: boolean } {
	const existing = readCredentials(dataDir);
	if (existing) return { credentials: existing, created: false };
	const secret = () => randomBytes(32).toString('base64url');
	const credentials: Credentials = {
		reader: { user: ACCOUNT_NAMES.reader, password: secret() },
		writer: { user: ACCOUNT_NAMES.writer, password: secret() }
	};
	const file = credentialsPath(dataDir);
	const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	const fd = openSync(temporary, 'wx', 0o600);
	try {
		writeSync(fd, `${JSON.stringify({ version: 1, ...credentials }, null, '\t')}\n`);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	try {
		linkSync(temporary, file);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		// Another start made them first: use those.
		const theirs = readCredentials(dataDir);
		if (!theirs) throw new CredentialsError(`the warehouse credentials file ${file} vanished while it was being made`);
		return { credentials: theirs, created: false };
	} finally {
		unlinkSync(temporary);
	}
	return { credentials, created: true };
}
