/**
 * The one way every process talks to the app database: a small `pg` pool with
 * typed helpers. Values always travel as bound parameters ($1, $2, …).
 */
import pg from 'pg';
import { setting } from '../config.ts';

/** What a query can run on: the pool, or one connection inside a transaction. */
export interface Queryable {
	query<T>(text: string, values?: readonly unknown[]): Promise<T[]>;
	/** The single row a query returns, or undefined. */
	one<T>(text: string, values?: readonly unknown[]): Promise<T | undefined>;
}

export interface AppDb extends Queryable {
	/** Runs `fn` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
	close(): Promise<void>;
	readonly pool: pg.Pool;
}

export interface AppDbOptions {
	/** Connections per process (default 4; the embedded server serves 64 in all). */
	max?: number;
	/** Client-side limit on one query, ms. */
	queryTimeoutMs?: number;
}

function queryable(run: (text: string, values?: readonly unknown[]) => Promise<pg.QueryResult>): Queryable {
	return {
		async query<T>(text: string, values?: readonly unknown[]) {
			return (await run(text, values)).rows as T[];
		},
		async one<T>(text: string, values?: readonly unknown[]) {
			return (await run(text, values)).rows[0] as T | undefined;
		}
	};
}

export function createAppDb(url: string, options: AppDbOptions = {}): AppDb {
	const pool = new pg.Pool({
		connectionString: url,
		max: options.max ?? setting('TIANSHU_APPDB_POOL'),
		idleTimeoutMillis: 10_000,
		connectionTimeoutMillis: 10_000,
		query_timeout: options.queryTimeoutMs ?? 30_000,
		application_name: 'tianshu',
		// Idle connections do not keep a finished command alive.
		allowExitOnIdle: true
	});
	// An idle connection that breaks (server restart) must not crash the process; the pool replaces it.
	pool.on('error', () => {});
	return {
		pool,
		...queryable((text, values) => pool.query(text, values as unknown[])),
		async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				const result = await fn(queryable((text, values) => client.query(text, values as unknown[])));
				await client.query('COMMIT');
				return result;
			} catch (e) {
				await client.query('ROLLBACK').catch(() => {});
				throw e;
			} finally {
				client.release();
			}
		},
		close: () => pool.end()
	};
}

/** PostgreSQL's SQLSTATE of an error from `pg`, e.g. '23505' (unique violation). */
export function sqlState(e: unknown): string | undefined {
	return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}
