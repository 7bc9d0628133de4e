/**
 * Bounded, shared work against the real warehouse: a request too large is
 * refused before any query with a message saying how to narrow it; the row
 * LIMIT refuses (never truncates) when the estimate is wrong; heavy requests
 * wait in a bounded queue and the rest are told the server is busy, while
 * /healthz still answers; a cockpit tile over HTTP is the live topic's value —
 * equal to a fresh computation at its instant, and one computation for a
 * hundred concurrent viewers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter, createCaller } from '../../src/lib/server/api/root.ts';
import { SYSTEM } from '../../src/lib/server/auth/principal.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import { computePanel } from '../../src/lib/server/cockpit/panels.ts';
import { plan } from '../../src/lib/server/planner/plan.ts';
import { QueryRequest, type QueryInput } from '../../src/lib/server/planner/request.ts';
import { cardinalities, runQuery } from '../../src/lib/server/planner/run.ts';
import { WorkTooLargeError } from '../../src/lib/server/limits/work-cap.ts';
import { BusyError, WorkQueue } from '../../src/lib/server/limits/work-queue.ts';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { ingestDatabase, runIngest, simulateToFile } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const all = { all: true as const };
// The feed stops at the start of this minute, so nothing changes while the tests compare.
const now = Math.floor(Date.now() / 60_000) * 60_000;
const local = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16);

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-bounded-'));
	db = await ingestDatabase('bounded');
	const file = path.join(dir, 'feed.ndjson');
	const iso = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19) + '+08:00';
	await simulateToFile(file, { seed: 17, rate: 0.4, from: iso(now - 2 * DAY), to: iso(now) });
	const result = await runIngest(db.database, ['--file', file, '--once']).done;
	expect(result.code, result.stderr).toBe(0);
	// The web's own /healthz reads the warehouse named by the environment: this one.
	Object.assign(process.env, { CLICKHOUSE_URL: inject('warehouseUrl'), CLICKHOUSE_DATABASE: db.database, TIANSHU_WAREHOUSE_DATA: inject('warehouseDir') });
	if (db.config.username !== 'default' || db.config.password)
		Object.assign(process.env, { CLICKHOUSE_USER: db.config.username, CLICKHOUSE_PASSWORD: db.config.password });
}, 240_000);
afterAll(async () => {
	await db?.drop();
	rmSync(dir, { recursive: true, force: true });
});

/** The warehouse with a count of the rollup queries it ran (reference tables are not counted). */
function counting(warehouse: Warehouse) {
	const counter = { rollupQueries: 0 };
	const proxy = new Proxy(warehouse, {
		get(target, prop, receiver) {
			if (prop === 'query') {
				return (params: Parameters<Warehouse['query']>[0]) => {
					if (/FROM \w+_stats_\w+/.test(params.query)) counter.rollupQueries++;
					return target.query(params);
				};
			}
			return Reflect.get(target, prop, receiver);
		}
	});
	return { warehouse: proxy as Warehouse, counter };
}

async function scalar(sql: string, params: Record<string, unknown> = {}): Promise<number> {
	const rs = await db.warehouse.query({ query: `SELECT toUInt32((${sql})) AS v`, query_params: params, format: 'JSONEachRow' });
	return (await rs.json<{ v: number }>())[0]!.v;
}

/** A GET of a tRPC procedure through tRPC's own HTTP handler, in-process. */
async function get(warehouse: Warehouse, hub: LiveHub, procedure: string, input: unknown): Promise<{ status: number; body: any }> {
	const url = `http://127.0.0.1/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
	const res = await fetchRequestHandler({
		endpoint: '/api/trpc',
		req: new Request(url),
		router: appRouter,
		createContext: () => ({ warehouse, hub, principal: SYSTEM, scope: all })
	});
	return { status: res.status, body: await res.json() };
}

/** The request of issue 10 that took 55 s and 480 MB: 13 indicators by hour over two months, every province by item and channel, compared. */
const HEAVY: QueryInput = {
	indicators: [
		'caseVolume',
		'acceptedVolume',
		'completedVolume',
		'onTimeRate',
		'earlyRate',
		'avgDuration',
		'p90Duration',
		'fullyOnlineRate',
		'zeroTripRate',
		'crossProvinceVolume',
		'positiveRate',
		'negativeCount',
		'reviewRate'
	],
	from: local(now - 60 * DAY).slice(0, 10),
	to: local(now).slice(0, 10),
	grain: 'hour',
	region: { adcode: 0, by: 'children' },
	groupBy: ['item', 'channel'],
	compare: 'previousPeriod'
};

/** Heavy (hour grain over more than a week) but within the cap: every province by hour for eight days. */
const ALLOWED_HEAVY: QueryInput = {
	indicators: ['caseVolume'],
	from: local(now - 8 * DAY).slice(0, 10),
	to: local(now + DAY).slice(0, 10),
	grain: 'hour',
	region: { adcode: 0, by: 'children' }
};

describe('the work cap', () => {
	it('counts sub-regions from the region tree as the planner splits them', async () => {
		const card = await cardinalities(db.warehouse);
		expect(card.children.get(0)).toBe(await scalar("SELECT count() FROM regions FINAL WHERE level = 'province'"));
		expect(card.children.get(440000)).toBe(await scalar("SELECT count() FROM regions FINAL WHERE level = 'city' AND province_code = 440000"));
		expect(card.children.get(110000)).toBe(await scalar("SELECT count() FROM regions FINAL WHERE level = 'county' AND province_code = 110000"));
		expect(card.children.get(440300)).toBe(await scalar("SELECT count() FROM regions FINAL WHERE level = 'county' AND city_code = 440300"));
		expect(card.items).toBe(await scalar('SELECT uniqExact(item_code) FROM service_items FINAL'));
		expect(card.items).toBeGreaterThan(10);
	});

	it('refuses the heavy query of issue 10 before any rollup query, saying how to narrow it', async () => {
		const { warehouse, counter } = counting(db.warehouse);
		const hub = new LiveHub({ watermark: async () => '' });
		const replies = await Promise.all([1, 2, 3].map(() => get(warehouse, hub, 'indicators.query', HEAVY)));
		for (const r of replies) {
			expect(r.status).toBe(400);
			const message: string = r.body.error.message;
			expect(message).toMatch(/^查询过大/);
			for (const hint of ['减少指标', '更粗的粒度', '缩短时间范围', '减少分组维度']) expect(message).toContain(hint);
		}
		expect(counter.rollupQueries).toBe(0);
		hub.stop();
	});

	it('answers a large request within the cap', async () => {
		const provinces = await scalar("SELECT count() FROM regions FINAL WHERE level = 'province'");
		const r = await runQuery(db.warehouse, QueryRequest.parse(ALLOWED_HEAVY), all);
		expect(r.buckets.length).toBe(9 * 24);
		expect(r.series.length).toBeLessThanOrEqual(provinces);
		expect(r.series.reduce((a, s) => a + s.total.caseVolume!, 0)).toBe(await scalar(`SELECT countIf(status = 'submitted') FROM case_events`));
	});

	it('refuses, never truncates, a reply over the row limit (the estimate was wrong), and the SQL itself is bounded', async () => {
		const request = QueryRequest.parse({
			indicators: ['caseVolume'],
			from: local(now - DAY).slice(0, 10),
			to: local(now + DAY).slice(0, 10),
			grain: 'hour',
			region: { adcode: 440000, by: 'children' }
		});
		// Rows the warehouse returns: one per (city, hour) with any case event in the range, counted from the raw table.
		const utc = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
		const rows = await scalar(
			"SELECT count() FROM (SELECT DISTINCT city_code, toStartOfHour(ts) FROM case_events WHERE province_code = 440000 AND ts >= {from:DateTime('UTC')} AND ts < {to:DateTime('UTC')})",
			{ from: utc(request.from), to: utc(request.to) }
		);
		expect(rows).toBeGreaterThan(20);
		await expect(runQuery(db.warehouse, request, all, { maxRows: rows - 1 })).rejects.toBeInstanceOf(WorkTooLargeError);
		const answered = await runQuery(db.warehouse, request, all, { maxRows: rows + 50 });
		expect(answered.series.length).toBeGreaterThan(1);
		// The planner's SQL returns no more rows than its max_rows parameter.
		const q = plan(request, all).queries[0]!;
		const few = await (await db.warehouse.query({ query: q.sql, query_params: { ...q.params, max_rows: 7 }, format: 'JSONEachRow' })).json();
		expect(few.length).toBe(7);
	});
});

describe('heavy queries wait their turn', () => {
	it('runs N at once, queues a bounded number and refuses the rest as busy', async () => {
		const queue = new WorkQueue({ concurrency: 1, maxQueued: 1, queueTimeoutMs: 60_000 });
		const request = QueryRequest.parse(ALLOWED_HEAVY);
		const results = await Promise.all([1, 2, 3].map(() => runQuery(db.warehouse, request, all, { queue }).catch((e: unknown) => e)));
		expect(results.filter((r) => r instanceof BusyError)).toHaveLength(1);
		const answers = results.filter((r) => !(r instanceof Error));
		expect(answers).toHaveLength(2);
		expect(answers[0]).toEqual(answers[1]);
		// A light request does not queue: it is answered while the queue is full.
		let release!: () => void;
		const blocker = queue.run(() => new Promise<void>((r) => (release = r)));
		const filler = queue.run(async () => undefined);
		const light = await runQuery(
			db.warehouse,
			QueryRequest.parse({
				indicators: ['caseVolume'],
				from: local(now).slice(0, 10),
				to: local(now + DAY).slice(0, 10),
				grain: 'total',
				region: { adcode: 440000 }
			}),
			all,
			{ queue }
		);
		expect(light.series).toHaveLength(1);
		release();
		await Promise.all([blocker, filler]);
	});

	it('over HTTP: busy requests get 503 服务繁忙，请稍后重试, none fails otherwise, and /healthz answers meanwhile', async () => {
		const { GET: healthz } = await import('../../src/routes/healthz/+server.ts');
		const hub = new LiveHub({ watermark: async () => '' });
		const inFlight = Array.from({ length: 40 }, () => get(db.warehouse, hub, 'indicators.query', ALLOWED_HEAVY));
		const health = await (healthz as () => Promise<Response>)();
		const replies = await Promise.all(inFlight);
		expect(health.status).toBe(200);
		expect((await health.json()).status).toBe('ok');
		expect(replies.every((r) => r.status === 200 || r.status === 503)).toBe(true);
		const busy = replies.filter((r) => r.status === 503);
		expect(busy.length).toBeGreaterThan(0);
		for (const r of busy) expect(r.body.error.message).toBe('服务繁忙，请稍后重试');
		expect(replies.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
		hub.stop();
	});
});

describe('cockpit tiles come from the live hub', () => {
	it('the HTTP answer equals a fresh computation at the same instant', async () => {
		const hub = new LiveHub({ watermark: async () => '' });
		const reply = await get(db.warehouse, hub, 'cockpit.panel', { adcode: 0, panel: 'kpis' });
		expect(reply.status).toBe(200);
		const tick = reply.body.result.data;
		expect(tick.at).toBeGreaterThanOrEqual(now);
		const fresh = await computePanel({ warehouse: db.warehouse, scope: all }, 'kpis', 0, tick.at);
		expect(tick.data).toEqual(JSON.parse(JSON.stringify(fresh)));
		expect(tick.data.kpis.some((k: { value: number | null }) => (k.value ?? 0) > 0)).toBe(true);
		// And not only equal to the code it serves: today's submissions counted here from the raw events, from Beijing
		// midnight (worked by hand, UTC+8) up to the instant (the feed stops at \`now\`).
		const midnight = Math.floor((tick.at + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
		const utc = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
		const submitted = await scalar(
			"SELECT countIf(status = 'submitted') FROM case_events WHERE ts >= toDateTime64({from:String}, 3, 'UTC') AND ts <= toDateTime64({to:String}, 3, 'UTC')",
			{ from: utc(midnight), to: utc(tick.at) }
		);
		expect(tick.data.kpis.find((k: { code: string }) => k.code === 'caseVolume').value).toBe(submitted);
		hub.stop();
	});

	it('a hundred concurrent viewers cost one computation', async () => {
		// What one computation of the panel costs, counted on its own.
		const single = counting(db.warehouse);
		await computePanel({ warehouse: single.warehouse, scope: all }, 'kpis', 440000, Date.now());
		expect(single.counter.rollupQueries).toBeGreaterThan(0);

		const shared = counting(db.warehouse);
		const caller = createCaller({ warehouse: shared.warehouse, hub: new LiveHub({ watermark: async () => '' }), principal: SYSTEM, scope: all });
		const answers = await Promise.all(Array.from({ length: 100 }, () => caller.cockpit.panel({ adcode: 440000, panel: 'kpis' })));
		expect(shared.counter.rollupQueries).toBe(single.counter.rollupQueries);
		expect(new Set(answers.map((a) => a.at)).size).toBe(1);
	});
});
