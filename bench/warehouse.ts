/**
 * Embedded-warehouse benchmark: what the HTTP layer costs on top of chDB.
 *
 * - insert throughput of 1 M rows (the same JSONEachRow bytes) through the
 *   embedded warehouse with @clickhouse/client, vs chDB directly in-process;
 *   goal: ratio ≥ 0.7
 * - `SELECT 1` round trip through the client, p50/p95; goal: p50 < 2 ms
 *
 * Each side gets its own temporary data directory (chDB binds one per process).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createWarehouse } from '../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../src/lib/server/warehouse/config.ts';
import { spawnWarehouse } from '../src/lib/server/warehouse/embedded/spawn.ts';
import { durations, percentile } from './measure.ts';

const ROWS = 1_000_000;
const TABLE_DDL = `CREATE TABLE bench_rows (id UInt32, adcode UInt32, item_code LowCardinality(String), channel LowCardinality(String), ts DateTime64(3, 'UTC'), value Float64)
ENGINE = MergeTree ORDER BY (adcode, ts)`;

function payload(): Buffer {
	const channels = ['counter', 'web', 'mobile', 'kiosk', 'hotline'];
	const lines: string[] = new Array(ROWS);
	const t0 = Date.UTC(2026, 10, 1);
	for (let i = 0; i < ROWS; i++) {
		lines[i] = JSON.stringify({
			id: i,
			adcode: 440100 + (i % 21) * 100,
			item_code: `item-${i % 500}`,
			channel: channels[i % 5],
			ts: new Date(t0 + i * 1000).toISOString().replace('T', ' ').replace('Z', ''),
			value: (i % 1000) / 10
		});
	}
	return Buffer.from(lines.join('\n') + '\n');
}

/**
 * A do-nothing HTTP server in another process that answers like ClickHouse: the
 * floor of a round trip through @clickhouse/client on this machine.
 */
async function floorServer(): Promise<{ url: string; stop: () => void }> {
	const code = `require('http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, { 'content-type': 'application/x-ndjson' }); s.end('{"1":1}\\n'); }); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
	const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
	const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d).trim())));
	return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function best<T>(runs: number, fn: (i: number) => Promise<T>): Promise<number> {
	let bestMs = Infinity;
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await fn(i);
		bestMs = Math.min(bestMs, performance.now() - t);
	}
	return bestMs;
}

export async function benchWarehouse(): Promise<void> {
	const body = payload();
	const mb = body.length / 1024 / 1024;
	console.log(`\n## Embedded warehouse — ${ROWS.toLocaleString('en')} rows, ${mb.toFixed(1)} MB of JSONEachRow\n`);

	// chDB directly, in this process.
	const directDir = mkdtempSync(path.join(tmpdir(), 'tianshu-bench-direct-'));
	const { Session } = await import('chdb');
	const session = new Session(directDir);
	session.query(TABLE_DDL);
	const directMs = await best(3, async () => {
		session.query('TRUNCATE TABLE bench_rows');
		await session.insert({ table: 'bench_rows', values: body, format: 'JSONEachRow' });
	});
	const engineTimes = await durations(2000, () => session.queryAsync('SELECT 1', { format: 'JSONEachRow' }), 200);
	session.close();
	rmSync(directDir, { recursive: true, force: true });
	const floor = await floorServer();
	const floorClient = createWarehouse(warehouseConfig({ CLICKHOUSE_URL: floor.url }));
	const floorTimes = await durations(2000, async () => (await floorClient.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json(), 200);
	await floorClient.close();
	floor.stop();

	// Through the embedded warehouse, as every part of Tianshu talks to it.
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-bench-warehouse-'));
	const warehouse = await spawnWarehouse(dir);
	const client = createWarehouse(warehouseConfig({ ...warehouse.env, CLICKHOUSE_DATABASE: 'default' }));
	try {
		await client.command({ query: TABLE_DDL });
		const httpMs = await best(3, async () => {
			await client.command({ query: 'TRUNCATE TABLE bench_rows' });
			const res = await client.exec({ query: 'INSERT INTO bench_rows FORMAT JSONEachRow', values: Readable.from([body], { objectMode: false }) });
			for await (const _ of res.stream) {
				// drain
			}
		});
		const [{ n }] = (await (await client.query({ query: 'SELECT count() AS n FROM bench_rows', format: 'JSONEachRow' })).json<{ n: number }>()) as [
			{ n: number }
		];
		if (n !== ROWS) throw new Error(`expected ${ROWS} rows after the insert, found ${n}`);

		const times = await durations(2000, async () => (await client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json(), 200);

		const rate = (ms: number) => `${((ROWS / ms) * 1000).toLocaleString('en', { maximumFractionDigits: 0 })} rows/s (${((mb / ms) * 1000).toFixed(0)} MB/s)`;
		const ratio = directMs / httpMs;
		console.log('| measure | value | goal |');
		console.log('|---|---|---|');
		console.log(`| insert, chDB in-process (best of 3) | ${directMs.toFixed(0)} ms · ${rate(directMs)} | |`);
		console.log(`| insert, embedded warehouse via @clickhouse/client (best of 3) | ${httpMs.toFixed(0)} ms · ${rate(httpMs)} | |`);
		console.log(`| throughput ratio (warehouse / direct) | ${ratio.toFixed(2)} | ≥ 0.70 ${ratio >= 0.7 ? '✓' : '✗'} |`);
		console.log(`| SELECT 1 round trip p50 (2000 runs) | ${percentile(times, 0.5).toFixed(2)} ms | < 2 ms ${percentile(times, 0.5) < 2 ? '✓' : '✗'} |`);
		console.log(`| SELECT 1 round trip p95 | ${percentile(times, 0.95).toFixed(2)} ms | |`);
		console.log(
			`| — of which the client's floor: same client, do-nothing HTTP server, p50 / p95 | ${percentile(floorTimes, 0.5).toFixed(2)} / ${percentile(floorTimes, 0.95).toFixed(2)} ms | |`
		);
		console.log(
			`| — of which chDB: SELECT 1 in-process, p50 / p95 | ${percentile(engineTimes, 0.5).toFixed(2)} / ${percentile(engineTimes, 0.95).toFixed(2)} ms | |`
		);
	} finally {
		await client.close();
		await warehouse.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
