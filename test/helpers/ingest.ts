import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { readMigrations } from '../../src/lib/server/migrate/migration-files.ts';
import { migrate } from '../../src/lib/server/migrate/migrator.ts';
import { seed } from '../../src/lib/server/seed/seed.ts';
import { projectRoot, tianshuBin } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { Simulator } from '../../ingest/simulator/simulator.ts';
import { loadScope } from '../../ingest/simulator/sim-regions.ts';
import { parseTimestamp } from '../../ingest/contract/events.ts';
import { freshDatabase } from './warehouse.ts';

/** A fresh database with the schema and reference data, ready for ingest. */
export async function ingestDatabase(prefix: string) {
	const db = await freshDatabase(prefix);
	await migrate({ admin: db.admin, warehouse: db.warehouse, database: db.database, migrations: readMigrations(path.join(projectRoot, 'schema', 'migrations')) });
	await seed(db.warehouse, path.join(projectRoot, 'ingest', 'reference'));
	return db;
}

/** Writes the simulator's events for [from, to) to `file`; returns the events too. */
export async function simulateToFile(file: string, options: { seed: number; rate: number; from: string; to: string }): Promise<Array<Record<string, unknown>>> {
	const { regions, economies } = loadScope(path.join(projectRoot, 'ingest', 'reference'), 0, options.seed);
	const sim = new Simulator({ seed: options.seed, rate: options.rate }, regions, economies, parseTimestamp(options.from));
	const events = [...sim.advance(parseTimestamp(options.to))];
	const out = createWriteStream(file);
	for (let i = 0; i < events.length; i += 10_000) out.write(events.slice(i, i + 10_000).map((e) => `${JSON.stringify(e)}\n`).join(''));
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
