/**
 * Exactly once to the rollups (issue 10): whatever the bodies, the batching, the
 * retries or the crashes, every raw table and every rollup (case, review and
 * hotline families; minute, hour and day; county, region and city levels) counts
 * each event id once, and the API serves the same figures. Every expected figure
 * comes from the generated input, never from the code under test.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/lib/random.ts';
import { beijingLocal } from '../../src/lib/time/beijing-time.ts';
import { runQuery } from '../../src/lib/server/planner/run.ts';
import { QueryRequest } from '../../src/lib/server/planner/request.ts';
import { createWarehouse, type Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../../src/lib/server/warehouse/config.ts';
import { RegionIndex } from '../../ingest/pipeline/regions.ts';
import { IngestWorker } from '../../ingest/worker/worker.ts';
import { createPushServer } from '../../ingest/sources/http-push.ts';
import { settleResumed, storeBatch, type StoreHooks } from '../../ingest/worker/exactly-once.ts';
import { freePort, ingestDatabase, ingestDatabaseOn, runIngest, runTianshu, simulateToFile, startWarehouseAt, type OwnWarehouse } from '../helpers/ingest.ts';

type Event = Record<string, unknown>;
const HOUR = 3_600_000;

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-once-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A simulated day ending a few hours ago (the minute rollups keep 14 days), as events and as a file. */
async function simulatedDay(name: string, seed: number, rate: number): Promise<{ file: string; events: Event[]; from: number; to: number }> {
	const to = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
	const from = to - 24 * HOUR;
	const file = path.join(dir, name);
	const events = await simulateToFile(file, { seed, rate, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
	return { file, events, from, to };
}

const ID_FIELD: Record<string, string> = { case: 'event_id', review: 'review_id', review_action: 'action_id', ticket: 'event_id', warning: 'warning_id' };

/** What the rollups must hold: the input's distinct events (first copy of each id), counted by family. */
function expectedFigures(events: Event[]) {
	const first = new Map<string, Event>();
	for (const e of events) {
		const field = ID_FIELD[e.type as string];
		if (field && !first.has(`${e.type}:${e[field]}`)) first.set(`${e.type}:${e[field]}`, e);
	}
	const distinct = [...first.values()];
	const of = (type: string) => distinct.filter((e) => e.type === type);
	const count = (list: Event[], status: string) => list.filter((e) => e.status === status).length;
	const cases = of('case');
	const reviews = of('review');
	const tickets = of('ticket');
	const negative = reviews.filter((e) => (e.rating as number) <= 2);
	return {
		ids: { case: cases.length, review: reviews.length, review_action: of('review_action').length, ticket: tickets.length, warning: of('warning').length },
		cases: {
			submitted: count(cases, 'submitted'),
			accepted: count(cases, 'accepted'),
			completed: count(cases, 'completed'),
			rejected: count(cases, 'rejected')
		},
		reviews: { reviews: reviews.length, negative: negative.length },
		reasons: negative.reduce((s, e) => s + ((e.tags as unknown[] | undefined)?.length ?? 0), 0),
		actions: of('review_action').length,
		tickets: {
			created: count(tickets, 'created'),
			answered: count(tickets, 'answered'),
			dispatched: count(tickets, 'dispatched'),
			closed: count(tickets, 'closed')
		}
	};
}

async function one<T>(warehouse: Warehouse, query: string): Promise<T> {
	const [row] = await (await warehouse.query({ query, format: 'JSONEachRow' })).json<T>();
	return row!;
}

const CASE_ROLLUPS = ['case_stats_day', 'case_stats_hour', 'case_region_stats_day', 'case_region_stats_hour', 'case_city_stats_day', 'case_city_stats_hour'];
const REVIEW_ROLLUPS = [
	'review_stats_day',
	'review_stats_hour',
	'review_region_stats_day',
	'review_region_stats_hour',
	'review_city_stats_day',
	'review_city_stats_hour'
];
const HOTLINE_ROLLUPS = ['hotline_stats_day', 'hotline_stats_hour'];
const RAW: Record<string, [string, string]> = {
	case: ['case_events', 'event_id'],
	review: ['reviews', 'review_id'],
	review_action: ['review_actions', 'action_id'],
	ticket: ['hotline_events', 'event_id'],
	warning: ['risk_warnings', 'warning_id']
};

/** Every raw table and rollup total, as stored. */
async function storedFigures(warehouse: Warehouse) {
	const raw: Record<string, { rows: number; ids: number }> = {};
	for (const [type, [table, id]] of Object.entries(RAW)) raw[type] = await one(warehouse, `SELECT count() AS rows, uniqExact(${id}) AS ids FROM ${table}`);
	const rollups: Record<string, unknown> = {};
	for (const t of CASE_ROLLUPS)
		rollups[t] = await one(
			warehouse,
			`SELECT sum(submitted) AS submitted, sum(accepted) AS accepted, sum(completed) AS completed, sum(rejected) AS rejected FROM ${t}`
		);
	rollups.case_stats_minute = await one(warehouse, 'SELECT sum(submitted) AS submitted, sum(completed) AS completed FROM case_stats_minute');
	for (const t of REVIEW_ROLLUPS) rollups[t] = await one(warehouse, `SELECT sum(reviews) AS reviews, sum(negative) AS negative FROM ${t}`);
	rollups.review_reason_stats_day = (await one<{ n: number }>(warehouse, 'SELECT sum(negative) AS n FROM review_reason_stats_day')).n;
	rollups.review_action_stats_day = (
		await one<{ n: number }>(warehouse, 'SELECT sum(verified + rectified + followed_up + appealed) AS n FROM review_action_stats_day')
	).n;
	for (const t of HOTLINE_ROLLUPS)
		rollups[t] = await one(
			warehouse,
			`SELECT sum(created) AS created, sum(answered) AS answered, sum(dispatched) AS dispatched, sum(closed) AS closed FROM ${t}`
		);
	return { raw, rollups };
}

/** The stored figures the input says there must be. */
function figuresOf(expected: ReturnType<typeof expectedFigures>) {
	const raw: Record<string, { rows: number; ids: number }> = {};
	for (const [type, n] of Object.entries(expected.ids)) raw[type] = { rows: n, ids: n };
	const rollups: Record<string, unknown> = {};
	for (const t of CASE_ROLLUPS) rollups[t] = expected.cases;
	rollups.case_stats_minute = { submitted: expected.cases.submitted, completed: expected.cases.completed };
	for (const t of REVIEW_ROLLUPS) rollups[t] = expected.reviews;
	rollups.review_reason_stats_day = expected.reasons;
	rollups.review_action_stats_day = expected.actions;
	for (const t of HOTLINE_ROLLUPS) rollups[t] = expected.tickets;
	return { raw, rollups };
}

/** The API's totals for the nation and summed over the provinces, at minute, hour and day grains (each read from its own rollups). */
async function apiTotals(warehouse: Warehouse, from: number, to: number) {
	const local = (ms: number) => beijingLocal(ms);
	const ask = async (indicators: string[], grain: 'minute' | 'hour' | 'day', by: 'self' | 'children') => {
		const range =
			grain === 'day'
				? { from: local(from - 24 * HOUR).slice(0, 10), to: local(to + 24 * HOUR).slice(0, 10) }
				: { from: local(from - HOUR), to: local(to + HOUR) };
		const result = await runQuery(warehouse, QueryRequest.parse({ indicators, ...range, grain, region: { adcode: 0, by } }), { all: true });
		const total: Record<string, number> = {};
		for (const s of result.series) for (const code of indicators) total[code] = (total[code] ?? 0) + Number(s.total[code] ?? 0);
		return total;
	};
	return {
		minute: await ask(['caseVolume'], 'minute', 'self'),
		hour: await ask(['caseVolume', 'negativeCount', 'ticketVolume'], 'hour', 'self'),
		day: await ask(['caseVolume', 'negativeCount', 'ticketVolume'], 'day', 'self'),
		provinces: await ask(['caseVolume', 'negativeCount', 'ticketVolume'], 'day', 'children')
	};
}

function apiExpected(expected: ReturnType<typeof expectedFigures>) {
	const all = { caseVolume: expected.cases.submitted, negativeCount: expected.reviews.negative, ticketVolume: expected.tickets.created };
	return { minute: { caseVolume: expected.cases.submitted }, hour: all, day: all, provinces: all };
}

const lines = (events: Event[]) => events.map((e) => `${JSON.stringify(e)}\n`).join('');

function shuffled<T>(list: T[], random: Random): T[] {
	const out = [...list];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random.next() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

describe('pushed bodies', () => {
	let db: Awaited<ReturnType<typeof ingestDatabase>>;
	let worker: IngestWorker;
	let server: ReturnType<typeof createPushServer>;
	let url: string;

	beforeAll(async () => {
		db = await ingestDatabase('once_push');
		const logger = pino({ level: 'silent' });
		worker = new IngestWorker({
			warehouse: db.warehouse,
			regions: await RegionIndex.load(db.warehouse),
			logger,
			flushIntervalMs: 0,
			metricsIntervalMs: 3_600_000
		});
		const types = new Set(['case', 'review', 'review_action', 'ticket', 'indicator', 'warning', 'target'] as const);
		// The token check is not under test here: one source, every type granted.
		server = createPushServer({
			worker,
			warehouse: db.warehouse,
			logger,
			sources: { authenticate: async (token) => (token === 'once' ? { name: 'once', types } : null) }
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
	}, 120_000);
	afterAll(async () => {
		await new Promise<void>((resolve) => server.close(() => resolve()));
		await worker.stop();
		await db.drop();
	});

	async function push(body: string): Promise<{ accepted: number; rejected: number }> {
		const res = await fetch(url, { method: 'POST', body, headers: { Authorization: 'Bearer once', 'Content-Type': 'application/x-ndjson' } });
		expect(res.status, await res.clone().text()).toBe(200);
		return (await res.json()) as { accepted: number; rejected: number };
	}

	it('counts every event id once in every rollup, whatever the bodies that carried it', { timeout: 180_000 }, async () => {
		const { events, from, to } = await simulatedDay('push.ndjson', 21, 0.1);
		const pushed = events.filter((e) => e.type !== 'indicator');
		expect(pushed.length).toBeGreaterThan(2000);
		const random = new Random(10);
		const cut = Math.floor((pushed.length * 2) / 3);
		const first = pushed.slice(0, cut);
		const later = pushed.slice(cut);
		// Identical bodies, three times.
		for (let i = 0; i < 3; i++) expect((await push(lines(first))).accepted).toBe(first.length);
		// The same events in bodies that differ: a trailing blank line, another order, cut elsewhere, mixed with new ones.
		expect((await push(`${lines(first)}\n`)).accepted).toBe(first.length);
		expect((await push(lines(shuffled(first, random)))).accepted).toBe(first.length);
		const half = Math.floor(first.length / 2);
		await push(lines(first.slice(half)));
		await push(lines(first.slice(0, half + 100)));
		const mixed = shuffled([...first.slice(0, 500), ...later], random);
		expect((await push(lines(mixed))).rejected).toBe(0);
		// And a body that repeats its own lines.
		await push(lines([...later.slice(0, 50), ...later.slice(0, 50)]));

		const expected = expectedFigures(pushed);
		expect(expected.ids.case).toBeGreaterThan(1000);
		expect(expected.reviews.negative).toBeGreaterThan(0);
		expect(await storedFigures(db.warehouse)).toEqual(figuresOf(expected));
		expect(await apiTotals(db.warehouse, from, to)).toEqual(apiExpected(expected));
	});
});

describe('a file', () => {
	it('whose first cases come again in a later block stores and counts them once (the 60 000 / 3 000 case in miniature)', { timeout: 180_000 }, async () => {
		const db = await ingestDatabase('once_repeat');
		try {
			const { file, events, from, to } = await simulatedDay('repeat.ndjson', 23, 0.15);
			const cases = events.filter((e) => e.type === 'case');
			const repeated = cases.slice(0, Math.floor(cases.length / 20));
			writeFileSync(file, readFileSync(file, 'utf8') + lines(repeated));
			expect(repeated.length).toBeGreaterThan(100);
			const result = await runIngest(db.database, ['--file', file, '--once', '--batch-rows', '1000']).done;
			expect(result.code, result.stderr).toBe(0);
			const expected = expectedFigures(events);
			expect(await storedFigures(db.warehouse)).toEqual(figuresOf(expected));
			expect(await apiTotals(db.warehouse, from, to)).toEqual(apiExpected(expected));
			// Read again with other cuts (the checkpoints lost): nothing more.
			await db.warehouse.command({ query: 'TRUNCATE TABLE ingest_checkpoints' });
			const again = await runIngest(db.database, ['--file', file, '--once', '--batch-rows', '777']).done;
			expect(again.code, again.stderr).toBe(0);
			expect(await storedFigures(db.warehouse)).toEqual(figuresOf(expected));
		} finally {
			await db.drop();
		}
	});
	it('read by two workers at once from two files sharing most of their events, counts each event once', { timeout: 180_000 }, async () => {
		const db = await ingestDatabase('once_race');
		try {
			const { file, events, from, to } = await simulatedDay('race-a.ndjson', 37, 0.1);
			// The second file: most of the same events in another order, cut into other batches.
			const other = path.join(dir, 'race-b.ndjson');
			const shared = shuffled(events, new Random(5)).slice(0, Math.floor(events.length * 0.8));
			writeFileSync(other, lines(shared));
			const [a, b] = await Promise.all([
				runIngest(db.database, ['--file', file, '--once', '--batch-rows', '500']).done,
				runIngest(db.database, ['--file', other, '--once', '--batch-rows', '700']).done
			]);
			expect(a.code, a.stderr).toBe(0);
			expect(b.code, b.stderr).toBe(0);
			const expected = expectedFigures(events);
			expect(await storedFigures(db.warehouse)).toEqual(figuresOf(expected));
			expect(await apiTotals(db.warehouse, from, to)).toEqual(apiExpected(expected));
		} finally {
			await db.drop();
		}
	});
});

/** A review row as ingest stores it (columns left out take their defaults). */
function reviewRow(id: string, ts: string, adcode: number, rating: number): string {
	return JSON.stringify({
		review_id: id,
		case_id: `case-${id}`,
		ts,
		adcode,
		province_code: Math.floor(adcode / 10000) * 10000,
		city_code: Math.floor(adcode / 100) * 100,
		department: 'd',
		item_code: 'i',
		channel: 'web',
		rating,
		named: false,
		source: 'test'
	});
}

describe('a replay that a table drops as a duplicate of a block it never committed', () => {
	// The state a warehouse killed between writing a block's id to a table's deduplication log and committing the
	// part leaves: the id in the log, the rows nowhere. Made here by a mutation that deletes the rows (the log keeps
	// the id), at the exact step a crash would cut the batch: after its insert, before it is recorded.
	const LEVELS = ['review_stats_day', 'review_region_stats_day', 'review_region_stats_hour', 'review_city_stats_day', 'review_city_stats_hour'];
	let db: Awaited<ReturnType<typeof ingestDatabase>>;
	beforeAll(async () => {
		db = await ingestDatabase('once_ghost');
	}, 120_000);
	afterAll(async () => db?.drop());

	/** Reviews and 差评 of Hangzhou (330100) and Ningbo (330200), per table. */
	async function byCity(table: string): Promise<Record<number, [number, number]>> {
		const rs = await db.warehouse.query({
			query: `SELECT city_code, sum(reviews) AS reviews, sum(negative) AS negative FROM ${table} GROUP BY city_code ORDER BY city_code`,
			format: 'JSONEachRow'
		});
		const out: Record<number, [number, number]> = {};
		for (const r of await rs.json<{ city_code: number; reviews: string; negative: string }>()) out[r.city_code] = [Number(r.reviews), Number(r.negative)];
		return out;
	}
	/** The same, recounted from the raw reviews (each id once): what every rollup must hold. */
	async function rawByCity(): Promise<Record<number, [number, number]>> {
		const rs = await db.warehouse.query({
			query:
				'SELECT city_code, uniqExact(review_id) AS reviews, uniqExactIf(review_id, rating <= 2) AS negative FROM reviews GROUP BY city_code ORDER BY city_code',
			format: 'JSONEachRow'
		});
		const out: Record<number, [number, number]> = {};
		for (const r of await rs.json<{ city_code: number; reviews: string; negative: string }>()) out[r.city_code] = [Number(r.reviews), Number(r.negative)];
		return out;
	}
	const levels = async () => Object.fromEntries(await Promise.all(LEVELS.map(async (t) => [t, await byCity(t)] as const)));
	const everywhere = (v: Record<number, [number, number]>) => Object.fromEntries(LEVELS.map((t) => [t, v]));
	// The crash: the rows lost from one table as above, and the batch's claims dated before the warehouse's start, as
	// they are after the warehouse was killed and started again.
	const crashAfterInsert = (ghost: string): StoreHooks => ({
		afterInsert: async (_table, batch) => {
			await db.warehouse.command({ query: ghost, clickhouse_settings: { mutations_sync: '2' } });
			await db.warehouse.command({
				query: "ALTER TABLE event_claims UPDATE claimed_at = toDateTime64('2000-01-01 00:00:00', 3, 'UTC') WHERE batch = {batch:String}",
				query_params: { batch },
				clickhouse_settings: { mutations_sync: '2' }
			});
			throw new Error('killed after the insert');
		}
	});

	it('in a chained city rollup: the replay is dropped there, and the recount after it puts the rollup right', { timeout: 120_000 }, async () => {
		// Batch 1: Hangzhou 2 reviews (1 差评), Ningbo 1 (0), on 1 March (Beijing).
		await storeBatch(
			db.warehouse,
			'reviews',
			[
				reviewRow('g1', '2026-03-01 02:10:00.000', 330102, 5),
				reviewRow('g2', '2026-03-01 02:20:00.000', 330106, 1),
				reviewRow('g3', '2026-03-01 03:05:00.000', 330203, 4)
			],
			'ghost:reviews:0-3'
		);
		const afterFirst = { 330100: [2, 1], 330200: [1, 0] } as Record<number, [number, number]>;
		expect(await levels()).toEqual(everywhere(afterFirst));

		// Batch 2 on 5 March: Hangzhou 1 review (差评), Ningbo 2 (1 差评); its city-day rows lost as a kill -9 loses them.
		const second = [
			reviewRow('g4', '2026-03-05 01:00:00.000', 330102, 2),
			reviewRow('g5', '2026-03-05 01:30:00.000', 330203, 1),
			reviewRow('g6', '2026-03-05 02:00:00.000', 330205, 5)
		];
		const token = 'ghost:reviews:3-6';
		await expect(
			storeBatch(db.warehouse, 'reviews', second, token, crashAfterInsert("ALTER TABLE review_city_stats_day DELETE WHERE bucket = '2026-03-05'"))
		).rejects.toThrow('killed');
		const afterSecond = { 330100: [3, 2], 330200: [3, 1] } as Record<number, [number, number]>;
		expect(await rawByCity()).toEqual(afterSecond);

		// The replay, as the worker sends it after the crash: every other table drops it (it has it), and so does the
		// city-day rollup, whose deduplication log holds the block it lost: 3 reviews short, for good — the known gap.
		const replay = await storeBatch(db.warehouse, 'reviews', second, token);
		expect(replay).toMatchObject({ resumed: true, stored: 3 });
		expect((await levels()).review_city_stats_day).toEqual(afterFirst);

		// The worker's recount after a resumed batch: every rollup equals the raw events again, and the batch is recorded.
		await settleResumed(db.warehouse, [{ table: 'reviews', batch: token }]);
		expect(await levels()).toEqual(everywhere(afterSecond));
		expect(await storeBatch(db.warehouse, 'reviews', second, token)).toMatchObject({ replayed: true });
	});

	it('in the raw table: the ids it lacks are stored again under a new token, and the rollups recounted once', { timeout: 120_000 }, async () => {
		// Continues from the test above. Batch 3 on 6 March: Ningbo 2 reviews (1 差评); lost from the raw table only.
		const third = [reviewRow('g7', '2026-03-06 01:00:00.000', 330203, 1), reviewRow('g8', '2026-03-06 01:10:00.000', 330203, 4)];
		const token = 'ghost:reviews:6-8';
		await expect(
			storeBatch(db.warehouse, 'reviews', third, token, crashAfterInsert("ALTER TABLE reviews DELETE WHERE review_id IN ('g7', 'g8')"))
		).rejects.toThrow('killed');
		expect(await rawByCity()).toEqual({ 330100: [3, 2], 330200: [3, 1] });

		expect(await storeBatch(db.warehouse, 'reviews', third, token)).toMatchObject({ resumed: true });
		const afterThird = { 330100: [3, 2], 330200: [5, 2] } as Record<number, [number, number]>;
		expect(await rawByCity()).toEqual(afterThird);
		await settleResumed(db.warehouse, [{ table: 'reviews', batch: token }]);
		expect(await levels()).toEqual(everywhere(afterThird));
		const [raw] = await (await db.warehouse.query({ query: 'SELECT count() AS n FROM reviews', format: 'JSONEachRow' })).json<{ n: string }>();
		expect(Number(raw!.n)).toBe(8);

		// A crash of the worker alone (the warehouse up throughout, so no block can be lost): a plain replay, no recount.
		const fourth = [reviewRow('g9', '2026-03-07 01:00:00.000', 330102, 5)];
		const alone = 'ghost:reviews:8-9';
		const killed: StoreHooks = {
			afterInsert: async () => {
				throw new Error('killed after the insert');
			}
		};
		await expect(storeBatch(db.warehouse, 'reviews', fourth, alone, killed)).rejects.toThrow('killed');
		expect(await storeBatch(db.warehouse, 'reviews', fourth, alone)).toMatchObject({ resumed: false, replayed: false, stored: 1 });
		expect(await storeBatch(db.warehouse, 'reviews', fourth, alone)).toMatchObject({ replayed: true });
		expect(await levels()).toEqual(everywhere({ 330100: [4, 2], 330200: [5, 2] }));
	});
});

describe('tianshu rollups rebuild', () => {
	it('removes raw duplicates stored before claims existed and recomputes every rollup, chained ones included', { timeout: 180_000 }, async () => {
		const db = await ingestDatabase('once_rebuild');
		try {
			const { file, events, from, to } = await simulatedDay('rebuild.ndjson', 31, 0.1);
			const result = await runIngest(db.database, ['--file', file, '--once']).done;
			expect(result.code, result.stderr).toBe(0);
			const expected = figuresOf(expectedFigures(events));
			// The state before migration 0008: copies of a quarter of the events stored again, views and all.
			for (const [table, id] of Object.values(RAW)) {
				await db.warehouse.command({
					query: `INSERT INTO ${table} SELECT * FROM ${table} WHERE cityHash64(${id}) % 4 = 0`,
					clickhouse_settings: { insert_deduplicate: 0 }
				});
			}
			expect(await storedFigures(db.warehouse)).not.toEqual(expected);

			// Ingest stored a batch moments ago: refused, so no row stored meanwhile goes missing.
			const refused = await runTianshu(db.database, ['rollups', 'rebuild']);
			expect(refused.code).toBe(1);
			expect(refused.stderr).toMatch(/stop the ingest worker first/);

			const rebuilt = await runTianshu(db.database, ['rollups', 'rebuild', '--force']);
			expect(rebuilt.code, rebuilt.stderr).toBe(0);
			expect(await storedFigures(db.warehouse)).toEqual(expected);
			expect(await apiTotals(db.warehouse, from, to)).toEqual(apiExpected(expectedFigures(events)));
			const [left] = await (
				await db.warehouse.query({
					query: "SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name LIKE '%rebuild%'",
					format: 'JSONEachRow'
				})
			).json<{ n: number }>();
			expect(left!.n).toBe(0);
		} finally {
			await db.drop();
		}
	});
});

describe('crashes', () => {
	let own: OwnWarehouse;
	let warehouseDir: string;
	let port: number;

	beforeAll(async () => {
		warehouseDir = mkdtempSync(path.join(tmpdir(), 'tianshu-once-warehouse-'));
		port = await freePort();
		own = await startWarehouseAt(warehouseDir, port);
	}, 120_000);
	afterAll(async () => {
		await own?.stop();
		rmSync(warehouseDir, { recursive: true, force: true });
	});

	it('a file ingest with the worker killed 3× and the warehouse killed once under it (kill -9) counts every event once', { timeout: 300_000 }, async () => {
		const db = await ingestDatabaseOn(own, 'once_crash');
		const { file, events, from, to } = await simulatedDay('crash.ndjson', 29, 0.5);
		const random = new Random(2027);
		const ingest = () => runIngest(db.database, ['--file', file, '--once', '--batch-rows', '1500'], { ...own.env });
		let workerKills = 0;
		let warehouseKills = 0;
		for (let attempt = 0; (workerKills < 3 || warehouseKills < 1) && attempt < 12; attempt++) {
			const run = ingest();
			const up = await started(run.child);
			// The second run loses the warehouse under it while storing: kill -9, then the same data directory and port again
			// (the replays after it are resumed batches: their rollups are recounted).
			if (up && warehouseKills < 1 && attempt >= 1) {
				await sleep(300 + Math.floor(random.next() * 1200));
				if (run.child.exitCode === null) {
					await own.kill9();
					warehouseKills++;
					await sleep(300 + Math.floor(random.next() * 1000));
					own = await startWarehouseAt(warehouseDir, port);
				}
			}
			// Killed a moment after it started reading (or after its warehouse came back): mid-claim, mid-insert or mid-commit.
			const timer = setTimeout(() => run.child.kill('SIGKILL'), 200 + Math.floor(random.next() * 1000));
			const result = await run.done;
			clearTimeout(timer);
			if (result.signal === 'SIGKILL') workerKills++;
			else {
				expect(result.code, result.stderr).toBe(0);
				break; // it finished first: nothing left to kill
			}
		}
		expect(workerKills).toBeGreaterThanOrEqual(3);
		expect(warehouseKills).toBe(1);
		const final = await ingest().done;
		expect(final.code, final.stderr).toBe(0);

		// A fresh connection: the old one's sockets died with the warehouse.
		await db.close();
		const warehouse = createWarehouse(warehouseConfig({ ...own.env, CLICKHOUSE_DATABASE: db.database }));
		try {
			const expected = expectedFigures(events);
			// Nothing lost: every id of the file is stored.
			expect(expected.ids.case).toBe(new Set(events.filter((e) => e.type === 'case').map((e) => e.event_id)).size);
			expect(await storedFigures(warehouse)).toEqual(figuresOf(expected));
			expect(await apiTotals(warehouse, from, to)).toEqual(apiExpected(expected));
		} finally {
			await warehouse.close();
		}
	});
});

/** Resolves true once the worker is connected and reading (false if it exits first). */
function started(child: ChildProcess): Promise<boolean> {
	return new Promise((resolve) => {
		const onData = (d: Buffer) => {
			if (!d.toString().includes('ingest worker started')) return;
			child.stdout!.off('data', onData);
			resolve(true);
		};
		child.stdout!.on('data', onData);
		child.once('exit', () => resolve(false));
	});
}

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
