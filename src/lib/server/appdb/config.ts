/**
 * Where the app database is. Like the warehouse: without DATABASE_URL, the
 * embedded one (PGlite served on loopback by `tianshu appdb`), found through its
 * data directory — the port it listens on and its generated password are files
 * there, readable by the owner only. With DATABASE_URL, any PostgreSQL server.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processEnv, type Env } from '../config.ts';

export const DEFAULT_APPDB_DATA = './data/appdb';
export const DEFAULT_APPDB_PORT = 5439;
/** PGlite has one role and one database. */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_DATABASE = 'postgres';

/** Files in the embedded app database's data directory. */
export const appDbFiles = (dir: string) => ({
	/** PGlite's own files. */
	pgdata: path.join(dir, 'pg'),
	/** The generated password (mode 0600). */
	password: path.join(dir, 'password'),
	/** `{ port, pid }` while the server runs. */
	server: path.join(dir, 'server.json'),
	/** The pid of the process that owns the directory. */
	lock: path.join(dir, 'appdb.pid')
});

export class AppDbConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AppDbConfigError';
	}
}

export interface AppDbConfig {
	/** Connection string, password included: never log it (see `redactUrl`). */
	url: string;
	embedded: boolean;
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return '(unparsable URL)';
	}
}

/** The connection URL of the embedded app database whose data directory is `dir`. */
export function embeddedUrl(port: number, password: string): string {
	return `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

/** True while process `pid` exists (EPERM: it exists, under another user). */
export function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Reads DATABASE_URL, or finds the running embedded app database through TIANSHU_APPDB_DATA (default ./data/appdb). */
export function appDbConfig(env: Env = processEnv()): AppDbConfig {
	const given = env.DATABASE_URL?.trim();
	if (given) {
		let u: URL;
		try {
			u = new URL(given);
		} catch {
			throw new AppDbConfigError('DATABASE_URL: must be a postgres:// URL, e.g. postgres://tianshu:secret@db.internal:5432/tianshu');
		}
		if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new AppDbConfigError(`DATABASE_URL: must be a postgres:// URL, not ${u.protocol}//`);
		return { url: given, embedded: false };
	}
	const dir = path.resolve(env.TIANSHU_APPDB_DATA || DEFAULT_APPDB_DATA);
	const files = appDbFiles(dir);
	if (!existsSync(files.server) || !existsSync(files.password))
		throw new AppDbConfigError(`the app database in ${dir} is not running (start it with \`tianshu appdb\` or \`npm start\`, or set DATABASE_URL)`);
	let server: { port: number; pid: number };
	try {
		server = JSON.parse(readFileSync(files.server, 'utf8')) as { port: number; pid: number };
	} catch (e) {
		throw new AppDbConfigError(`cannot read ${files.server}: ${(e as Error).message}`);
	}
	const port = server.port;
	if (!Number.isInteger(port) || port < 1 || port > 65535) throw new AppDbConfigError(`${files.server} names no valid port`);
	// A process killed hard leaves the file behind: say so rather than "connection refused".
	if (Number.isInteger(server.pid) && server.pid > 0 && !processAlive(server.pid))
		throw new AppDbConfigError(
			`the app database in ${dir} is not running (its process ${server.pid} is gone; start it with \`tianshu appdb\` or \`npm start\`, or set DATABASE_URL)`
		);
	return { url: embeddedUrl(port, readFileSync(files.password, 'utf8').trim()), embedded: true };
}
