/**
 * The one place in Tianshu that loads chDB. It owns the data directory, keeps a
 * pool of native connections to it, and runs queries, streams and raw inserts.
 *
 * Why the native addon rather than chdb's public API: `param_*` values arrive from
 * HTTP already in ClickHouse's escaped text form and must reach the binder
 * verbatim; chdb's `queryBind` escapes them a second time. The addon's binder is
 * not public, so `chdb` is pinned to an exact version in package.json and the
 * integration tests cover every parameter type we rely on.
 *
 * Why connections keyed by (database, settings): a per-query setting sent as a URL
 * parameter must apply to that query only. chDB keeps settings per connection, so
 * each distinct set gets its own connections, configured once with `SET` (the
 * engine validates names and values exactly as a server does). Connections on one
 * directory run in parallel; each runs one operation at a time.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, WarehouseError, toWarehouseError } from './errors.ts';

type Handle = unknown;
interface RawResult {
	bytes: Uint8Array;
	elapsed: number;
	rowsRead: number;
	bytesRead: number;
}
interface RawInsertResult {
	elapsed: number;
	rowsWritten: number;
	bytesWritten: number;
	rowsSent?: number;
}
interface StreamChunk {
	done: boolean;
	bytes: Uint8Array;
	numRows: number;
}
interface ChdbNative {
	CreateConnection(dir: string, args?: string[]): Handle;
	CloseConnection(h: Handle): void;
	QueryAsyncConnection(h: Handle, sql: string, format: string, params?: Record<string, string>): Promise<RawResult>;
	InsertRawAsyncConnection(h: Handle, prefix: string, data: Buffer, countLines: boolean): Promise<RawInsertResult>;
	StreamQuery(h: Handle, sql: string, format: string, params?: Record<string, string>): Handle;
	StreamFetch(s: Handle): Promise<StreamChunk>;
	StreamCancel(s: Handle): void;
}

export interface Target {
	database: string;
	/** Settings for this query only, by ClickHouse name; values as sent over HTTP. */
	settings: Record<string, string>;
}

export interface QueryResult {
	body: Uint8Array;
	rowsRead: number;
	bytesRead: number;
	elapsedNs: number;
}

export interface InsertSummary {
	rowsWritten: number;
	bytesWritten: number;
	rowsRead: number;
	bytesRead: number;
	elapsedNs: number;
}

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

async function loadNative(): Promise<{ native: ChdbNative; version: string }> {
	// Lazy, never at module load: a worker thread that loaded libchdb crashes on
	// exit (SvelteKit's build analyses server modules in one).
	const require = createRequire(import.meta.url);
	const chdbDir = path.dirname(require.resolve('chdb'));
	const native = require(path.join(chdbDir, 'dist', 'loader.js')).loadNative() as ChdbNative;
	const pkg = JSON.parse(readFileSync(path.join(chdbDir, 'package.json'), 'utf8')) as { version: string };
	return { native, version: pkg.version };
}

/** Reads ClickHouse's `status` file in a data directory: the PID of the process that holds it. */
export function directoryHolder(dir: string): { pid: number; startedAt: string } | undefined {
	const file = path.join(dir, 'status');
	if (!existsSync(file)) return undefined;
	const text = readFileSync(file, 'utf8');
	const pid = Number(/PID:\s*(\d+)/.exec(text)?.[1]);
	if (!Number.isInteger(pid) || pid <= 0) return undefined;
	try {
		process.kill(pid, 0);
	} catch (e) {
		// ESRCH: a stale file left by a killed holder; chDB reclaims it on open.
		if ((e as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
	}
	return { pid, startedAt: /Started at:\s*(.+)/.exec(text)?.[1]?.trim() ?? 'unknown' };
}

export class DirectoryLockedError extends Error {
	constructor(
		readonly dir: string,
		readonly holderPid: number | undefined
	) {
		super(
			holderPid
				? `warehouse data directory ${dir} is locked by process ${holderPid} (lock file ${path.join(dir, 'status')}); ` +
						`stop that process or choose another directory with --data`
				: `warehouse data directory ${dir} could not be opened: another process holds its lock (${path.join(dir, 'status')})`
		);
		this.name = 'DirectoryLockedError';
	}
}

/** One native connection that runs one operation at a time. */
class Connection {
	closed = false;
	constructor(readonly handle: Handle) {}
}

class Lease {
	constructor(
		readonly connection: Connection,
		readonly release: () => void
	) {}
}

/** Connections for one (database, settings) key. */
class Pool {
	readonly idle: Connection[] = [];
	size = 0;
	readonly waiters: Array<(c: Connection) => void> = [];
	lastUsed = Date.now();
	constructor(
		readonly key: string,
		readonly target: Target
	) {}
}

export interface EngineOptions {
	/** Connections per (database, settings) key. */
	connectionsPerKey?: number;
	/** Distinct keys kept open; the least recently used idle ones are closed past this. */
	maxKeys?: number;
}

export class ChdbEngine {
	private readonly pools = new Map<string, Pool>();
	private closing = false;
	private readonly inFlight = new Set<Promise<unknown>>();

	private constructor(
		readonly dir: string,
		private readonly native: ChdbNative,
		readonly chdbVersion: string,
		readonly engineVersion: string,
		private readonly options: Required<EngineOptions>
	) {}

	static async open(dir: string, options: EngineOptions = {}): Promise<ChdbEngine> {
		const absolute = path.resolve(dir);
		const holder = directoryHolder(absolute);
		if (holder && holder.pid !== process.pid) throw new DirectoryLockedError(absolute, holder.pid);
		const { native, version } = await loadNative();
		let probe: Handle;
		try {
			probe = native.CreateConnection(absolute);
		} catch {
			throw new DirectoryLockedError(absolute, directoryHolder(absolute)?.pid);
		}
		const r = await native.QueryAsyncConnection(probe, 'SELECT version()', 'TabSeparated');
		const engineVersion = Buffer.from(r.bytes).toString('utf8').trim();
		const engine = new ChdbEngine(absolute, native, version, engineVersion, {
			connectionsPerKey: options.connectionsPerKey ?? 4,
			maxKeys: options.maxKeys ?? 32
		});
		// The probe becomes the first default connection.
		const pool = engine.poolFor({ database: 'default', settings: {} });
		pool.size = 1;
		pool.idle.push(new Connection(probe));
		return engine;
	}

	/** Runs a statement and returns its whole result. */
	async query(sql: string, format: string, target: Target, params?: Record<string, string>): Promise<QueryResult> {
		return this.withConnection(target, async (c) => {
			const r = await this.native.QueryAsyncConnection(c.handle, sql, format, params).catch((e) => {
				throw toWarehouseError(e);
			});
			return { body: r.bytes, rowsRead: r.rowsRead, bytesRead: r.bytesRead, elapsedNs: Math.round(r.elapsed * 1e9) };
		});
	}

	/**
	 * Starts a streamed SELECT. Returns undefined when the statement is not a
	 * streamable query (DDL, INSERT … SELECT, SET …): run it with `query` instead.
	 * The first chunk is fetched before returning, so most errors surface before
	 * any response byte is sent.
	 */
	async stream(
		sql: string,
		format: string,
		target: Target,
		params?: Record<string, string>
	): Promise<AsyncGenerator<Uint8Array, { rowsRead: number }> | undefined> {
		const lease = await this.lease(target);
		let handle: Handle;
		try {
			handle = this.native.StreamQuery(lease.connection.handle, sql, format, params);
		} catch (e) {
			lease.release();
			const err = toWarehouseError(e);
			if (err.code === ErrorCode.BAD_ARGUMENTS && /Streaming query is not supported/.test(err.message)) return undefined;
			throw err;
		}
		let first: StreamChunk;
		try {
			first = await this.track(this.native.StreamFetch(handle));
		} catch (e) {
			this.cancelStream(handle);
			lease.release();
			throw toWarehouseError(e);
		}
		const native = this.native;
		const self = this;
		async function* chunks(): AsyncGenerator<Uint8Array, { rowsRead: number }> {
			let rows = 0;
			let chunk = first;
			try {
				while (!chunk.done) {
					rows += chunk.numRows;
					if (chunk.bytes.length > 0) yield chunk.bytes;
					chunk = await self.track(native.StreamFetch(handle)).catch((e) => {
						throw toWarehouseError(e);
					});
				}
				return { rowsRead: rows };
			} finally {
				// Runs on completion, error, and when the consumer stops early (client gone).
				self.cancelStream(handle);
				lease.release();
			}
		}
		return chunks();
	}

	/**
	 * Inserts a payload in a text format. `prefix` is the INSERT statement up to and
	 * including `FORMAT <name>`.
	 */
	async insert(prefix: string, payload: Buffer, lineDelimited: boolean, target: Target): Promise<InsertSummary> {
		return this.withConnection(target, async (c) => {
			const r = await this.native.InsertRawAsyncConnection(c.handle, prefix, payload, lineDelimited).catch((e) => {
				throw toWarehouseError(e);
			});
			return {
				rowsWritten: r.rowsWritten,
				bytesWritten: r.bytesWritten,
				rowsRead: r.rowsSent ?? r.rowsWritten,
				bytesRead: payload.length,
				elapsedNs: Math.round(r.elapsed * 1e9)
			};
		});
	}

	/** Waits for running operations, then closes every connection. */
	async close(): Promise<void> {
		this.closing = true;
		await Promise.allSettled([...this.inFlight]);
		for (const pool of this.pools.values()) {
			for (const c of pool.idle) this.closeConnection(c);
			pool.idle.length = 0;
		}
		this.pools.clear();
	}

	private cancelStream(handle: Handle): void {
		try {
			this.native.StreamCancel(handle);
		} catch {
			// already finished or cancelled
		}
	}

	private track<T>(p: Promise<T>): Promise<T> {
		this.inFlight.add(p);
		const done = () => this.inFlight.delete(p);
		p.then(done, done);
		return p;
	}

	private async withConnection<T>(target: Target, fn: (c: Connection) => Promise<T>): Promise<T> {
		const lease = await this.lease(target);
		try {
			return await this.track(fn(lease.connection));
		} finally {
			lease.release();
		}
	}

	private keyOf(target: Target): string {
		const settings = Object.entries(target.settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return JSON.stringify([target.database, settings]);
	}

	private poolFor(target: Target): Pool {
		const key = this.keyOf(target);
		let pool = this.pools.get(key);
		if (!pool) {
			pool = new Pool(key, target);
			this.pools.set(key, pool);
			this.evictIdlePools();
		}
		pool.lastUsed = Date.now();
		return pool;
	}

	private evictIdlePools(): void {
		if (this.pools.size <= this.options.maxKeys) return;
		const idle = [...this.pools.values()].filter((p) => p.idle.length === p.size && p.waiters.length === 0).sort((a, b) => a.lastUsed - b.lastUsed);
		for (const pool of idle) {
			if (this.pools.size <= this.options.maxKeys) break;
			for (const c of pool.idle) this.closeConnection(c);
			this.pools.delete(pool.key);
		}
	}

	private async lease(target: Target): Promise<Lease> {
		if (this.closing) throw new WarehouseError(ErrorCode.UNKNOWN_EXCEPTION, 'the warehouse is shutting down');
		const pool = this.poolFor(target);
		let connection = pool.idle.pop();
		if (!connection) {
			if (pool.size < this.options.connectionsPerKey) {
				pool.size++;
				try {
					connection = await this.connect(pool.target);
				} catch (e) {
					pool.size--;
					if (pool.size === 0) this.pools.delete(pool.key);
					throw e;
				}
			} else {
				connection = await new Promise<Connection>((resolve) => pool.waiters.push(resolve));
			}
		}
		const leased = connection;
		let released = false;
		return new Lease(leased, () => {
			if (released) return;
			released = true;
			const next = pool.waiters.shift();
			if (next) next(leased);
			else pool.idle.push(leased);
		});
	}

	private async connect(target: Target): Promise<Connection> {
		if (!DATABASE_NAME.test(target.database)) {
			throw new WarehouseError(ErrorCode.UNKNOWN_DATABASE, `Database ${JSON.stringify(target.database)} does not exist`);
		}
		for (const [name, value] of Object.entries(target.settings)) {
			if (!SETTING_NAME.test(name)) throw new WarehouseError(ErrorCode.UNKNOWN_SETTING, `Unknown setting '${name}'`);
			if (value.includes('\0')) throw new WarehouseError(ErrorCode.BAD_ARGUMENTS, `Setting '${name}' contains a NUL byte`);
		}
		const handle = this.native.CreateConnection(this.dir);
		const connection = new Connection(handle);
		try {
			// chDB ignores --database at connect; USE sets it for this connection only.
			if (target.database !== 'default') await this.native.QueryAsyncConnection(handle, `USE ${target.database}`, 'TabSeparated');
			for (const [name, value] of Object.entries(target.settings)) {
				await this.native.QueryAsyncConnection(handle, `SET ${name} = ${quoteString(value)}`, 'TabSeparated');
			}
		} catch (e) {
			this.closeConnection(connection);
			throw toWarehouseError(e);
		}
		return connection;
	}

	private closeConnection(c: Connection): void {
		if (c.closed) return;
		c.closed = true;
		try {
			this.native.CloseConnection(c.handle);
		} catch {
			// best effort at shutdown
		}
	}
}

/** A ClickHouse string literal; used only for setting values in SET, which cannot take a placeholder. */
export function quoteString(value: string): string {
	return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
