/**
 * Bad input never stops the worker: every broken line lands in the dead-letter
 * table with its reason and raw bytes, every valid line around it is stored.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';
import { startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { addSource } from '../../src/lib/server/appdb/sources.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;

beforeAll(async () => {
	db = await ingestDatabase('badinput');
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-bad-'));
});
afterAll(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

async function rows<T>(query: string, query_params?: Record<string, unknown>): Promise<T[]> {
	return (await db.warehouse.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
}

const review = (id: string, extra: Record<string, unknown> = {}) => ({
	type: 'review',
	review_id: id,
	case_id: `case-${id}`,
	ts: '2026-11-20T10:15:00+08:00',
	adcode: 440305,
	department: '市场监督管理局',
	item_code: 'SCJG-001',
	channel: 'mobile',
	rating: 5,
	named: true,
	tags: [],
	comment: '',
	...extra
});

const line = (o: unknown) => Buffer.from(`${JSON.stringify(o)}\n`);

describe('a corpus of broken lines among valid ones', () => {
	const broken: Array<[string, Buffer, string]> = [
		['truncated JSON', Buffer.from('{"type":"review","review_id":"t1","ts":"2026-11-20T10:\n'), 'invalid_json'],
		['a wrong type (rating as text)', line(review('bad-type', { rating: 'five' })), 'schema_violation'],
		['an unknown type', line({ type: 'visa_application', id: 1 }), 'unknown_type'],
		['no type at all', line({ review_id: 'x' }), 'missing_type'],
		['a JSON array', Buffer.from('[1,2,3]\n'), 'not_an_object'],
		['invalid UTF-8', Buffer.concat([Buffer.from('{"type":"review","comment":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}\n')]), 'invalid_utf8'],
		['a 10 MB line', Buffer.from(`${JSON.stringify(review('huge', { comment: 'x'.repeat(10 * 1024 * 1024) }))}\n`), 'line_too_long'],
		['an unknown adcode', line(review('bad-adcode', { adcode: 440399 })), 'unknown_adcode'],
		['rating 7', line(review('rating-7', { rating: 7 })), 'schema_violation'],
		['a timestamp in 1970', line(review('epoch', { ts: '1970-01-01T00:00:00Z' })), 'timestamp_too_old'],
		['a timestamp next year', line(review('next-year', { ts: '2027-06-01T09:00:00+08:00' })), 'timestamp_in_future'],
		['an impossible date', line(review('feb-30', { ts: '2026-02-30T09:00:00+08:00' })), 'schema_violation']
	];
	const sqlLooking = `'); DROP TABLE reviews; -- \\" OR 1=1 /* 中文 😀`;
	const valid = [
		review('ok-1'),
		review('ok-sql', { comment: sqlLooking, tags: ["x'); DELETE FROM regions; --"] }),
		review('ok-2', { ts: '2026-11-20 10:16:00' }),
		review('ok-3', { rating: 1, tags: ['态度不好'] })
	];

	let result: Awaited<ReturnType<typeof runIngest>['done']>;

	beforeAll(async () => {
		// Valid lines before, between and after the broken ones.
		const parts: Buffer[] = [line(valid[0])];
		broken.forEach(([, bytes], i) => {
			parts.push(bytes);
			if (i === 3) parts.push(line(valid[1]));
			if (i === 7) parts.push(line(valid[2]));
		});
		parts.push(Buffer.from('\n\n'), line(valid[3]));
		const file = path.join(dir, 'corpus.ndjson');
		writeFileSync(file, Buffer.concat(parts));
		result = await runIngest(db.database, ['--file', file, '--once']).done;
	}, 120_000);

	it('keeps running and finishes normally', () => {
		expect(result.code, result.stderr).toBe(0);
	});

	it('stores every valid line, SQL-looking text verbatim', async () => {
		const stored = await rows<{ review_id: string; comment: string; tags: string[] }>('SELECT review_id, comment, tags FROM reviews ORDER BY review_id');
		expect(stored.map((r) => r.review_id)).toEqual(['ok-1', 'ok-2', 'ok-3', 'ok-sql']);
		expect(stored.find((r) => r.review_id === 'ok-sql')).toMatchObject({ comment: sqlLooking, tags: ["x'); DELETE FROM regions; --"] });
		const [regions] = await rows<{ n: number }>('SELECT count() AS n FROM regions FINAL');
		expect(regions!.n).toBeGreaterThan(3000);
	});

	it('reads a timestamp without offset as Beijing time', async () => {
		const [r] = await rows<{ ts: string }>("SELECT toString(ts) AS ts FROM reviews WHERE review_id = 'ok-2'");
		expect(r!.ts).toBe('2026-11-20 02:16:00.000');
	});

	it.each(broken.map(([label, , reason], i) => [label, reason, i] as const))('puts %s in the dead-letter table as %s', async (_label, reason, i) => {
		const dead = await rows<{ position: number; reason: string; raw: string; raw_bytes: number; step: string }>(
			'SELECT position, reason, raw, raw_bytes, step FROM ingest_dead_letter ORDER BY position'
		);
		expect(dead).toHaveLength(broken.length);
		const entry = dead[i]!;
		expect(entry.reason).toBe(reason);
		const bytes = broken[i]![1];
		expect(entry.raw_bytes).toBe(bytes.length - 1);
		if (reason === 'line_too_long') expect(Buffer.byteLength(entry.raw)).toBe(64 * 1024);
		else if (reason !== 'invalid_utf8') expect(entry.raw).toBe(bytes.subarray(0, bytes.length - 1).toString('utf8'));
	});

	it('counts the drops by reason in the metrics', async () => {
		const [m] = await rows<{ dropped_total: number; stored_total: number }>('SELECT dropped_total, stored_total FROM ingest_metrics ORDER BY ts DESC LIMIT 1');
		expect(m).toEqual({ dropped_total: broken.length, stored_total: valid.length });
	});
});

describe('the HTTP push endpoint', () => {
	let url: string;
	let run: ReturnType<typeof runIngest>;
	let appdb: TestAppDb;
	let headers: Record<string, string>;

	beforeAll(async () => {
		// Push is authenticated: a source granted reviews, and its token.
		appdb = await startAppDb('pglite');
		headers = { Authorization: `Bearer ${(await addSource(appdb.db, 'reviews-feed', ['review'])).token}` };
		run = runIngest(db.database, ['--http', '0'], { DATABASE_URL: appdb.url });
		url = await new Promise<string>((resolve, reject) => {
			void run.done.then((r) => reject(new Error(`ingest exited: ${r.stderr}`)));
			createInterface({ input: run.child.stdout! }).on('line', (l) => {
				if (l.includes('push endpoint ready')) resolve(JSON.parse(l).url);
			});
		});
	}, 60_000);
	afterAll(async () => {
		run.child.kill('SIGTERM');
		const r = await run.done;
		await appdb.stop();
		expect(r.code).toBe(0);
	});

	const body = [
		JSON.stringify(review('push-1')),
		'{"type":"review", broken',
		JSON.stringify(review('push-2', { rating: 9 })),
		JSON.stringify(review('push-3', { rating: 2, tags: ['办理时间长'] })),
		''
	].join('\n');

	it('stores the valid lines and reports each rejected line with its reason', async () => {
		const res = await fetch(url, { method: 'POST', body, headers });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			accepted: 2,
			rejected: 2,
			rejectedLines: [
				{ line: 2, step: 'parse', reason: 'invalid_json', detail: expect.any(String) },
				{ line: 3, step: 'validate', reason: 'schema_violation', detail: expect.stringContaining('rating') }
			]
		});
		const stored = await rows<{ review_id: string }>("SELECT review_id FROM reviews WHERE review_id LIKE 'push-%' ORDER BY review_id");
		expect(stored.map((r) => r.review_id)).toEqual(['push-1', 'push-3']);
	});

	it('a retried body is not stored twice', async () => {
		const res = await fetch(url, { method: 'POST', body, headers });
		expect(res.status).toBe(200);
		const [n] = await rows<{ n: number }>("SELECT count() AS n FROM reviews WHERE review_id LIKE 'push-%'");
		expect(n!.n).toBe(2);
	});

	it('refuses an oversize body with 413 and keeps serving', async () => {
		const big = Buffer.alloc(9 * 1024 * 1024, 0x20);
		const res = await fetch(url, { method: 'POST', body: big, headers });
		expect(res.status).toBe(413);
		expect((await res.json()).error).toMatch(/over the limit/);
		const metrics = await fetch(url.replace('/events', '/metrics'));
		expect(metrics.status).toBe(200);
		// Lines the warehouse acknowledged: the retried two count again, though the warehouse dropped them as duplicates.
		expect((await metrics.json()).stored).toBe(4);
	});
});
