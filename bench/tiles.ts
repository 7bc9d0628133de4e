/**
 * Tiles benchmark: cockpit tile queries through the API (rollups) against the
 * same figures computed from the raw table (what a dashboard tool pointed at the
 * raw table would run), at 10 M and 100 M case events; and event-to-subscriber
 * freshness through the real worker and live hub.
 * Goals: tiles p95 < 50 ms at 100 M events, ≥ 50× faster than raw, freshness p95 < 1.5 s.
 *
 * Events are generated inside the warehouse (INSERT … SELECT FROM numbers()), so the
 * materialized views build the rollups exactly as ingestion does. TIANSHU_BENCH_EVENTS
 * (comma-separated, default "10000000,100000000") sets the sizes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createWarehouse, type Warehouse } from '../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../src/lib/server/warehouse/config.ts';
import { spawnWarehouse, projectRoot, tianshuBin } from '../src/lib/server/warehouse/embedded/spawn.ts';
import { readMigrations } from '../src/lib/server/migrate/migration-files.ts';
import { migrate } from '../src/lib/server/migrate/migrator.ts';
import { seed } from '../src/lib/server/seed/seed.ts';
import { createCaller } from '../src/lib/server/api/root.ts';
import { SYSTEM } from '../src/lib/server/auth/principal.ts';
import { LiveHub } from '../src/lib/server/live/hub.ts';
import { watermarkOf } from '../src/lib/server/api/server-context.ts';
import { windowRange } from '../src/lib/server/api/routers/live.ts';
import type { QueryInput } from '../src/lib/server/planner/request.ts';
import { p50p95, percentile } from './measure.ts';
import { generateCaseEvents } from './generate.ts';
import { beijingIso } from '../src/lib/time/timestamps.ts';
import { spawnAppDb } from '../src/lib/server/appdb/embedded/spawn.ts';
import { createAppDb } from '../src/lib/server/appdb/client.ts';
import { migrateAppDb } from '../src/lib/server/appdb/migrator.ts';
import { addSource } from '../src/lib/server/appdb/sources.ts';

const tiles = (): Array<{ name: string; input: QueryInput; raw: string }> => {
	const today = windowRange('today');
	const week = windowRange('last7d');
	return [
		{
			name: '今日全国 办件量·按时办结率·全程网办率',
			input: { indicators: ['caseVolume', 'onTimeRate', 'fullyOnlineRate'], ...today, grain: 'total', region: { adcode: 0 } },
			raw: `SELECT countIf(status = 'submitted'), countIf(status = 'completed' AND on_time) / countIf(status = 'completed'), countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) / countIf(status = 'completed') FROM case_events WHERE toDate(ts, 'Asia/Shanghai') = toDate(now(), 'Asia/Shanghai')`
		},
		{
			name: '今日分时 办件量（全国）',
			input: { indicators: ['caseVolume'], ...today, grain: 'hour', region: { adcode: 0 } },
			raw: `SELECT toStartOfHour(ts) AS h, countIf(status = 'submitted') FROM case_events WHERE toDate(ts, 'Asia/Shanghai') = toDate(now(), 'Asia/Shanghai') GROUP BY h ORDER BY h`
		},
		{
			name: '近7日 各省 按时办结率',
			input: { indicators: ['onTimeRate', 'completedVolume'], ...week, grain: 'total', region: { adcode: 0, by: 'children' } },
			raw: `SELECT province_code, countIf(status = 'completed' AND on_time) / countIf(status = 'completed') FROM case_events WHERE toDate(ts, 'Asia/Shanghai') >= toDate(now(), 'Asia/Shanghai') - 6 GROUP BY province_code`
		},
		{
			name: '近7日 广东各市 办件量（按日）',
			input: { indicators: ['caseVolume'], ...week, grain: 'day', region: { adcode: 440000, by: 'children' } },
			raw: `SELECT city_code, toDate(ts, 'Asia/Shanghai') AS d, countIf(status = 'submitted') FROM case_events WHERE province_code = 440000 AND d >= toDate(now(), 'Asia/Shanghai') - 6 GROUP BY city_code, d`
		}
	];
};

/** Event-to-subscriber latency: a pushed event, through the worker, the rollups and the hub, to a screen. */
async function freshness(url: string, database: string, wh: Warehouse): Promise<{ p50: number; p95: number }> {
	// Push is authenticated: an app database of the bench's own and a source granted cases.
	const appdbDir = mkdtempSync(path.join(tmpdir(), 'tianshu-bench-appdb-'));
	const appdb = await spawnAppDb(appdbDir);
	const store = createAppDb(appdb.url);
	await migrateAppDb(store);
	const headers = { Authorization: `Bearer ${(await addSource(store, 'bench', ['case'])).token}` };
	await store.close();
	const worker = spawn(process.execPath, [tianshuBin, 'ingest', '--http', '0'], {
		cwd: projectRoot,
		env: { ...process.env, CLICKHOUSE_URL: url, CLICKHOUSE_DATABASE: database, LOG_LEVEL: 'info', DATABASE_URL: appdb.url },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const endpoint = await new Promise<string>((resolve) => {
		createInterface({ input: worker.stdout! }).on('line', (l) => {
			if (l.includes('push endpoint ready')) resolve(JSON.parse(l).url);
		});
	});
	const hub = new LiveHub({ watermark: watermarkOf(wh), floorMs: 250, ceilingMs: 60_000 });
	const controller = new AbortController();
	const caller = createCaller({ warehouse: wh, hub, principal: SYSTEM, scope: { all: true } }, { signal: controller.signal });
	const stream = (await caller.live.query({
		window: 'today',
		query: { indicators: ['caseVolume'], grain: 'total', region: { adcode: 440305 } }
	})) as AsyncIterable<[string, { series: Array<{ total: { caseVolume: number } }> }]>;
	const it = stream[Symbol.asyncIterator]();
	let last = (await it.next()).value![1].series[0]?.total.caseVolume ?? 0;
	const times: number[] = [];
	for (let i = 0; i < 20; i++) {
		const ts = beijingIso(Date.now());
		const event = {
			type: 'case',
			event_id: `fresh-${i}-${Date.now()}`,
			case_id: `fresh-${i}`,
			status: 'submitted',
			ts,
			adcode: 440305,
			department: '测试',
			item_code: 'T',
			item_name: '测试',
			channel: 'web',
			promised_days: 1,
			trips: 0,
			cross_province: false
		};
		const t = performance.now();
		await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(event) });
		for (;;) {
			const next = await it.next();
			const v = next.value![1].series[0]?.total.caseVolume ?? 0;
			if (v > last) {
				last = v;
				break;
			}
		}
		times.push(performance.now() - t);
		await new Promise((r) => setTimeout(r, 200));
	}
	controller.abort();
	await it.return?.();
	hub.stop();
	worker.kill('SIGTERM');
	await appdb.stop();
	rmSync(appdbDir, { recursive: true, force: true });
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

export async function benchTiles(): Promise<void> {
	const sizes = (process.env.TIANSHU_BENCH_EVENTS ?? '10000000,100000000').split(',').map(Number);
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-bench-tiles-'));
	const warehouse = await spawnWarehouse(path.join(dir, 'warehouse'));
	process.env.TIANSHU_WAREHOUSE_DATA = warehouse.dir; // the ingest worker below finds the warehouse's accounts there
	const admin = createWarehouse(warehouseConfig({ ...warehouse.env, CLICKHOUSE_DATABASE: 'default' }));
	const wh = createWarehouse(warehouseConfig({ ...warehouse.env, CLICKHOUSE_DATABASE: 'tianshu' }), { requestTimeoutMs: 3_600_000 });
	try {
		await migrate({ admin, warehouse: wh, database: 'tianshu', migrations: readMigrations(path.join(projectRoot, 'schema', 'migrations')) });
		await seed(wh, path.join(projectRoot, 'ingest', 'reference'));
		const caller = createCaller({ warehouse: wh, hub: new LiveHub({ watermark: async () => '' }), principal: SYSTEM, scope: { all: true } });
		console.log('\n## Tiles — rollups through the API vs the raw table\n');
		console.log('| events | tile | API p50 / p95 | raw p50 / p95 | raw ÷ API (p95) |');
		console.log('|---|---|---|---|---|');
		let stored = 0;
		for (const size of sizes) {
			const ms = await generateCaseEvents(wh, stored, size - stored, 'b');
			stored = size;
			console.error(`generated ${size.toLocaleString('en')} events (+${(ms / 1000) | 0} s, MVs included)`);
			for (const tile of tiles()) {
				const api = await p50p95(30, () => caller.indicators.query(tile.input));
				const raw = await p50p95(size > 20_000_000 ? 5 : 10, async () => (await wh.query({ query: tile.raw, format: 'JSONEachRow' })).json());
				console.log(
					`| ${(size / 1e6).toFixed(0)} M | ${tile.name} | ${api.p50.toFixed(1)} / ${api.p95.toFixed(1)} ms | ${raw.p50.toFixed(0)} / ${raw.p95.toFixed(0)} ms | ${(raw.p95 / api.p95).toFixed(0)}× |`
				);
			}
		}
		const fresh = await freshness(warehouse.url, 'tianshu', wh);
		console.log(
			`\nEvent-to-subscriber freshness (HTTP push → worker → rollups → hub → screen), 20 events: p50 ${fresh.p50.toFixed(0)} ms, p95 ${fresh.p95.toFixed(0)} ms (goal p95 < 1500 ms ${fresh.p95 < 1500 ? '✓' : '✗'})`
		);
	} finally {
		await wh.close();
		await admin.close();
		await warehouse.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
