/**
 * The ingest worker against the real warehouse: everything in a simulated file
 * is stored exactly once — on a clean run, on a rerun, and through repeated
 * kill -9 and restart.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/lib/random.ts';
import { ingestDatabase, runIngest, simulateToFile } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let dir: string;

beforeAll(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-ingest-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rows<T>(db: Db, query: string): Promise<T[]> {
	return (await db.warehouse.query({ query, format: 'JSONEachRow' })).json<T>();
}

/** Per-type counts and sums, computed from the events themselves. */
function expectedFigures(events: Array<Record<string, unknown>>) {
	const of = (type: string) => events.filter((e) => e.type === type);
	const cases = of('case');
	const reviews = of('review');
	const tickets = of('ticket');
	const latest = new Map<string, Record<string, unknown>>();
	for (const e of of('indicator')) {
		const key = `${e.indicator}|${e.adcode}|${e.period}`;
		const prev = latest.get(key);
		if (!prev || String(e.release_ts) > String(prev.release_ts)) latest.set(key, e);
	}
	return {
		case_events: { n: cases.length, a: cases.reduce((s, e) => s + (e.promised_days as number), 0), b: cases.filter((e) => e.status === 'completed').length },
		reviews: { n: reviews.length, a: reviews.reduce((s, e) => s + (e.rating as number), 0), b: reviews.filter((e) => (e.rating as number) <= 2).length },
		review_actions: { n: of('review_action').length, a: 0, b: of('review_action').filter((e) => e.action === 'rectify').length },
		hotline_events: { n: tickets.length, a: 0, b: tickets.filter((e) => e.ticket_type === 'complaint').length },
		indicator_values: { n: latest.size, a: Math.round([...latest.values()].reduce((s, e) => s + (e.value as number), 0) * 100), b: 0 },
		risk_warnings: { n: of('warning').length, a: 0, b: 0 }
	};
}

async function storedFigures(db: Db) {
	const [c] = await rows<{ n: number; a: number; b: number }>(
		db,
		"SELECT count() AS n, sum(promised_days) AS a, countIf(status = 'completed') AS b FROM case_events"
	);
	const [r] = await rows<{ n: number; a: number; b: number }>(db, 'SELECT count() AS n, sum(rating) AS a, countIf(rating <= 2) AS b FROM reviews');
	const [ra] = await rows<{ n: number; a: number; b: number }>(db, "SELECT count() AS n, 0 AS a, countIf(action = 'rectify') AS b FROM review_actions");
	const [t] = await rows<{ n: number; a: number; b: number }>(db, "SELECT count() AS n, 0 AS a, countIf(ticket_type = 'complaint') AS b FROM hotline_events");
	const [i] = await rows<{ n: number; a: number; b: number }>(db, 'SELECT count() AS n, round(sum(value) * 100) AS a, 0 AS b FROM indicator_values FINAL');
	const [w] = await rows<{ n: number; a: number; b: number }>(db, 'SELECT count() AS n, 0 AS a, 0 AS b FROM risk_warnings');
	return { case_events: c, reviews: r, review_actions: ra, hotline_events: t, indicator_values: i, risk_warnings: w };
}

describe('tianshu ingest', () => {
	let db: Db;
	let events: Array<Record<string, unknown>>;
	const file = () => path.join(dir, 'feed.ndjson');

	beforeAll(async () => {
		db = await ingestDatabase('ingest');
		// Three days across mid-month, so statistics releases and their revisions are in; enough events for a dozen batches.
		events = await simulateToFile(file(), { seed: 7, rate: 0.25, from: '2026-11-13T00:00:00+08:00', to: '2026-11-16T00:00:00+08:00' });
	});
	afterAll(async () => db.drop());

	it('stores a simulated file of mixed events, in many batches, with the same counts and sums as the file', async () => {
		expect(events.length).toBeGreaterThanOrEqual(30_000);
		expect(new Set(events.map((e) => e.type))).toEqual(new Set(['case', 'review', 'review_action', 'ticket', 'indicator', 'warning']));
		const run = runIngest(db.database, ['--file', file(), '--once', '--batch-rows', '5000']);
		const result = await run.done;
		expect(result.code, result.stderr).toBe(0);
		expect(await storedFigures(db)).toEqual(expectedFigures(events));
		const [dead] = await rows<{ n: number }>(db, 'SELECT count() AS n FROM ingest_dead_letter');
		expect(dead!.n).toBe(0);
	});

	it('derives region columns, Beijing deadlines and on-time flags at ingest', async () => {
		const [bad] = await rows<{ n: number }>(
			db,
			'SELECT count() AS n FROM case_events AS c LEFT JOIN (SELECT adcode, province_code FROM regions FINAL) AS r USING adcode WHERE r.province_code != c.province_code'
		);
		expect(bad!.n).toBe(0);
		const [facts] = await rows<{ completed: number; with_flag: number; late: number; negative_duration: number }>(
			db,
			"SELECT countIf(status = 'completed') AS completed, countIf(status = 'completed' AND on_time IS NOT NULL) AS with_flag, countIf(on_time = false) AS late, countIf(duration_s < 0) AS negative_duration FROM case_events"
		);
		expect(facts!.with_flag).toBe(facts!.completed);
		expect(facts!.late).toBeGreaterThan(0); // the long tail: a few cases are overdue
		expect(facts!.late / facts!.completed).toBeLessThan(0.1);
		const [items] = await rows<{ n: number }>(db, 'SELECT uniqExact(item_code) AS n FROM service_items FINAL');
		expect(items!.n).toBeGreaterThan(20); // the catalogue learned the items from the data
	});

	it('a rerun of the same file adds nothing', async () => {
		const before = await storedFigures(db);
		const result = await runIngest(db.database, ['--file', file(), '--once']).done;
		expect(result.code).toBe(0);
		expect(await storedFigures(db)).toEqual(before);
	});

	it('a rerun that lost its checkpoints adds nothing either: the batches deduplicate', async () => {
		const before = await storedFigures(db);
		await db.warehouse.command({ query: 'TRUNCATE TABLE ingest_checkpoints' });
		const result = await runIngest(db.database, ['--file', file(), '--once']).done;
		expect(result.code).toBe(0);
		expect(await storedFigures(db)).toEqual(before);
	});
});

describe('crash safety', () => {
	// Each run is killed a moment after it starts reading, so the kills fall mid-file (mid-claim, mid-insert or
	// mid-commit) rather than before the first batch or after the last; the exactly-once tests kill the warehouse too.
	it('killed with SIGKILL while storing and restarted, it stores every event exactly once', { timeout: 240_000 }, async () => {
		const db = await ingestDatabase('crash');
		try {
			const file = path.join(dir, 'crash.ndjson');
			const events = await simulateToFile(file, { seed: 11, rate: 0.4, from: '2026-11-16T00:00:00+08:00', to: '2026-11-17T00:00:00+08:00' });
			const random = new Random(2026);
			let kills = 0;
			for (let attempt = 0; kills < 3 && attempt < 10; attempt++) {
				const run = runIngest(db.database, ['--file', file, '--once', '--batch-rows', '1000']);
				await started(run.child);
				const timer = setTimeout(() => run.child.kill('SIGKILL'), 100 + Math.floor(random.next() * 400));
				const result = await run.done;
				clearTimeout(timer);
				if (result.signal === 'SIGKILL') kills++;
				else {
					expect(result.code, result.stderr).toBe(0);
					break; // it finished before the kill: nothing left to do
				}
			}
			expect(kills).toBe(3);
			const final = await runIngest(db.database, ['--file', file, '--once', '--batch-rows', '1000']).done;
			expect(final.code, final.stderr).toBe(0);
			expect(await storedFigures(db)).toEqual(expectedFigures(events));
			const [ids] = await rows<{ n: number; u: number }>(db, 'SELECT count() AS n, uniqExact(event_id) AS u FROM case_events');
			expect(ids!.n).toBe(ids!.u);
		} finally {
			await db.drop();
		}
	});
});

/** Resolves once the worker is connected and reading (or has exited). */
function started(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		const onData = (d: Buffer) => {
			if (!d.toString().includes('ingest worker started')) return;
			child.stdout!.off('data', onData);
			resolve();
		};
		child.stdout!.on('data', onData);
		child.once('exit', () => resolve());
	});
}
