/**
 * Ingest benchmark: 1 M simulated events through `tianshu ingest --once` (every
 * step, dead letters, checkpoints, dedup tokens), against the warehouse's own
 * `INSERT … FORMAT JSONEachRow` of the same file into one wide table.
 * Goals: ≥ 200 k events/s, ratio ≥ 0.6; peak worker memory reported.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWarehouse } from '../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../src/lib/server/warehouse/config.ts';
import { spawnWarehouse, projectRoot, tianshuBin } from '../src/lib/server/warehouse/embedded/spawn.ts';
import { readMigrations } from '../src/lib/server/migrate/migration-files.ts';
import { migrate } from '../src/lib/server/migrate/migrator.ts';
import { seed } from '../src/lib/server/seed/seed.ts';

const EVENTS = 1_000_000;

function peakRssMiB(pid: number): number {
	try {
		const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) / 1024 : 0;
	} catch {
		return 0;
	}
}

export async function benchIngest(): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-bench-ingest-'));
	const warehouse = await spawnWarehouse(path.join(dir, 'warehouse'));
	const config = warehouseConfig({ ...warehouse.env, CLICKHOUSE_DATABASE: 'tianshu' });
	const admin = createWarehouse(warehouseConfig({ ...warehouse.env, CLICKHOUSE_DATABASE: 'default' }));
	const client = createWarehouse(config);
	try {
		await migrate({ admin, warehouse: client, database: 'tianshu', migrations: readMigrations(path.join(projectRoot, 'schema', 'migrations')) });
		await seed(client, path.join(projectRoot, 'ingest', 'reference'));

		// About 1 M events: 4 days at a mean of 3 events/s per … scaled until the file holds enough.
		const file = path.join(dir, 'feed.ndjson');
		const gen = spawn(
			process.execPath,
			[tianshuBin, 'simulate', '--seed', '1', '--rate', '3.2', '--from', '2026-11-09T00:00', '--to', '2026-11-13T00:00', '--out', file],
			{ cwd: projectRoot, stdio: 'ignore' }
		);
		await new Promise((r) => gen.on('exit', r));
		const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
		const mb = statSync(file).size / 1024 / 1024;
		console.log(`\n## Ingest — ${lines.toLocaleString('en')} simulated events, ${mb.toFixed(0)} MB\n`);

		// The worker, as a separate process, as in production.
		const t0 = performance.now();
		const worker = spawn(process.execPath, [tianshuBin, 'ingest', '--file', file, '--once'], {
			cwd: projectRoot,
			env: { ...process.env, ...warehouse.env, CLICKHOUSE_DATABASE: 'tianshu', LOG_LEVEL: 'warn' },
			stdio: 'ignore'
		});
		let peak = 0;
		const poll = setInterval(() => (peak = Math.max(peak, peakRssMiB(worker.pid!))), 100);
		const code = await new Promise<number | null>((r) => worker.on('exit', r));
		clearInterval(poll);
		const workerMs = performance.now() - t0;
		if (code !== 0) throw new Error(`the worker exited with ${code}`);
		const [{ n }] = (await (
			await client.query({
				query:
					'SELECT (SELECT count() FROM case_events) + (SELECT count() FROM reviews) + (SELECT count() FROM review_actions) + (SELECT count() FROM hotline_events) + (SELECT count() FROM indicator_values) + (SELECT count() FROM risk_warnings) AS n',
				format: 'JSONEachRow'
			})
		).json<{ n: number }>()) as [{ n: number }];
		if (n !== lines) throw new Error(`expected ${lines} stored events, found ${n}`);

		// The warehouse's own insert of the same bytes into one wide table.
		await client.command({
			query: `CREATE TABLE bench_raw (type LowCardinality(String), event_id String, case_id String, review_id String, ticket_id String, action_id String,
			        status LowCardinality(String), ts String, release_ts String, adcode UInt32, department LowCardinality(String), item_code LowCardinality(String),
			        item_name LowCardinality(String), channel LowCardinality(String), promised_days UInt16, trips UInt8, rating UInt8, tags Array(String), comment String,
			        indicator LowCardinality(String), period String, value Float64) ENGINE = MergeTree ORDER BY tuple()`
		});
		const t1 = performance.now();
		const res = await client.exec({
			query: 'INSERT INTO bench_raw FORMAT JSONEachRow',
			values: createReadStream(file),
			clickhouse_settings: { input_format_skip_unknown_fields: 1 }
		});
		for await (const _ of res.stream) {
			// drain
		}
		const rawMs = performance.now() - t1;

		const rate = (ms: number) => `${Math.round((lines / ms) * 1000).toLocaleString('en')} events/s`;
		const ratio = rawMs / workerMs;
		console.log('| measure | value | goal |');
		console.log('|---|---|---|');
		console.log(
			`| tianshu ingest --once (parse, validate, enrich, route, dead letters, checkpoints) | ${(workerMs / 1000).toFixed(1)} s · ${rate(workerMs)} | ≥ 200,000 events/s ${(lines / workerMs) * 1000 >= 200_000 ? '✓' : '✗'} |`
		);
		console.log(`| INSERT … FORMAT JSONEachRow of the same file (warehouse alone) | ${(rawMs / 1000).toFixed(1)} s · ${rate(rawMs)} | |`);
		console.log(`| ratio (worker / warehouse alone) | ${ratio.toFixed(2)} | ≥ 0.60 ${ratio >= 0.6 ? '✓' : '✗'} |`);
		console.log(`| worker peak resident memory | ${peak.toFixed(0)} MiB | bounded |`);
	} finally {
		await client.close();
		await admin.close();
		await warehouse.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
