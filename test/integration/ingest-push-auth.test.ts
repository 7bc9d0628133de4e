/**
 * Push is authenticated: without a token, with a wrong or revoked one, from a
 * browser page, or with event types the source was not granted, nothing reaches
 * the warehouse's raw tables, and every refusal is counted. A granted push stores;
 * a release time in the future is refused. Real warehouse, real app database,
 * the real `tianshu ingest --http` process.
 */
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';
import { startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { addSource, parseEventTypes, revokeSource } from '../../src/lib/server/appdb/sources.ts';

let db: Awaited<ReturnType<typeof ingestDatabase>>;
let appdb: TestAppDb;
let run: ReturnType<typeof runIngest>;
let url: string;
const tokens: Record<string, string> = {};

async function rows<T>(query: string, query_params?: Record<string, unknown>): Promise<T[]> {
	return (await db.warehouse.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
}

/** Rows in every raw table (and the dead letters) whose id or indicator marks them as this test's. */
async function stored(mark: string) {
	const [r] = await rows<Record<string, number>>(
		`SELECT
			(SELECT count() FROM case_events WHERE event_id LIKE {m:String}) AS cases,
			(SELECT count() FROM reviews WHERE review_id LIKE {m:String}) AS reviews,
			(SELECT count() FROM risk_warnings WHERE warning_id LIKE {m:String}) AS warnings,
			(SELECT count() FROM indicator_values WHERE unit = {u:String}) AS indicators,
			(SELECT count() FROM indicator_targets WHERE unit = {u:String}) AS targets,
			(SELECT count() FROM ingest_dead_letter WHERE raw LIKE {r:String}) AS dead`,
		{ m: `${mark}%`, u: mark, r: `%${mark}%` }
	);
	return r!;
}

const iso = (ms: number) => new Date(ms).toISOString();
const caseEvent = (mark: string, i: number) => ({
	type: 'case',
	event_id: `${mark}-c${i}`,
	case_id: `${mark}-c${i}`,
	status: 'submitted',
	ts: iso(Date.now() - 3600_000),
	adcode: 440305,
	department: '市场监督管理局',
	item_code: 'SCJG-001',
	item_name: '食品经营许可',
	channel: 'web',
	promised_days: 5,
	trips: 0,
	cross_province: false
});
// A forged national retail sales of 1 亿元 and a forged GDP target: the attack. `unit` carries the test's mark.
const indicator = (mark: string, releaseMs = Date.now() - 3600_000, period = '2026-10') => ({
	type: 'indicator',
	indicator: 'retailSales',
	adcode: 0,
	period,
	value: 1,
	unit: mark,
	release_ts: iso(releaseMs)
});
const target = (mark: string, releaseMs = Date.now() - 3600_000) => ({
	type: 'target',
	indicator: 'gdp',
	adcode: 0,
	year: 2026,
	value: 0.1,
	unit: mark,
	release_ts: iso(releaseMs)
});
const warning = (mark: string) => ({
	type: 'warning',
	warning_id: `${mark}-w`,
	ts: iso(Date.now() - 60_000),
	adcode: 440300,
	source: '舆情',
	severity: 'critical',
	title: '伪造预警',
	detail: ''
});
const ndjson = (events: unknown[]) => `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;

function push(body: string, headers: Record<string, string> = {}) {
	return fetch(url, { method: 'POST', body, headers });
}
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function metrics() {
	return (await fetch(url.replace('/events', '/metrics'))).json() as Promise<{ pushRefused: Record<string, number>; dropsByReason: Record<string, number> }>;
}

beforeAll(async () => {
	[db, appdb] = await Promise.all([ingestDatabase('pushauth'), startAppDb('pglite')]);
	tokens.service = (await addSource(appdb.db, 'city-service', parseEventTypes('service'))).token;
	tokens.stats = (await addSource(appdb.db, 'stats-bureau', parseEventTypes('statistics'))).token;
	tokens.revoked = (await addSource(appdb.db, 'old-feed', parseEventTypes('all'))).token;
	await revokeSource(appdb.db, 'old-feed');
	run = runIngest(db.database, ['--http', '0'], { DATABASE_URL: appdb.url });
	url = await new Promise<string>((resolve, reject) => {
		void run.done.then((r) => reject(new Error(`ingest exited: ${r.stderr}`)));
		createInterface({ input: run.child.stdout! }).on('line', (l) => {
			if (l.includes('push endpoint ready')) resolve(JSON.parse(l).url);
		});
	});
}, 120_000);

afterAll(async () => {
	run?.child.kill('SIGTERM');
	await run?.done;
	await appdb?.stop();
	await db?.drop();
});

describe('a push that is refused as a whole', () => {
	const attack = (mark: string) => ndjson([caseEvent(mark, 1), indicator(mark), target(mark), warning(mark)]);

	it.each([
		['without a token', 'no-token', {}, 'no_token', /缺少推送令牌/],
		['with another scheme', 'basic', { Authorization: 'Basic dXNlcjpwYXNz' }, 'no_token', /缺少推送令牌/],
		['with a wrong token', 'wrong', { Authorization: 'Bearer tsk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'bad_token', /令牌无效或已吊销/],
		['with a malformed token', 'garbage', { Authorization: "Bearer ' OR 1=1 --" }, 'bad_token', /令牌无效或已吊销/]
	] as const)('%s: 401 in Chinese, counted, nothing stored', async (_label, mark, headers, cause, message) => {
		const before = (await metrics()).pushRefused[cause]!;
		const res = await push(attack(mark), headers);
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expect((await res.json()).error).toMatch(message);
		expect((await metrics()).pushRefused[cause]).toBe(before + 1);
		expect(await stored(mark)).toEqual({ cases: 0, reviews: 0, warnings: 0, indicators: 0, targets: 0, dead: 0 });
	});

	// The refused body is read and discarded before the reply (up to twice the limit), so the client always reads the 401
	// instead of a reset while it is still sending (EPIPE): with a declared length and chunked alike.
	it('with a body over the limit and no token: 401, and the worker keeps serving', async () => {
		const big = ' '.repeat(9 * 1024 * 1024);
		const res = await push(big);
		expect(res.status).toBe(401);
		expect((await res.json()).error).toMatch(/缺少推送令牌/);
		const chunks = new ReadableStream<Uint8Array>({
			start(c) {
				for (let i = 0; i < 9; i++) c.enqueue(new Uint8Array(1024 * 1024).fill(32));
				c.close();
			}
		});
		const chunked = await fetch(url, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
		expect(chunked.status).toBe(401);
		expect((await fetch(url.replace('/events', '/healthz'))).status).toBe(200);
	});

	it('with a revoked token: 401, nothing stored', async () => {
		const res = await push(attack('revoked'), bearer(tokens.revoked!));
		expect(res.status).toBe(401);
		expect(await stored('revoked')).toEqual({ cases: 0, reviews: 0, warnings: 0, indicators: 0, targets: 0, dead: 0 });
	});

	it('from a browser page (an Origin header), even with a valid token: 403, nothing stored', async () => {
		const before = (await metrics()).pushRefused.browser_origin!;
		const res = await push(attack('origin'), { ...bearer(tokens.stats!), Origin: 'http://evil.example' });
		expect(res.status).toBe(403);
		expect((await res.json()).error).toMatch(/浏览器/);
		expect((await metrics()).pushRefused.browser_origin).toBe(before + 1);
		expect(await stored('origin')).toEqual({ cases: 0, reviews: 0, warnings: 0, indicators: 0, targets: 0, dead: 0 });
	});
});

describe('a source pushing types it was not granted', () => {
	it('has those lines refused with type_not_granted and dead-lettered; its granted lines are kept', async () => {
		const before = (await metrics()).dropsByReason.type_not_granted ?? 0;
		const res = await push(ndjson([caseEvent('svc', 1), indicator('svc'), caseEvent('svc', 2), target('svc'), warning('svc')]), bearer(tokens.service!));
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body).toMatchObject({ accepted: 2, rejected: 3 });
		expect(body.rejectedLines.map((l: { line: number; reason: string }) => `${l.line}:${l.reason}`)).toEqual([
			'2:type_not_granted',
			'4:type_not_granted',
			'5:type_not_granted'
		]);
		expect(await stored('svc')).toEqual({ cases: 2, reviews: 0, warnings: 0, indicators: 0, targets: 0, dead: 3 });
		const dead = await rows<{ reason: string; step: string; source: string; type_hint: string }>(
			"SELECT reason, step, source, type_hint FROM ingest_dead_letter WHERE raw LIKE '%svc%' ORDER BY position"
		);
		expect(dead).toEqual(
			['indicator', 'target', 'warning'].map((t) => ({ reason: 'type_not_granted', step: 'validate', source: 'push:city-service', type_hint: t }))
		);
		const [src] = await rows<{ source: string }>("SELECT DISTINCT source FROM case_events WHERE event_id LIKE 'svc%'");
		expect(src!.source).toBe('push:city-service');
		expect((await metrics()).dropsByReason.type_not_granted).toBe(before + 3);
	});

	it('a statistics source may not send cases', async () => {
		const res = await push(ndjson([caseEvent('statcase', 1), indicator('statcase')]), bearer(tokens.stats!));
		expect(await res.json()).toMatchObject({ accepted: 1, rejected: 1, rejectedLines: [{ line: 1, reason: 'type_not_granted' }] });
		expect(await stored('statcase')).toMatchObject({ cases: 0, indicators: 1 });
	});
});

describe('a statistics source', () => {
	it('stores released figures and targets', async () => {
		const res = await push(ndjson([indicator('stat-ok'), target('stat-ok'), indicator('stat-ok', Date.now() + 2 * 60_000, '2026-09')]), bearer(tokens.stats!));
		expect(await res.json()).toMatchObject({ accepted: 3, rejected: 0 });
		expect(await stored('stat-ok')).toMatchObject({ indicators: 2, targets: 1, dead: 0 });
	});

	it('cannot release a figure or a target in the future (beyond 5 minutes of clock skew)', async () => {
		const later = Date.now() + 3600_000;
		const res = await push(
			ndjson([indicator('stat-future', later), target('stat-future', later), indicator('stat-future', Date.now() + 24 * 3600_000 * 300)]),
			bearer(tokens.stats!)
		);
		const body = await res.json();
		expect(body).toMatchObject({ accepted: 0, rejected: 3 });
		expect(body.rejectedLines.map((l: { reason: string }) => l.reason)).toEqual(['release_in_future', 'release_in_future', 'release_in_future']);
		expect(await stored('stat-future')).toMatchObject({ indicators: 0, targets: 0, dead: 3 });
	});
});

describe('revocation while the worker runs', () => {
	it('takes effect within seconds', async () => {
		const { token } = await addSource(appdb.db, 'short-lived', ['case']);
		expect((await push(ndjson([caseEvent('live1', 1)]), bearer(token))).status).toBe(200);
		await revokeSource(appdb.db, 'short-lived');
		// Until the worker's short cache expires the token still works; then it is refused. The poll's generous bound is
		// the only clock here (no timed assertion: the machines are shared).
		await expect.poll(async () => (await push(ndjson([caseEvent('live2', 1)]), bearer(token))).status, { timeout: 30_000, interval: 500 }).toBe(401);
		const res = await push(ndjson([caseEvent('live3', 1)]), bearer(token));
		expect(res.status).toBe(401);
		expect(await stored('live1')).toMatchObject({ cases: 1 });
		expect(await stored('live3')).toMatchObject({ cases: 0, dead: 0 });
	});
});

describe('when the app database is away', () => {
	it('a token it cannot check is answered 503 in Chinese, and nothing is stored', async () => {
		const { token } = await addSource(appdb.db, 'never-checked', ['case']);
		await appdb.stop();
		const res = await push(ndjson([caseEvent('nodb', 1)]), bearer(token));
		expect(res.status).toBe(503);
		expect((await res.json()).error).toMatch(/应用数据库暂时不可用/);
		expect(await stored('nodb')).toMatchObject({ cases: 0, dead: 0 });
		appdb = undefined as unknown as TestAppDb;
	});
});
