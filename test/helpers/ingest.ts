import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { inject } from 'vitest';
import { readMigrations } from '../../src/lib/server/migrate/migration-files.ts';
import { migrate } from '../../src/lib/server/migrate/migrator.ts';
import { seed } from '../../src/lib/server/seed/seed.ts';
import { projectRoot, tianshuBin } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { Simulator } from '../../ingest/simulator/simulator.ts';
import { loadScope } from '../../ingest/simulator/sim-regions.ts';
import { parseTimestamp } from '../../src/lib/time/timestamps.ts';
import { createWarehouse } from '../../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../../src/lib/server/warehouse/config.ts';
import { freshDatabase } from './warehouse.ts';

/** A fresh database with the schema of every migration, no reference data. */
export async function migratedDatabase(prefix: string) {
	const db = await freshDatabase(prefix);
	// The migrated schema copied from the run's template (./schema-template.ts): a third of a migrate's time.
	for (const query of inject('schemaTemplate')) await db.warehouse.command({ query });
	return db;
}

/** A fresh database with the schema and reference data, ready for ingest. */
export async function ingestDatabase(prefix: string) {
	const db = await migratedDatabase(prefix);
	await seed(db.warehouse, path.join(projectRoot, 'ingest', 'reference'));
	return db;
}

/** Writes the simulator's events for [from, to) to `file`; returns the events too. */
export async function simulateToFile(file: string, options: { seed: number; rate: number; from: string; to: string }): Promise<Array<Record<string, unknown>>> {
	const { regions, economies } = loadScope(path.join(projectRoot, 'ingest', 'reference'), 0, options.seed);
	const sim = new Simulator({ seed: options.seed, rate: options.rate }, regions, economies, parseTimestamp(options.from));
	const events = [...sim.advance(parseTimestamp(options.to))];
	const out = createWriteStream(file);
	for (let i = 0; i < events.length; i += 10_000)
		out.write(
			events
				.slice(i, i + 10_000)
				.map((e) => `${JSON.stringify(e)}\n`)
				.join('')
		);
	await new Promise<void>((r) => out.end(r));
	return events;
}

export interface IngestRun {
	child: ChildProcess;
	done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
}

/** Runs `tianshu ingest` against a test database (`env`: e.g. DATABASE_URL of the app database, for --http). */
export function runIngest(database: string, args: string[], env: Record<string, string> = {}): IngestRun {
	const child = spawn(process.execPath, [tianshuBin, 'ingest', ...args], {
		cwd: projectRoot,
		env: { ...process.env, CLICKHOUSE_URL: inject('warehouseUrl'), CLICKHOUSE_DATABASE: database, LOG_LEVEL: 'info', ...env },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (d) => (stdout += d));
	child.stderr!.on('data', (d) => (stderr += d));
	const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))
	);
	return { child, done };
}

/** A free TCP port on loopback (a warehouse restarted on the same data directory keeps its address). */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

export interface OwnWarehouse {
	url: string;
	/** What a child process (tianshu ingest) needs to reach it. */
	env: { CLICKHOUSE_URL: string; TIANSHU_WAREHOUSE_DATA: string };
	child: ChildProcess;
	/** kill -9, resolving once the process is gone (so its lock is free). */
	kill9(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * A warehouse of a test's own, on a fixed port, so it can be killed and started
 * again on the same data directory without disturbing the run's shared one.
 */
export function startWarehouseAt(dir: string, port: number, timeoutMs = 60_000): Promise<OwnWarehouse> {
	const child = spawn(process.execPath, [tianshuBin, 'warehouse', '--data', dir, '--port', String(port)], {
		cwd: projectRoot,
		env: { ...process.env, TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB: '1' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stderr = '';
	child.stderr!.on('data', (d) => (stderr += d));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `http://127.0.0.1:${port}`;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`warehouse not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
		void exited.then(() => {
			clearTimeout(timer);
			reject(new Error(`warehouse exited before it was ready: ${stderr}`));
		});
		createInterface({ input: child.stdout! }).on('line', (line) => {
			if (!line.includes('"warehouse ready"')) return;
			clearTimeout(timer);
			resolve({
				url,
				env: { CLICKHOUSE_URL: url, TIANSHU_WAREHOUSE_DATA: path.resolve(dir) },
				child,
				async kill9() {
					child.kill('SIGKILL');
					await exited;
				},
				async stop() {
					child.kill('SIGTERM');
					await exited;
				}
			});
		});
	});
}

/** A fresh database with the schema and reference data on a warehouse of the test's own. */
export async function ingestDatabaseOn(own: OwnWarehouse, prefix: string) {
	const database = `${prefix}_${randomBytes(4).toString('hex')}`;
	const config = warehouseConfig({ ...own.env, CLICKHOUSE_DATABASE: database });
	const admin = createWarehouse(warehouseConfig({ ...own.env, CLICKHOUSE_DATABASE: 'default' }));
	await admin.command({ query: `CREATE DATABASE ${database}` });
	const warehouse = createWarehouse(config);
	await migrate({ admin, warehouse, database, migrations: readMigrations(path.join(projectRoot, 'schema', 'migrations')) });
	await seed(warehouse, path.join(projectRoot, 'ingest', 'reference'));
	return {
		database,
		warehouse,
		async close() {
			await Promise.all([warehouse.close(), admin.close()]);
		}
	};
}

/** Runs `tianshu <args>` against a test database on the run's warehouse; resolves with its exit code and output. */
export function runTianshu(
	database: string,
	args: string[],
	env: Record<string, string> = {}
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const child = spawn(process.execPath, [tianshuBin, ...args], {
		cwd: projectRoot,
		env: { ...process.env, CLICKHOUSE_URL: inject('warehouseUrl'), CLICKHOUSE_DATABASE: database, LOG_LEVEL: 'warn', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (d) => (stdout += d));
	child.stderr!.on('data', (d) => (stderr += d));
	return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
