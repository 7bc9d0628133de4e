/**
 * Analysts' workbench benchmark (issue 14): each drill step through the API
 * (rollups, the planner, the scope) against the same answer computed from the
 * raw events (what a BI tool pointed at case_events would run), at
 * TIANSHU_BENCH_EVENTS sizes (comma-separated, default 10 M; "10000000,100000000"
 * for 100 M too). Goal: p95 < 300 ms per step at 100 M on 2 cores.
 *
 * Steps: region (the provinces, then Guangdong's cities), time (30 days by day
 * with the period before), dimension (广州 by item), contributions (Guangdong,
 * last 7 days against the 7 before, by city, item and channel) and a detail page
 * (50 raw cases of a county, keyset). Events are generated inside the warehouse
 * (INSERT … SELECT FROM numbers()), so the materialized views build the rollups
 * exactly as ingestion does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWarehouse } from '../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../src/lib/server/warehouse/config.ts';
import { spawnWarehouse, projectRoot } from '../src/lib/server/warehouse/embedded/spawn.ts';
import { readMigrations } from '../src/lib/server/migrate/migration-files.ts';
import { migrate } from '../src/lib/server/migrate/migrator.ts';
import { seed } from '../src/lib/server/seed/seed.ts';
import { createCaller } from '../src/lib/server/api/root.ts';
import { SYSTEM } from '../src/lib/server/auth/principal.ts';
import { LiveHub } from '../src/lib/server/live/hub.ts';
import { spawnAppDb } from '../src/lib/server/appdb/embedded/spawn.ts';
import { createAppDb } from '../src/lib/server/appdb/client.ts';
import { migrateAppDb } from '../src/lib/server/appdb/migrator.ts';
import { beijingDate } from '../src/lib/time/working-days.ts';
import { addDays } from '../src/lib/analysis/view-state.ts';
import { p50p95 } from './measure.ts';
import { generateCaseEvents } from './generate.ts';

const RATE = "countIf(status = 'completed' AND on_time) / countIf(status = 'completed')";
/** Beijing dates [from, to) as bound parameters of the raw statements. */
const DAYS = (from: string, to: string) => `toDate(ts, 'Asia/Shanghai') >= {${from}:Date} AND toDate(ts, 'Asia/Shanghai') < {${to}:Date}`;

interface Step {
	name: string;
	api: () => Promise<unknown>;
	raw: string;
}

function steps(caller: ReturnType<typeof createCaller>): { params: Record<string, string>; list: Step[] } {
	const today = beijingDate(Date.now());
	const w = { from: addDays(today, -7), to: today };
	const before = { from: addDays(today, -14), to: w.from };
	const month = { from: addDays(today, -30), to: today };
	const params = { wf: w.from, wt: w.to, bf: before.from, mb: addDays(today, -60) };
	const list: Step[] = [
		{
			name: '地区：全国 → 各省 按时办结率（近7日，排名）',
			api: () => caller.analyze.breakdown({ indicator: 'onTimeRate', region: 0, ...w, by: 'region', filters: {} }),
			raw: `SELECT province_code, ${RATE} FROM case_events WHERE ${DAYS('wf', 'wt')} GROUP BY province_code`
		},
		{
			name: '地区：广东 → 各市 按时办结率（近7日，同比）',
			api: () => caller.analyze.breakdown({ indicator: 'onTimeRate', region: 440000, ...w, by: 'region', filters: {}, compare: 'yoy' }),
			raw: `SELECT city_code, ${RATE} FROM case_events WHERE province_code = 440000 AND ${DAYS('wf', 'wt')} GROUP BY city_code`
		},
		{
			name: '时间：广东 按日 30 日，两指标，对上期',
			api: () =>
				caller.analyze.series({
					indicators: ['onTimeRate', 'caseVolume'],
					region: { adcode: 440000 },
					...month,
					grain: 'day',
					filters: {},
					compare: 'previousPeriod'
				}),
			raw: `SELECT toDate(ts, 'Asia/Shanghai') AS d, ${RATE}, countIf(status = 'submitted') FROM case_events WHERE province_code = 440000 AND ${DAYS('mb', 'wt')} GROUP BY d`
		},
		{
			name: '维度：广州 按事项（近7日）',
			api: () => caller.analyze.breakdown({ indicator: 'onTimeRate', region: 440100, ...w, by: 'item', filters: {} }),
			raw: `SELECT item_code, ${RATE} FROM case_events WHERE city_code = 440100 AND ${DAYS('wf', 'wt')} GROUP BY item_code`
		},
		{
			name: '贡献：广东 近7日对前7日，按市·事项·渠道',
			api: () =>
				caller.analyze.contributions({ indicator: 'onTimeRate', region: 440000, filters: {}, base: before, current: w, by: ['region', 'item', 'channel'] }),
			raw: `SELECT k, d >= {wf:Date} AS cur, countIf(status = 'completed' AND on_time), countIf(status = 'completed') FROM (
			        SELECT toString(city_code) AS k, toDate(ts, 'Asia/Shanghai') AS d, status, on_time FROM case_events WHERE province_code = 440000 AND ${DAYS('bf', 'wt')}
			        UNION ALL SELECT toString(item_code), toDate(ts, 'Asia/Shanghai'), status, on_time FROM case_events WHERE province_code = 440000 AND ${DAYS('bf', 'wt')}
			        UNION ALL SELECT toString(channel), toDate(ts, 'Asia/Shanghai'), status, on_time FROM case_events WHERE province_code = 440000 AND ${DAYS('bf', 'wt')}
			      ) GROUP BY k, cur`
		},
		{
			name: '明细：天河区 办件 第一页（50 行，游标分页，审计）',
			api: () => caller.analyze.detail({ source: 'cases', region: 440106, ...w, filters: {}, limit: 50 }),
			raw: `SELECT event_id, case_id, status, ts, item_code FROM case_events WHERE adcode = 440106 AND toDate(ts, 'Asia/Shanghai') >= {wf:Date} AND toDate(ts, 'Asia/Shanghai') < {wt:Date} ORDER BY ts DESC, event_id DESC LIMIT 51`
		}
	];
	return { params, list };
}

export async function benchAnalyze(): Promise<void> {
	const sizes = (process.env.TIANSHU_BENCH_EVENTS ?? '10000000').split(',').map(Number);
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-bench-analyze-'));
	const warehouse = await spawnWarehouse(path.join(dir, 'warehouse'));
	const admin = createWarehouse(warehouseConfig({ ...warehouse.env, CLICKHOUSE_DATABASE: 'default' }));
	const wh = createWarehouse(warehouseConfig({ ...warehouse.env, CLICKHOUSE_DATABASE: 'tianshu' }), { requestTimeoutMs: 3_600_000 });
	// The detail step writes the audit log: an app database of the benchmark's own.
	const appdb = await spawnAppDb(path.join(dir, 'appdb'));
	const store = createAppDb(appdb.url);
	try {
		await migrateAppDb(store);
		await migrate({ admin, warehouse: wh, database: 'tianshu', migrations: readMigrations(path.join(projectRoot, 'schema', 'migrations')) });
		await seed(wh, path.join(projectRoot, 'ingest', 'reference'));
		const ctx = { warehouse: wh, hub: new LiveHub({ watermark: async () => '' }), principal: SYSTEM, scope: { all: true as const }, appDb: store };
		const caller = createCaller(ctx as Parameters<typeof createCaller>[0]);
		console.log('\n## Analyze — drill steps through the API vs the same answer from the raw table\n');
		console.log('| events | step | API p50 / p95 | raw p50 / p95 | raw ÷ API (p95) |');
		console.log('|---|---|---|---|---|');
		let stored = 0;
		for (const size of sizes) {
			const ms = await generateCaseEvents(wh, stored, size - stored, 'a');
			stored = size;
			console.error(`generated ${size.toLocaleString('en')} events (+${(ms / 1000) | 0} s, MVs included)`);
			const { params, list } = steps(caller);
			for (const step of list) {
				const api = await p50p95(20, step.api, 2);
				const raw = await p50p95(
					size > 20_000_000 ? 5 : 10,
					async () => (await wh.query({ query: step.raw, query_params: params, format: 'JSONEachRow' })).json(),
					2
				);
				console.log(
					`| ${(size / 1e6).toFixed(0)} M | ${step.name} | ${api.p50.toFixed(1)} / ${api.p95.toFixed(1)} ms${api.p95 < 300 ? '' : ' ✗'} | ${raw.p50.toFixed(0)} / ${raw.p95.toFixed(0)} ms | ${(raw.p95 / api.p95).toFixed(1)}× |`
				);
			}
		}
		console.log('\nGoal: p95 < 300 ms per step at 100 M events on 2 cores (✗ marks a step over it). Shared machines are noisy: read, do not assert.');
	} finally {
		await store.close();
		await appdb.stop();
		await wh.close();
		await admin.close();
		await warehouse.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
