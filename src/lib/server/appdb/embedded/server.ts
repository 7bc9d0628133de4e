/**
 * The embedded app database: one process owns a PGlite data directory and
 * serves the PostgreSQL protocol on 127.0.0.1 behind a generated password
 * (see password-gate.ts). The port and password are written to owner-only files
 * in the data directory, where every other process of the checkout finds them.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { appDbFiles, embeddedUrl, processAlive } from '../config.ts';
import { createPasswordGate } from './password-gate.ts';

export class AppDbLockedError extends Error {
	constructor(
		readonly dir: string,
		readonly holderPid: number
	) {
		super(`the app database directory ${dir} is in use by process ${holderPid}; only one process may own it`);
	}
}

export interface EmbeddedAppDb {
	/** The connection URL, password included. */
	url: string;
	port: number;
	dir: string;
	close(): Promise<void>;
}

/** Takes the directory for this process, or throws naming the live owner. A stale lock (its process gone) is taken over. */
function lockDirectory(dir: string, lockFile: string): void {
	try {
		writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
		return;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
	}
	const holder = Number(readFileSync(lockFile, 'utf8').trim());
	if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) throw new AppDbLockedError(dir, holder);
	writeFileSync(lockFile, String(process.pid), { mode: 0o600 });
}

/** The password of the directory, generated at first start. */
function passwordOf(file: string): string {
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	const password = randomBytes(24).toString('base64url');
	writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
	return password;
}

export async function openEmbeddedAppDb(options: {
	dir: string;
	port: number;
	host?: string;
	maxConnections?: number;
	onRefused?: (why: string, remote: string) => void;
}): Promise<EmbeddedAppDb> {
	const dir = path.resolve(options.dir);
	const files = appDbFiles(dir);
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	chmodSync(dir, 0o700);
	lockDirectory(dir, files.lock);
	const maxConnections = options.maxConnections ?? 64;
	// PGlite's trusting socket lives in the owner-only data directory (a stale one from a killed run is
	// ours to remove: we hold the lock), or in a private temporary directory when that path is too long for a socket.
	const inData = path.join(dir, '.s.pglite');
	const socketDir = Buffer.byteLength(inData) <= 100 ? undefined : mkdtempSync(path.join(tmpdir(), 'tianshu-appdb-'));
	const backendPath = socketDir ? path.join(socketDir, 's') : inData;
	rmSync(backendPath, { force: true });
	const removeSocket = () => rmSync(socketDir ?? backendPath, { recursive: true, force: true });
	let db: PGlite | undefined;
	let inner: PGLiteSocketServer | undefined;
	try {
		const password = passwordOf(files.password);
		db = await PGlite.create(files.pgdata);
		inner = new PGLiteSocketServer({ db, path: backendPath, maxConnections: maxConnections + 1 });
		await inner.start();
		const gate = createPasswordGate({ password, backendPath, maxConnections, onRefused: options.onRefused });
		await new Promise<void>((resolve, reject) => {
			gate.once('error', reject);
			gate.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
		});
		const port = (gate.address() as AddressInfo).port;
		writeFileSync(files.server, `${JSON.stringify({ port, pid: process.pid })}\n`, { mode: 0o600 });
		const [pgDb, pgInner] = [db, inner];
		return {
			url: embeddedUrl(port, password),
			port,
			dir,
			async close() {
				rmSync(files.server, { force: true });
				// No new clients; stopping the inner server ends every joined connection (the gate's side follows),
				// and a client still in its handshake gets at most 2 s.
				const gateClosed = new Promise<void>((resolve) => {
					gate.close(() => resolve());
					setTimeout(resolve, 2000).unref();
				});
				await pgInner.stop();
				await gateClosed;
				await pgDb.close();
				removeSocket();
				rmSync(files.lock, { force: true });
			}
		};
	} catch (e) {
		await inner?.stop().catch(() => {});
		await db?.close().catch(() => {});
		removeSocket();
		rmSync(files.lock, { force: true });
		throw e;
	}
}
