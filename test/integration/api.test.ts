/**
 * The tRPC API through createCaller against the real warehouse: hostile input
 * never changes a query's shape, the scope cannot be escaped, and 200 screens on
 * one live topic cost one computation per tick.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createCaller } from '../../src/lib/server/api/root.ts';
import { SYSTEM } from '../../src/lib/server/auth/principal.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import { watermarkOf } from '../../src/lib/server/api/server-context.ts';
import { plan } from '../../src/lib/server/planner/plan.ts';
import { QueryRequest, type QueryInput } from '../../src/lib/server/planner/request.ts';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';
import { startAppDb } from '../helpers/appdb.ts';
import { addSource } from '../../src/lib/server/appdb/sources.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;

/**
 * Cases the tests can find again, one per level of the region tree: 南山区 (440305, in 深圳), 天河区 (440106, in 广州,
 * a county of another city), 东城区 (110101, a municipality district) and 仙桃 (429004, governed by 湖北 itself),
 * on 2 November 2026; two of them in 南山 by the department 测试部门.
 */
const PLANTED = [
	{ id: 'api-1', adcode: 440305, department: '测试部门' },
	{ id: 'api-2', adcode: 440305, department: '测试部门' },
	{ id: 'api-3', adcode: 440106, department: '其他部门' },
	{ id: 'api-4', adcode: 110101, department: '其他部门' },
	{ id: 'api-5', adcode: 429004, department: '其他部门' }
];

beforeAll(async () => {
	db = await ingestDatabase('api');
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-api-'));
	const file = path.join(dir, 'planted.ndjson');
	const event = ({ id, adcode, department }: (typeof PLANTED)[number]) => ({
		type: 'case',
		event_id: id,
		case_id: id,
		status: 'submitted',
		ts: '2026-11-02T10:00:00+08:00',
		adcode,
		department,
		item_code: 'T-1',
		item_name: '测试事项',
		channel: 'web',
		promised_days: 1,
		trips: 0,
		cross_province: false
	});
	// And one 12345 ticket in 南山 on the topic 噪音扰民, so a topic filter has something to find (or leak).
	const ticket = {
		type: 'ticket',
		event_id: 'api-t-1',
		ticket_id: 'api-t-1',
		status: 'created',
		ts: '2026-11-02T10:00:00+08:00',
		adcode: 440305,
		ticket_type: 'complaint',
		topic: '噪音扰民'
	};
	writeFileSync(file, [...PLANTED.map((e) => JSON.stringify(event(e))), JSON.stringify(ticket)].join('\n') + '\n');
	const result = await runIngest(db.database, ['--file', file, '--once']).done;
	rmSync(dir, { recursive: true, force: true });
	expect(result.code, result.stderr).toBe(0);
}, 180_000);
afterAll(async () => db.drop());

/** caseVolume over the planted week, per series key (region or nothing). */
const volumes = (r: { series: Array<{ key: Record<string, string | number>; total: Record<string, number | null> }> }) =>
	Object.fromEntries(r.series.map((s) => [String(s.key.region ?? 'all'), s.total.caseVolume]));

/** The warehouse with a count of the rollup queries it ran. */
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

const base: QueryInput = {
	indicators: ['caseVolume', 'onTimeRate', 'positiveRate'],
	from: '2026-11-01',
	to: '2026-11-08',
	grain: 'day',
	region: { adcode: 440000, by: 'children' }
};

describe('safety', () => {
	const hostile = fc.oneof(
		fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
		fc.constantFrom(
			"'; DROP TABLE case_events; --",
			"\\' OR 1=1 --",
			'{region:UInt32}',
			'`x`',
			'"',
			'\\',
			'\t\n',
			'\u0000',
			'中文😀',
			"') UNION SELECT * FROM system.users --"
		)
	);

	it('hostile strings in every filter stay parameters: the SQL never changes shape', () => {
		const reference = plan(QueryRequest.parse({ ...base, indicators: ['caseVolume'], filters: { department: ['x'], item: ['y'], channel: ['web'] } }), {
			all: true
		}).queries.map((q) => q.sql);
		fc.assert(
			fc.property(hostile, hostile, (department, item) => {
				const r = QueryRequest.safeParse({ ...base, indicators: ['caseVolume'], filters: { department: [department], item: [item], channel: ['web'] } });
				fc.pre(r.success);
				const p = plan(r.data, { all: true });
				expect(p.queries.map((q) => q.sql)).toEqual(reference);
				expect(p.queries[0]!.params.f_department).toEqual([department]);
				expect(p.queries[0]!.params.f_item).toEqual([item]);
			}),
			{ numRuns: 500 }
		);
	});

	it('hostile filters run against the warehouse without error and match nothing', async () => {
		const caller = createCaller({ warehouse: db.warehouse, hub: new LiveHub({ watermark: async () => '' }), principal: SYSTEM, scope: { all: true } });
		// The warehouse holds cases, and a filter can find them: matching nothing below means the filter held.
		const sum = (r: Awaited<ReturnType<typeof caller.indicators.query>>) => r.series.reduce((n, s) => n + (s.total.caseVolume ?? 0), 0);
		expect(sum(await caller.indicators.query({ ...base, indicators: ['caseVolume'] }))).toBe(3); // 广东: 南山 2, 天河 1
		expect(sum(await caller.indicators.query({ ...base, indicators: ['caseVolume'], filters: { department: ['测试部门'] } }))).toBe(2);
		const tickets = (r: Awaited<ReturnType<typeof caller.indicators.query>>) => r.series.reduce((n, s) => n + (s.total.ticketVolume ?? 0), 0);
		expect(tickets(await caller.indicators.query({ ...base, indicators: ['ticketVolume'], filters: { topic: ['噪音扰民'] } }))).toBe(1);
		await fc.assert(
			fc.asyncProperty(hostile, hostile, async (department, topic) => {
				const cases = await caller.indicators.query({ ...base, indicators: ['caseVolume'], filters: { department: [department] } }).catch((e: TRPCError) => e);
				if (cases instanceof TRPCError) expect(cases.code).toBe('BAD_REQUEST');
				else expect(cases.series.every((s) => s.total.caseVolume === 0)).toBe(true);
				const byTopic = await caller.indicators.query({ ...base, indicators: ['ticketVolume'], filters: { topic: [topic] } }).catch((e: TRPCError) => e);
				if (byTopic instanceof TRPCError) expect(byTopic.code).toBe('BAD_REQUEST');
				else expect(tickets(byTopic)).toBe(0);
			}),
			{ numRuns: 40 }
		);
		// The tables are all still there.
		const [n] = await (
			await db.warehouse.query({
				query: "SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name IN ('case_events', 'regions')",
				format: 'JSONEachRow'
			})
		).json<{ n: number }>();
		expect(n!.n).toBe(2);
	});

	it('refuses bad input with the field and the reason', async () => {
		const caller = createCaller({ warehouse: db.warehouse, hub: new LiveHub({ watermark: async () => '' }), principal: SYSTEM, scope: { all: true } });
		const err = await caller.indicators.query({ ...base, grain: 'fortnight' } as never).catch((e: TRPCError) => e);
		expect(err).toBeInstanceOf(TRPCError);
		expect((err as TRPCError).code).toBe('BAD_REQUEST');
		expect((err as TRPCError).message).toContain('grain');
		const unknown = await caller.indicators.query({ ...base, indicators: ['gdpPerCapita'] } as never).catch((e: TRPCError) => e);
		expect((unknown as TRPCError).message).toContain('未知指标 "gdpPerCapita"');
		const noMinute = await caller.indicators
			.query({ ...base, indicators: ['positiveRate'], grain: 'minute', from: '2026-11-01T09:00', to: '2026-11-01T10:00' })
			.catch((e: TRPCError) => e);
		expect((noMinute as TRPCError).message).toContain('好评率（positiveRate）没有按分钟的数据');
	});
});

describe('scope', () => {
	it('a caller scoped to 广东 sees 广东 and nothing outside it', async () => {
		const caller = createCaller({ warehouse: db.warehouse, hub: new LiveHub({ watermark: async () => '' }), principal: SYSTEM, scope: { adcodes: [440000] } });
		// 深圳 by county: 南山's two cases, and no series of another city's county.
		const shenzhen = await caller.indicators.query({ ...base, indicators: ['caseVolume'], region: { adcode: 440300, by: 'children' } });
		expect(shenzhen.series.every((s) => Math.floor(Number(s.key.region) / 100) === 4403)).toBe(true);
		expect(volumes(shenzhen)['440305']).toBe(2);
		const outside = await caller.indicators.query({ ...base, region: { adcode: 330000, by: 'self' } }).catch((e: TRPCError) => e);
		expect((outside as TRPCError).code).toBe('FORBIDDEN');
		const national = await caller.indicators.query({ ...base, region: { adcode: 0, by: 'children' } }).catch((e: TRPCError) => e);
		expect((national as TRPCError).code).toBe('FORBIDDEN');
		// And the scope is in the SQL itself, whatever the region asked.
		const p = plan(QueryRequest.parse({ ...base, region: { adcode: 440300, by: 'self' } }), { adcodes: [440000] });
		expect(p.queries[0]!.sql).toContain('has({scope_province:Array(UInt32)}, province_code)');
		expect(p.queries[0]!.params.scope_province).toEqual([440000]);
	});
});

describe('the scope at every level, through the API', () => {
	const callerFor = (adcodes: number[]) =>
		createCaller({ warehouse: db.warehouse, hub: new LiveHub({ watermark: async () => '' }), principal: SYSTEM, scope: { adcodes } });
	const ask = (adcodes: number[], adcode: number, by: 'self' | 'children' = 'self') =>
		callerFor(adcodes)
			.indicators.query({ ...base, indicators: ['caseVolume'], region: { adcode, by } })
			.then(volumes, (e: TRPCError) => e.code);

	it('a city sees its counties, and is refused a sibling city, its province, the nation and another city’s county', async () => {
		expect(await ask([440300], 440300)).toEqual({ all: 2 });
		expect(await ask([440300], 440305)).toEqual({ all: 2 });
		for (const outside of [440100, 440000, 0, 440106]) expect(await ask([440300], outside), String(outside)).toBe('FORBIDDEN');
	});

	it('a county sees itself only', async () => {
		expect(await ask([440106], 440106)).toEqual({ all: 1 });
		for (const outside of [440100, 440000, 0, 440305]) expect(await ask([440106], outside), String(outside)).toBe('FORBIDDEN');
	});

	it('a province sees its cities by sub-region, with no row of another province', async () => {
		const guangdong = await ask([440000], 440000, 'children');
		expect(guangdong).toMatchObject({ 440100: 1, 440300: 2 });
		expect(Object.keys(guangdong as object).every((k) => k.startsWith('44'))).toBe(true);
		expect(await ask([440000], 0, 'children')).toBe('FORBIDDEN');
		expect(await ask([440000], 110000)).toBe('FORBIDDEN');
	});

	it('a municipality district and a 省直辖 county-level city: themselves only, not the municipality, the province or a sibling', async () => {
		expect(await ask([110101], 110101)).toEqual({ all: 1 });
		for (const outside of [110000, 110100, 110102, 0]) expect(await ask([110101], outside), String(outside)).toBe('FORBIDDEN');
		expect(await ask([429004], 429004)).toEqual({ all: 1 });
		for (const outside of [420000, 429000, 420100, 429005]) expect(await ask([429004], outside), String(outside)).toBe('FORBIDDEN');
	});

	it('asked by sub-region, a scope replies with rows of its own regions only', async () => {
		// 深圳 by county: 南山's two cases, no row of 天河 (a county of the sibling city 广州).
		expect(await ask([440300], 440300, 'children')).toEqual({ 440305: 2 });
		expect(await ask([440300, 110101], 440300, 'children')).toEqual({ 440305: 2 });
		// 北京 by district: 东城 alone; 湖北 by city: 仙桃 under its grouping row 429000 (省直辖), no row of 广东.
		expect(await ask([110000], 110000, 'children')).toEqual({ 110101: 1 });
		expect(await ask([420000], 420000, 'children')).toEqual({ 429000: 1 });
		// A city asking its province or the nation by sub-region is refused, not answered with its own rows.
		expect(await ask([440300], 440000, 'children')).toBe('FORBIDDEN');
		expect(await ask([429004], 0, 'children')).toBe('FORBIDDEN');
	});

	it('a combined scope sees each of its regions and nothing between them', async () => {
		const scope = [440300, 110101, 429004];
		expect(await ask(scope, 440305)).toEqual({ all: 2 });
		expect(await ask(scope, 110101)).toEqual({ all: 1 });
		expect(await ask(scope, 429004)).toEqual({ all: 1 });
		for (const outside of [440000, 440100, 440106, 110000, 420000, 0]) expect(await ask(scope, outside), String(outside)).toBe('FORBIDDEN');
	});
});

describe('the live hub', () => {
	it('serves 200 subscriptions to one topic with one computation per tick', { timeout: 60_000 }, async () => {
		const { warehouse, counter } = counting(db.warehouse);
		const hub = new LiveHub({ watermark: watermarkOf(db.warehouse), floorMs: 100, ceilingMs: 60_000 });
		const controller = new AbortController();
		const caller = createCaller({ warehouse, hub, principal: SYSTEM, scope: { all: true } }, { signal: controller.signal });
		const input = {
			window: 'last7d' as const,
			query: { indicators: ['caseVolume', 'positiveRate'], grain: 'day' as const, region: { adcode: 440000, by: 'children' as const } }
		};
		const streams = await Promise.all(Array.from({ length: 200 }, () => caller.live.query(input)));
		const iterators = streams.map((s) => (s as AsyncIterable<unknown>)[Symbol.asyncIterator]());
		const first = await Promise.all(iterators.map((it) => it.next()));
		expect(first.every((r) => !r.done)).toBe(true);
		expect(hub.activeTopics).toBe(1);
		const afterFirst = counter.rollupQueries;
		// New data arrives: the watermark moves, and the topic is computed once more for everyone.
		await db.warehouse.insert({
			table: 'ingest_watermark',
			values: [{ worker: 'test', version: Date.now() * 1000, updated_at: Date.now() }],
			format: 'JSONEachRow'
		});
		const second = await Promise.all(iterators.map((it) => it.next()));
		expect(second.every((r) => !r.done)).toBe(true);
		const ids = (rs: IteratorResult<unknown>[]) => new Set(rs.map((r) => (r.value as [string, unknown])[0]));
		expect(ids(first).size).toBe(1);
		expect(ids(second).size).toBe(1);
		// Two computations in all, each asking the two sources' rollups once: not 200 × anything.
		expect(counter.rollupQueries).toBe(4);
		expect(afterFirst).toBe(2);
		controller.abort();
		await Promise.all(iterators.map((it) => it.return?.()));
		expect(hub.activeTopics).toBe(0);
		hub.stop();
	});
});

describe('freshness', () => {
	it('an event pushed to the worker reaches a live subscriber: the watermark moves', { timeout: 60_000 }, async () => {
		// Push is authenticated: a source granted cases, in an app database of the test's own.
		const appdb = await startAppDb('pglite');
		const headers = { Authorization: `Bearer ${(await addSource(appdb.db, 'fresh', ['case'])).token}` };
		const run = runIngest(db.database, ['--http', '0'], { DATABASE_URL: appdb.url });
		const endpoint = await new Promise<string>((resolve) =>
			createInterface({ input: run.child.stdout! }).on('line', (l) => l.includes('push endpoint ready') && resolve(JSON.parse(l).url))
		);
		// A ceiling far beyond the test's timeout: only the watermark can trigger the update.
		const hub = new LiveHub({ watermark: watermarkOf(db.warehouse), floorMs: 100, ceilingMs: 600_000 });
		const controller = new AbortController();
		const caller = createCaller({ warehouse: db.warehouse, hub, principal: SYSTEM, scope: { all: true } }, { signal: controller.signal });
		const stream = (await caller.live.query({
			window: 'today',
			query: { indicators: ['caseVolume'], grain: 'total', region: { adcode: 440305 } }
		})) as AsyncIterable<[string, { series: Array<{ total: Record<string, number> }> }]>;
		const it = stream[Symbol.asyncIterator]();
		const before = (await it.next()).value![1].series[0]?.total.caseVolume ?? 0;
		const ts = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
		const res = await fetch(endpoint, {
			method: 'POST',
			headers,
			body: JSON.stringify({
				type: 'case',
				event_id: 'fresh-1',
				case_id: 'fresh-1',
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
			})
		});
		expect((await res.json()).accepted).toBe(1);
		let after = before;
		while (after === before) after = (await it.next()).value![1].series[0]?.total.caseVolume ?? 0;
		expect(after).toBe(before + 1);
		controller.abort();
		await it.return?.();
		hub.stop();
		run.child.kill('SIGTERM');
		expect((await run.done).code).toBe(0);
		await appdb.stop();
	});
});
