/**
 * The tRPC API over real HTTP (the same handler as src/routes/api/trpc, behind a
 * node:http server in this process) against a real warehouse: no input — random,
 * extreme, malformed, batched — gets a 5xx or stops the process; every refusal is a
 * 4xx with a Chinese message, the request id of its log line, and no stack or path.
 * Every request is signed in (a real session in a real app database, a role the
 * access matrix allows for the procedure). And a city's users: a scope of 深圳 sees
 * its own service data and its province's published statistics, nothing of 广州.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/lib/server/api/root.ts';
import { handleTrpc, MAX_BATCH } from '../../src/lib/server/api/http.ts';
import { watermarkOf } from '../../src/lib/server/api/server-context.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import { PROCEDURES } from '../../src/lib/server/auth/access.ts';
import { cookiesOf, principalFrom } from '../../src/lib/server/auth/door.ts';
import { authLimits } from '../../src/lib/server/auth/limits.ts';
import { ROLES, scopeOf } from '../../src/lib/server/auth/principal.ts';
import { startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { cookiesByRole, createTestUser, sessionCookie } from '../helpers/auth.ts';
import { issueWallToken, WALL_COOKIE } from '../../src/lib/server/auth/wall-tokens.ts';
import { addUser, resetPassword } from '../../src/lib/server/auth/users.ts';
import { upsertScenario } from '../../src/lib/server/queries/evaluate/scenarios.ts';
import { setActionDropBox } from '../../src/lib/server/reviews/act.ts';
import { createWarehouse, type Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../../src/lib/server/warehouse/config.ts';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';
import { testConfig } from '../helpers/warehouse.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;
let appdb: TestAppDb;
const limits = authLimits({});
const signedIn = new Map<string, Promise<Awaited<ReturnType<typeof cookiesByRole>>>>();
const HOUR = 3600_000;
const bj = (ms: number) => new Date(ms + 8 * HOUR).toISOString();
const today = bj(Date.now()).slice(0, 10);
const tomorrow = bj(Date.now() + 24 * HOUR).slice(0, 10);
const yesterday = bj(Date.now() - 24 * HOUR).slice(0, 10);
/** Cases submitted in this file's feed, an hour ago (today in Beijing unless it is just past midnight: then yesterday's total holds them). */
const SHENZHEN_CASES = 7;
const GUANGZHOU_CASES = 4;
const caseAt = bj(Date.now() - HOUR).slice(0, 19) + '+08:00';
const SCENARIO_ID = 'apiHttpScenario01';

interface Served {
	url: string;
	log: Array<Record<string, unknown>>;
	hub: LiveHub;
	server: Server;
}

/**
 * A real HTTP server in this process around the app's tRPC handler, with its log
 * lines collected. Requests without a Cookie header carry the session of a user
 * over `regions` whose role the matrix allows for the (first) procedure called,
 * as a browser of that user would; the principal comes from the session, as in hooks.server.ts.
 */
async function serve(regions: number[], warehouse: Warehouse = db.warehouse): Promise<Served> {
	const key = regions.join(',');
	if (!signedIn.has(key)) signedIn.set(key, cookiesByRole(appdb.db, regions));
	const cookies = await signedIn.get(key)!;
	const log: Array<Record<string, unknown>> = [];
	const logger = pino({ level: 'info' }, { write: (line: string) => void log.push(JSON.parse(line) as Record<string, unknown>) });
	const hub = new LiveHub({ watermark: watermarkOf(warehouse), floorMs: 200, ceilingMs: 60_000 });
	const server = createServer((req, res) => {
		const closed = new AbortController();
		res.on('close', () => closed.abort());
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = chunks.length && req.method !== 'GET' ? Buffer.concat(chunks).toString('utf8') : undefined;
			const request = new Request(`http://127.0.0.1${req.url}`, {
				method: req.method,
				headers: req.headers as Record<string, string>,
				body,
				signal: closed.signal
			});
			let first = '';
			try {
				first = decodeURIComponent(new URL(request.url).pathname.slice('/api/trpc/'.length)).split(',')[0]!;
			} catch {
				// A path that does not decode: any user will do, the handler refuses it.
			}
			const role = ROLES.find((r) => Object.hasOwn(PROCEDURES, first) && PROCEDURES[first]!.includes(r)) ?? 'analyst';
			principalFrom(appdb.db, cookiesOf(req.headers.cookie ?? cookies[role]), '127.0.0.1', limits)
				.then((principal) =>
					handleTrpc(request, {
						context: () => ({
							warehouse,
							hub,
							principal: principal ?? null,
							scope: principal && principal.kind !== 'system' ? scopeOf(principal) : { adcodes: [] },
							appDb: appdb.db
						}),
						log: logger
					})
				)
				.then(async (response) => {
					res.writeHead(response.status, Object.fromEntries(response.headers));
					if (response.body) for await (const chunk of response.body) res.write(chunk);
					res.end();
				})
				.catch((e: unknown) => {
					// Only a client that went away mid-stream lands here; the test fails on anything the handler lets escape.
					if (!closed.signal.aborted) throw e;
				});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address() as { port: number };
	return { url: `http://127.0.0.1:${address.port}/api/trpc`, log, hub, server };
}

async function close(s: Served) {
	s.hub.stop();
	s.server.closeAllConnections();
	await new Promise((r) => s.server.close(r));
}

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-api-http-'));
	appdb = await startAppDb('pglite');
	// A shared evaluation scenario over uploaded data (no region): any evaluator reads it (evaluate.scenarios.get).
	const owner = await addUser(appdb.db, { name: 'scenario-owner', role: 'evaluator', regions: [440000], password: 'Pw-evaluate-share-1234' });
	await upsertScenario(appdb.db, {
		id: SCENARIO_ID,
		userId: Number(owner.id),
		name: '共享方案',
		region: null,
		shared: true,
		payload: JSON.stringify({ methodology: { kind: 'builtin', id: 'egdi' }, source: { kind: 'upload', name: 'egdi.csv' }, edits: {}, weights: {} })
	});
	db = await ingestDatabase('apihttp');
	const event = (id: string, adcode: number) => ({
		type: 'case',
		event_id: id,
		case_id: id,
		status: 'submitted',
		ts: caseAt,
		adcode,
		department: '测试局',
		item_code: 'T1',
		item_name: '测试事项',
		channel: 'web',
		promised_days: 5,
		trips: 0,
		cross_province: false
	});
	const lines = [
		...Array.from({ length: SHENZHEN_CASES }, (_, i) => event(`sz-${i}`, 440305)),
		...Array.from({ length: GUANGZHOU_CASES }, (_, i) => event(`gz-${i}`, 440103))
	];
	// A 差评 in each city: reviews.timeline and reviews.act of a review by its id (the region is the review's).
	const review = (id: string, adcode: number) => ({
		type: 'review',
		review_id: id,
		case_id: id,
		ts: caseAt,
		adcode,
		department: '测试局',
		item_code: 'T1',
		channel: 'web',
		rating: 1,
		named: false,
		tags: ['排队时间长'],
		comment: '排队时间太长'
	});
	writeFileSync(
		path.join(dir, 'cases.ndjson'),
		[...lines, review('sz-review-1', 440305), review('gz-review-1', 440103)].map((l) => JSON.stringify(l)).join('\n') + '\n'
	);
	// reviews.act writes to a drop-box no worker reads here: its reply says `queued` at once.
	setActionDropBox(path.join(dir, 'actions'), 0);
	const year = Number(today.slice(0, 4));
	writeFileSync(
		path.join(dir, 'values.csv'),
		['indicator,adcode,period,value,unit,release_ts', `retailSales,440000,${year}-01,123,亿元,${year}-01-28T10:00:00+08:00`].join('\n') + '\n'
	);
	for (const f of ['cases.ndjson', 'values.csv']) {
		const r = await runIngest(db.database, ['--file', path.join(dir, f), '--once']).done;
		expect(r.code, r.stderr).toBe(0);
	}
}, 180_000);
afterAll(async () => {
	setActionDropBox(undefined);
	await appdb?.stop();
	await db?.drop();
	rmSync(dir, { recursive: true, force: true });
});

/** A valid input for every procedure: the fuzzing starts from these (a new procedure must be added here). */
const VALID: Record<string, unknown> = {
	'indicators.catalogue': undefined,
	'indicators.query': { indicators: ['caseVolume'], from: today, to: tomorrow, grain: 'day', region: { adcode: 440000, by: 'children' } },
	'regions.get': { adcode: 440300 },
	'regions.children': { adcode: 440000 },
	'live.query': { window: 'today', query: { indicators: ['caseVolume'], grain: 'total', region: { adcode: 440300 } } },
	'ingest.health': undefined,
	'economy.overview': { adcode: 440000, year: Number(today.slice(0, 4)) },
	'cockpit.panel': { adcode: 440300, panel: 'ticker' },
	'cockpit.picture': { adcode: 440300, mapIndicators: ['caseVolume'] },
	'cockpit.live': { adcode: 440300, panels: ['kpis'] },
	'reviews.overview': { adcode: 440000 },
	'hotline.overview': { adcode: 440000, days: 7 },
	'evaluate.methodologies': undefined,
	'evaluate.live': { methodology: 'capability', level: 'city', province: 440000, year: Number(today.slice(0, 4)) },
	'evaluate.baseline': { kind: 'capability' },
	'evaluate.movers': { indicator: 'onTimeRate', adcode: 440000, year: Number(today.slice(0, 4)) },
	'evaluate.scenarios.list': undefined,
	'evaluate.scenarios.save': {
		name: '广东 情景',
		payload: {
			methodology: { kind: 'builtin', id: 'capability' },
			source: { kind: 'live', methodology: 'capability', level: 'city', province: 440000, year: 2026 },
			edits: {},
			weights: { effectiveness: 40 }
		}
	},
	'evaluate.scenarios.get': { id: SCENARIO_ID },
	'evaluate.scenarios.remove': { id: 'not-a-saved-one-1' },
	'reviews.summary': { adcode: 440000, from: today, to: today },
	'reviews.rankings': { adcode: 440000, from: today, to: today, by: 'region' },
	'reviews.queue': { adcode: 440000 },
	'reviews.timeline': { reviewId: 'sz-review-1' },
	'reviews.act': { reviewId: 'sz-review-1', action: 'reply', note: '已电话回复', idempotencyKey: 'api-http-reply-0001' },
	'reviews.topics': { adcode: 440000, from: today, to: today },
	'analyze.series': {
		indicators: ['caseVolume', 'onTimeRate'],
		region: { adcode: 440000, by: 'children' },
		from: today,
		to: tomorrow,
		grain: 'day',
		compare: 'yoy'
	},
	'analyze.breakdown': { indicator: 'caseVolume', region: 440000, from: today, to: tomorrow, by: 'region' },
	'analyze.contributions': {
		indicator: 'onTimeRate',
		region: 440000,
		base: { from: yesterday, to: today },
		current: { from: today, to: tomorrow },
		by: ['region', 'channel']
	},
	'analyze.detail': { source: 'cases', region: 440000, from: today, to: tomorrow, limit: 5 },
	'analyze.pivot': { indicator: 'onTimeRate', region: 440000, from: today, to: tomorrow, rows: 'region', columns: 'channel' },
	'analyze.views.list': undefined,
	'analyze.views.save': { name: '广东 办件量', query: 'ind=caseVolume&r=440000' },
	'analyze.views.remove': { id: '987654321' }
};
const PATHS = Object.keys(VALID);
/** Mutations go as POST with the input as the body (tRPC refuses them over GET). */
const MUTATIONS = new Set(
	Object.entries((appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures)
		.filter(([, p]) => p._def.type === 'mutation')
		.map(([k]) => k)
);
const SUBSCRIPTIONS = new Set(
	Object.entries((appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures)
		.filter(([, p]) => p._def.type === 'subscription')
		.map(([k]) => k)
);

const HAN = /\p{Script=Han}/u;
/** An English sentence (three words in a row); identifiers such as `caseVolume` are single words. */
const ENGLISH = /[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}/;
/** What an error reply must never carry. */
const LEAK = /\bat .+:\d+:\d+|node_modules|\/work\/|\.ts:\d+|SELECT |FROM \w+|DB::Exception|Stack trace/;

interface Reply {
	status: number;
	requestId: string | null;
	body: unknown;
	text: string;
}

/** A GET or POST; a stream is read up to its first event, then closed. */
async function call(base: string, pathPart: string, query: string, init: RequestInit = {}): Promise<Reply> {
	if (MUTATIONS.has(pathPart) && !init.method && (query === '' || query.startsWith('?input=')))
		return call(base, pathPart, '', {
			...init,
			method: 'POST',
			headers: { ...(init.headers as Record<string, string> | undefined), 'content-type': 'application/json' },
			body: query ? decodeURIComponent(query.slice(7)) : ''
		});
	const controller = new AbortController();
	const res = await fetch(`${base}/${pathPart}${query}`, { ...init, signal: controller.signal });
	let text = '';
	if (res.headers.get('content-type')?.includes('text/event-stream')) {
		const reader = res.body!.getReader();
		const decoder = new TextDecoder();
		const deadline = Date.now() + 20_000;
		// Up to the first value (a tracked event has an id) or error; `connected` and pings come first.
		while (!/^id: |^event: serialized-error/m.test(text) && Date.now() < deadline) {
			const { value, done } = await reader.read();
			if (done) break;
			text += decoder.decode(value, { stream: true });
		}
		controller.abort();
		await reader.cancel().catch(() => undefined);
	} else text = await res.text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	return { status: res.status, requestId: res.headers.get('x-request-id'), body, text };
}

const input = (v: unknown) => (v === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(v))}`);

/** The error objects of a reply: one, or one per call of a batch. */
function errorsOf(body: unknown): Array<{ message: string; data?: { httpStatus?: number; code?: string; requestId?: string } }> {
	const items = Array.isArray(body) ? body : [body];
	return items.flatMap((i) =>
		(i as { error?: unknown })?.error ? [(i as { error: { message: string; data?: { httpStatus?: number; code?: string; requestId?: string } } }).error] : []
	);
}

/** The rules every reply keeps, whatever was asked. */
function expectSafe(r: Reply, served: Served, what: string) {
	expect(r.status, `${what} → ${r.status} ${r.text.slice(0, 300)}`).toBeLessThan(500);
	// A URL past Node's header limit (16 KiB) is refused by the HTTP server before the app: 431, no body.
	if (r.status === 431) return;
	expect(r.requestId, what).toMatch(/^[0-9a-f]{12}$/);
	expect(r.text, what).not.toMatch(LEAK);
	// Stream events that are errors (`event: serialized-error`) follow the same rules.
	const sseErrors = [...r.text.matchAll(/^event: serialized-error\ndata: (.+)$/gm)].map((m) => JSON.parse(m[1]!) as ReturnType<typeof errorsOf>[number]);
	for (const e of [...errorsOf(r.body), ...sseErrors]) {
		expect(e.message, what).toMatch(HAN);
		expect(e.message, what).not.toMatch(ENGLISH);
		// Input refusals name the field.
		const issue = (e.data as { issues?: Array<{ path: string }> } | undefined)?.issues?.[0];
		if (issue?.path) expect(e.message, what).toContain(issue.path);
		expect(e.data?.httpStatus ?? 400, `${what}: ${e.message}`).toBeLessThan(500);
		if (!sseErrors.includes(e as never)) expect(e.data?.requestId, what).toBe(r.requestId);
	}
	if (r.status >= 400)
		expect(
			served.log.some((l) => l.requestId === r.requestId),
			`${what}: a log line with the request id`
		).toBe(true);
}

// Extreme values a field may get instead of its own.
const extreme = fc.oneof(
	fc.constantFrom(
		8640000000000001,
		-8640000000000001,
		1e308,
		-1,
		0,
		2 ** 53,
		2 ** 31,
		0.5,
		'NaN',
		'Infinity',
		'-0',
		'1e999',
		'',
		null,
		true,
		[],
		{},
		'0x10',
		'２０２６-０１-０１'
	),
	fc.string({ maxLength: 30 }),
	fc.string({ unit: 'binary', minLength: 1000, maxLength: 20_000 }),
	fc.double(),
	fc.integer(),
	fc.array(fc.integer(), { maxLength: 2000 }),
	fc.anything({ maxDepth: 6, withNullPrototype: true, withObjectString: true }),
	fc.letrec((tie) => ({ deep: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant(1), fc.record({ a: tie('deep') })) })).deep
);

/** The valid input of a procedure with one leaf replaced, or an unknown key added somewhere. */
function mutated(valid: unknown) {
	return fc.tuple(fc.nat(), extreme, fc.boolean(), fc.string({ minLength: 1, maxLength: 12 })).map(([pick, value, addKey, key]) => {
		if (valid === undefined) return addKey ? { [key]: value } : value;
		const copy = structuredClone(valid) as Record<string, unknown>;
		const slots: Array<[Record<string, unknown>, string]> = [];
		const visit = (o: Record<string, unknown>) => {
			for (const [k, v] of Object.entries(o)) {
				slots.push([o, k]);
				if (v && typeof v === 'object' && !Array.isArray(v)) visit(v as Record<string, unknown>);
			}
		};
		visit(copy);
		const [owner, slot] = slots[pick % slots.length]!;
		if (addKey) owner[key in owner ? `${key}_x` : key] = value;
		else owner[slot] = value;
		return copy;
	});
}

describe('over HTTP, against a real warehouse', () => {
	let served: Served;
	beforeAll(async () => {
		served = await serve([0]);
	});
	afterAll(async () => close(served));

	it('knows a valid input for every procedure of the router', () => {
		const procedures = Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures).sort();
		expect(PATHS.slice().sort()).toEqual(procedures);
	});

	it('answers every procedure’s valid input with 200', { timeout: 120_000 }, async () => {
		for (const p of PATHS) {
			const r = await call(served.url, p, input(VALID[p]));
			expectSafe(r, served, p);
			expect(r.status, `${p}: ${r.text.slice(0, 300)}`).toBe(200);
		}
	});

	it('the issue’s request: an instant out of range is a 400 naming the field, and the server keeps serving', async () => {
		const r = await call(served.url, 'cockpit.panel', `?input=${encodeURIComponent('{"adcode":440300,"panel":"ticker","at":8640000000000001}')}`);
		expect(r.status).toBe(400);
		expectSafe(r, served, 'ticker at 8.64e15+1');
		const message = errorsOf(r.body)[0]!.message;
		expect(message).toMatch(/^at：/);
		expect(message).toContain('400 天');
		expect((await call(served.url, 'cockpit.panel', input({ adcode: 440300, panel: 'ticker' }))).status).toBe(200);
	});

	it('no random or extreme input to any procedure gets a 5xx, a stack or an English-only refusal', { timeout: 300_000 }, async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...PATHS).chain((p) => fc.tuple(fc.constant(p), mutated(VALID[p]))),
				async ([p, value]) => {
					const r = await call(served.url, p, input(value));
					expectSafe(r, served, `${p} ${JSON.stringify(value)?.slice(0, 200)}`);
				}
			),
			{ numRuns: 150, endOnFailure: true }
		);
	});

	it('unknown keys are refused, never turned into live topics', async () => {
		const before = served.hub.activeTopics;
		for (let i = 0; i < 5; i++) {
			const r = await call(
				served.url,
				'live.query',
				input({ ...(VALID['live.query'] as object), query: { ...(VALID['live.query'] as { query: object }).query, [`x${i}`]: i } })
			);
			expect(r.status).toBe(400);
			expect(errorsOf(r.body)[0]!.message).toContain(`x${i}`);
			expectSafe(r, served, 'unknown key');
		}
		expect(served.hub.activeTopics).toBe(before);
	});

	it('malformed requests, batches and bodies get a 4xx with a Chinese message', { timeout: 120_000 }, async () => {
		const raw = [
			'?input=%7B',
			'?input=undefined',
			'?input=' + encodeURIComponent('{"adcode":'),
			'?batch=1&input=[]',
			'?batch=1&input=' + encodeURIComponent('"x"')
		];
		for (const q of raw) expectSafe(await call(served.url, 'regions.get', q), served, q);
		for (const p of ['nope', 'regions', 'regions.get.x', '__proto__', 'constructor', '%00', '..%2F..%2Fetc', '%', '%E0%A4%A', 'regions.get%2C%']) {
			const r = await call(served.url, p, '');
			expect(r.status, p).toBeGreaterThanOrEqual(400);
			expectSafe(r, served, p);
		}
		// Batches: within the cap they answer; beyond it they are refused at once.
		const ok = await call(
			served.url,
			['regions.get', 'regions.children'].join(','),
			`?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { adcode: 440300 }, 1: { adcode: 440000 } }))}`
		);
		expect(ok.status).toBe(200);
		const many = Array.from({ length: MAX_BATCH + 1 }, () => 'indicators.catalogue').join(',');
		const refused = await call(served.url, many, '?batch=1');
		expect(refused.status).toBe(400);
		expect(errorsOf(refused.body)[0]!.message).toContain(`最多 ${MAX_BATCH} 个`);
		expectSafe(refused, served, 'batch over the cap');
		// A huge POST body.
		const big = await call(served.url, 'regions.get', '', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ adcode: 440300, pad: 'x'.repeat(200_000) })
		});
		expect(big.status).toBe(413);
		expectSafe(big, served, 'huge body');
		// A subscription inside a batch (found by the random paths): refused with the request id like the rest.
		const batched = await call(served.url, 'indicators.query,cockpit.live', '?batch=1');
		expect(batched.status).toBe(400);
		expectSafe(batched, served, 'batched subscription');
		// A mutation-style POST to a query is refused, not crashed.
		expectSafe(
			await call(served.url, 'regions.get', '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"adcode":440300}' }),
			served,
			'POST query'
		);
	});

	it('refuses a mutation over GET, alone or in a batch, like any other bad call', async () => {
		// Alone, a mutation over GET fails on its missing input first (400); in a GET batch, as a mutation over GET (405).
		for (const [p, q, status] of [
			['analyze.views.save', '', 400],
			['analyze.views.save', '?batch=1', 405],
			['regions.get,reviews.act', '?batch=1', 405],
			['reviews.act%2Cregions.get', '?batch=1', 405]
		] as const) {
			const r = await call(served.url, p, q);
			expectSafe(r, served, `GET ${p}${q}`);
			expect(r.status, `GET ${p}${q}`).toBe(status);
		}
	});

	it('random paths — any text, half-encoded — stay within the rules', { timeout: 120_000 }, async () => {
		const segment = fc.oneof(fc.constantFrom(...PATHS), fc.string({ maxLength: 40 }), fc.constantFrom('%', '%2C', '%E0%A4%A', ',', '..', '%00'));
		await fc.assert(
			fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean(), async (parts, batch) => {
				// Only what a URL cannot carry raw is escaped; stray percent signs stay.
				const p = parts.join('').replace(/[^\x21-\x7e]|[#?/]/gu, (c) => encodeURIComponent(c));
				expectSafe(await call(served.url, p, batch ? '?batch=1' : ''), served, p);
			}),
			{ numRuns: 60, endOnFailure: true }
		);
	});

	it('random batches of random calls stay within the rules', { timeout: 300_000 }, async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc
						// Batches go over GET: queries only (mutations are POST, one at a time).
						.constantFrom(...PATHS.filter((p) => !SUBSCRIPTIONS.has(p) && !MUTATIONS.has(p)))
						.chain((p) => fc.tuple(fc.constant(p), fc.oneof(fc.constant(VALID[p]), mutated(VALID[p])))),
					{ minLength: 1, maxLength: 30 }
				),
				async (calls) => {
					const inputs = Object.fromEntries(calls.map(([, v], i) => [i, v]));
					const r = await call(served.url, calls.map(([p]) => p).join(','), `?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
					expectSafe(r, served, `batch of ${calls.length}`);
					if (calls.length > MAX_BATCH) expect(r.status).toBe(400);
				}
			),
			{ numRuns: 40, endOnFailure: true }
		);
		// Still serving.
		expect((await call(served.url, 'indicators.catalogue', '')).status).toBe(200);
	});
});

describe('the users of a city (regions 440300)', () => {
	let served: Served;
	beforeAll(async () => {
		served = await serve([440300]);
	});
	afterAll(async () => close(served));

	const data = (r: Reply) => (r.body as { result: { data: unknown } }).result.data;
	const query = (adcode: number) => ({
		indicators: ['caseVolume'],
		from: bj(Date.now() - 2 * 24 * HOUR).slice(0, 10),
		to: tomorrow,
		grain: 'total',
		region: { adcode }
	});

	it('sees 深圳’s service data and not 广州’s nor the province’s', async () => {
		const own = await call(served.url, 'indicators.query', input(query(440300)));
		expect(own.status).toBe(200);
		expect((data(own) as { series: Array<{ total: { caseVolume: number } }> }).series[0]!.total.caseVolume).toBe(SHENZHEN_CASES);
		for (const adcode of [440100, 440103, 440000, 0]) {
			const r = await call(served.url, 'indicators.query', input(query(adcode)));
			expect(r.status, String(adcode)).toBe(403);
			expect(errorsOf(r.body)[0]!.message).toContain('无权查看');
			expectSafe(r, served, String(adcode));
		}
		expect((await call(served.url, 'cockpit.panel', input({ adcode: 440100, panel: 'kpis' }))).status).toBe(403);
		expect((await call(served.url, 'reviews.overview', input({ adcode: 440000 }))).status).toBe(403);
		expect((await call(served.url, 'ingest.health', '')).status).toBe(403);
		// The stream is refused before it opens.
		expect((await call(served.url, 'cockpit.live', input({ adcode: 440100, panels: ['kpis'] }), { headers: { accept: 'text/event-stream' } })).status).toBe(
			403
		);
	});

	it('opens its own cockpit: every panel of 深圳 answers, the economy panel with 广东’s published statistics', { timeout: 120_000 }, async () => {
		for (const panel of ['header', 'kpis', 'economy', 'services', 'reviews', 'map', 'rankings', 'ticker']) {
			const r = await call(served.url, 'cockpit.panel', input({ adcode: 440300, panel }));
			expect(r.status, `${panel}: ${r.text.slice(0, 300)}`).toBe(200);
		}
		const economy = data(await call(served.url, 'cockpit.panel', input({ adcode: 440300, panel: 'economy' }))) as {
			data: { region: { adcode: number }; lastRelease: string | null };
		};
		expect(economy.data.region.adcode).toBe(440000);
		expect(economy.data.lastRelease).not.toBeNull();
		// Published statistics of the regions above are public; of a sibling province they are not.
		expect((await call(served.url, 'economy.overview', input({ adcode: 440000, year: Number(today.slice(0, 4)) }))).status).toBe(200);
		expect((await call(served.url, 'economy.overview', input({ adcode: 0, year: Number(today.slice(0, 4)) }))).status).toBe(200);
		expect((await call(served.url, 'economy.overview', input({ adcode: 330000, year: Number(today.slice(0, 4)) }))).status).toBe(403);
		expect((await call(served.url, 'economy.overview', input({ adcode: 440100, year: Number(today.slice(0, 4)) }))).status).toBe(403);
		// Navigation shows the way down to 深圳 and nothing beside it.
		const children = data(await call(served.url, 'regions.children', input({ adcode: 440000 }))) as Array<{ adcode: number }>;
		expect(children.map((c) => c.adcode)).toEqual([440300]);
		const kpis = data(await call(served.url, 'cockpit.panel', input({ adcode: 440300, panel: 'kpis' }))) as {
			data: { kpis: Array<{ code: string; value: number | null }> };
		};
		// 深圳's planted cases, submitted an hour ago: today's figure, unless that hour was still yesterday (just after midnight).
		expect(kpis.data.kpis.find((k) => k.code === 'caseVolume')?.value).toBe(caseAt.slice(0, 10) === today ? SHENZHEN_CASES : 0);
	});
});

/**
 * The role × procedure matrix, written here by hand from the issue (leader: the
 * cockpit; analyst: analysis; evaluator: evaluation; service_manager: 好差评 and
 * 12345; admin: ingest health; a wall token: its cockpit only) — not read from
 * auth/access.ts, which it checks. Letters: L A E S D (admin) W (wall).
 */
const MATRIX: Record<string, string> = {
	'indicators.catalogue': 'LAESD',
	'indicators.query': 'LAES',
	'regions.get': 'LAESD',
	'regions.children': 'LAESD',
	'live.query': 'LAS',
	'ingest.health': 'D',
	'economy.overview': 'LAE',
	'cockpit.picture': 'LW',
	'cockpit.panel': 'LW',
	'cockpit.live': 'LW',
	'reviews.overview': 'LAES',
	'hotline.overview': 'LAS',
	'evaluate.methodologies': 'LE',
	'evaluate.live': 'LE',
	'evaluate.baseline': 'LE',
	'evaluate.movers': 'LE',
	'evaluate.scenarios.list': 'E',
	'evaluate.scenarios.save': 'E',
	'evaluate.scenarios.get': 'E',
	'evaluate.scenarios.remove': 'E',
	'reviews.summary': 'LAS',
	'reviews.rankings': 'LAES',
	'reviews.queue': 'S',
	'reviews.timeline': 'S',
	'reviews.act': 'S',
	'reviews.topics': 'LAS',
	'analyze.series': 'LA',
	'analyze.breakdown': 'LA',
	'analyze.contributions': 'LA',
	'analyze.detail': 'A',
	'analyze.pivot': 'LA',
	'analyze.views.list': 'A',
	'analyze.views.save': 'A',
	'analyze.views.remove': 'A'
};
const LETTER = { leader: 'L', analyst: 'A', evaluator: 'E', service_manager: 'S', admin: 'D' } as const;

describe('the role × procedure matrix, over HTTP with real sessions and a real wall token', () => {
	let served: Served;
	const callers: Record<string, string> = {};
	beforeAll(async () => {
		served = await serve([0]);
		const byRole = await signedIn.get('0')!;
		for (const role of ROLES) callers[LETTER[role]] = byRole[role];
		const { token } = await issueWallToken(appdb.db, { name: 'matrix-wall', adcode: 0, createdBy: 'test' });
		callers.W = `${WALL_COOKIE}=${token}`;
		// Nobody: a browser without a session (a cookie that is not one).
		callers['-'] = 'theme=dark';
	}, 120_000);
	afterAll(async () => close(served));

	it('lists every procedure of the router', () => {
		expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
	});

	it('allows each procedure exactly to the callers the matrix names: 200; others 403, nobody 401', { timeout: 300_000 }, async () => {
		const outcomes: string[] = [];
		for (const path of PATHS)
			for (const [who, cookie] of Object.entries(callers)) {
				const headers: Record<string, string> = { cookie };
				if (SUBSCRIPTIONS.has(path)) headers.accept = 'text/event-stream';
				const r = await call(served.url, path, input(VALID[path]), { headers });
				const expected = who === '-' ? 401 : MATRIX[path]!.includes(who) ? 200 : 403;
				outcomes.push(`${path} ${who} ${r.status}${r.status === expected ? '' : ` (expected ${expected}: ${r.text.slice(0, 160)})`}`);
				if (r.status !== 200) {
					expect(errorsOf(r.body)[0]!.message, `${path} ${who}`).toMatch(expected === 401 ? /请先登录/ : /无权/);
					expectSafe(r, served, `${path} ${who}`);
				}
			}
		expect(outcomes.filter((o) => o.includes('expected'))).toEqual([]);
		expect(outcomes).toHaveLength(PATHS.length * 7);
	});

	it('refuses a user who must change their password everything until they do', async () => {
		const user = await createTestUser(appdb.db, 'analyst', [0]);
		const { password } = await resetPassword(appdb.db, user.name);
		const cookie = await sessionCookie(appdb.db, { name: user.name, password });
		const r = await call(served.url, 'indicators.catalogue', '', { headers: { cookie } });
		expect(r.status).toBe(403);
		expect(errorsOf(r.body)[0]!.message).toContain('请先修改初始密码');
	});
});

/**
 * A user of 深圳 (440300) crafting calls for other regions — a sibling city, the
 * province, the nation, a county of another city, tampered codes — through every
 * procedure and live topic that takes a region: refused, and no reply carries a
 * row of a region outside 深圳 (published statistics of the regions above it excepted).
 */
describe('crafted calls of a city user for other regions', () => {
	let served: Served;
	beforeAll(async () => {
		served = await serve([440300]);
	}, 120_000);
	afterAll(async () => close(served));

	/** Every region code anywhere in a reply. */
	function codesIn(value: unknown, out: number[] = []): number[] {
		if (Array.isArray(value)) for (const v of value) codesIn(v, out);
		else if (value && typeof value === 'object')
			for (const [k, v] of Object.entries(value)) {
				// An error's JSON-RPC code (-32003) is no region.
				if (k === 'error') continue;
				// A query's series are keyed by their dimension values (the region among them).
				if (k === 'key' && v && typeof v === 'object') for (const d of Object.values(v)) if (typeof d === 'number' && d >= 110000) out.push(d);
				if (/^(adcode|code|regionCode|province_code|city_code)$/.test(k) && typeof v === 'number' && (k !== 'code' || v >= 110000)) out.push(v);
				else codesIn(v, out);
			}
		return out;
	}
	const inside = (c: number) => c === 440300 || Math.floor(c / 100) * 100 === 440300;
	const above = (c: number) => c === 0 || c === 440000;

	const OTHERS = [440100, 440000, 0, 440103, 450000, 110101];
	const TAMPERED: unknown[] = [440300.5, '440300', -440300, 4403000, 1440300, 44030, '0x6b6cc', null, [440300], { adcode: 440300 }];
	/** The procedures with a region, and how to put one into their valid input. */
	const withRegion: Record<string, (adcode: unknown) => unknown> = {
		'indicators.query': (a) => ({ ...(VALID['indicators.query'] as object), region: { adcode: a, by: 'children' } }),
		'regions.get': (a) => ({ adcode: a }),
		'regions.children': (a) => ({ adcode: a }),
		'live.query': (a) => ({ window: 'today', query: { indicators: ['caseVolume'], grain: 'total', region: { adcode: a } } }),
		'economy.overview': (a) => ({ adcode: a, year: Number(today.slice(0, 4)) }),
		'cockpit.panel': (a) => ({ adcode: a, panel: 'map' }),
		'cockpit.picture': (a) => ({ adcode: a, mapIndicators: ['caseVolume'] }),
		'cockpit.live': (a) => ({ adcode: a, panels: ['map', 'rankings'] }),
		'reviews.overview': (a) => ({ adcode: a }),
		'hotline.overview': (a) => ({ adcode: a, days: 7 }),
		'evaluate.live': (a) => ({ methodology: 'capability', level: 'city', province: a, year: Number(today.slice(0, 4)) }),
		'evaluate.movers': (a) => ({ indicator: 'onTimeRate', adcode: a, year: Number(today.slice(0, 4)) }),
		'evaluate.scenarios.save': (a) => {
			const v = structuredClone(VALID['evaluate.scenarios.save']) as { payload: { source: { province: unknown } } };
			v.payload.source.province = a;
			return v;
		},
		'reviews.summary': (a) => ({ adcode: a, from: today, to: today }),
		'reviews.rankings': (a) => ({ adcode: a, from: today, to: today, by: 'department' }),
		'reviews.queue': (a) => ({ adcode: a }),
		'reviews.topics': (a) => ({ adcode: a, from: today, to: today }),
		'analyze.series': (a) => ({ ...(VALID['analyze.series'] as object), region: { adcode: a, by: 'children' } }),
		'analyze.breakdown': (a) => ({ ...(VALID['analyze.breakdown'] as object), region: a }),
		'analyze.contributions': (a) => ({ ...(VALID['analyze.contributions'] as object), region: a }),
		'analyze.detail': (a) => ({ ...(VALID['analyze.detail'] as object), region: a }),
		'analyze.pivot': (a) => ({ ...(VALID['analyze.pivot'] as object), region: a })
	};
	/** Procedures that read no region's data (the catalogue, the ingest health of the whole feed, methodologies, published results, one's own scenarios). */
	const NO_REGION = new Set([
		'indicators.catalogue',
		'ingest.health',
		'evaluate.methodologies',
		'evaluate.baseline',
		'evaluate.scenarios.list',
		'evaluate.scenarios.get',
		'evaluate.scenarios.remove',
		// A review's region is its own: crafted ids are tried below.
		'reviews.timeline',
		'reviews.act',
		// One's own saved views; a view's region sits in its query text, and one outside the scope is refused (analyze.test.ts).
		'analyze.views.list',
		'analyze.views.save',
		'analyze.views.remove'
	]);

	it("refuses another city's 差评 by its id: its timeline and any action on it", async () => {
		for (const [path, v] of [
			['reviews.timeline', { reviewId: 'gz-review-1' }],
			['reviews.act', { reviewId: 'gz-review-1', action: 'verify', note: '', idempotencyKey: 'api-http-crafted-0001' }]
		] as const) {
			const r = await call(served.url, path, input(v));
			expectSafe(r, served, path);
			expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(403);
			expect(r.text).not.toContain('排队时间太长');
		}
		// Its own city's is answered.
		expect((await call(served.url, 'reviews.timeline', input({ reviewId: 'sz-review-1' }))).status).toBe(200);
	});

	it('covers every procedure that takes a region', () => {
		expect(Object.keys(withRegion).sort()).toEqual(PATHS.filter((p) => !NO_REGION.has(p)).sort());
	});

	it('gets 403 or 400 for other regions and tampered codes, and no reply holds a row of another region', { timeout: 300_000 }, async () => {
		const leaks: string[] = [];
		for (const [path, make] of Object.entries(withRegion))
			for (const adcode of [...OTHERS, ...TAMPERED]) {
				const headers: Record<string, string> = SUBSCRIPTIONS.has(path) ? { accept: 'text/event-stream' } : {};
				const r = await call(served.url, path, input(make(adcode)), { headers });
				const what = `${path} ${JSON.stringify(adcode)}`;
				expectSafe(r, served, what);
				// Published statistics of the regions above may be read; navigation answers with what is visible (nothing, for a sibling).
				const publishedAbove = typeof adcode === 'number' && above(adcode) && path === 'economy.overview';
				const navigation = typeof adcode === 'number' && path.startsWith('regions.') && r.status === 200;
				// The cities of its province, for a city-limited evaluator: its own city only (checked for leaks below), and a scenario over them.
				const ownCities =
					typeof adcode === 'number' && (path === 'evaluate.live' || path === 'evaluate.scenarios.save') && adcode === 440000 && r.status === 200;
				if (!publishedAbove && !navigation && !ownCities) expect([400, 403, 404], `${what}: ${r.text.slice(0, 200)}`).toContain(r.status);
				const outside = codesIn(r.body).filter((c) => !inside(c) && !above(c));
				if (outside.length) leaks.push(`${what}: ${[...new Set(outside)].join(',')}`);
			}
		expect(leaks).toEqual([]);
	});

	it('sees only 深圳 in its own replies: the map, the rankings and the children hold 深圳 and its counties only', { timeout: 120_000 }, async () => {
		for (const [path, v] of [
			['cockpit.panel', { adcode: 440300, panel: 'map' }],
			['cockpit.panel', { adcode: 440300, panel: 'rankings' }],
			['indicators.query', { ...(VALID['indicators.query'] as object), region: { adcode: 440300, by: 'children' } }],
			['regions.children', { adcode: 440000 }]
		] as const) {
			const r = await call(served.url, path, input(v));
			expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(200);
			const codes = codesIn(r.body);
			// The reply names regions at all (else the check below would pass on nothing; this feed has no reviews to rank).
			if (!JSON.stringify(v).includes('rankings')) expect(codes.some(inside), `${path}: ${r.text.slice(0, 200)}`).toBe(true);
			expect(
				codes.filter((c) => !inside(c) && !above(c)),
				path
			).toEqual([]);
		}
	});
});

describe('a warehouse that is away', () => {
	it('answers 503 数据暂时不可用 with the request id, logs it, and goes on serving', { timeout: 60_000 }, async () => {
		// A port where nothing listens: a real client, a real refused connection.
		const probe = createServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
		const port = (probe.address() as { port: number }).port;
		await new Promise((r) => probe.close(r));
		const away = createWarehouse(warehouseConfig({ CLICKHOUSE_URL: `http://127.0.0.1:${port}`, CLICKHOUSE_USER: 'reader', CLICKHOUSE_PASSWORD: 'x' }));
		const served = await serve([0], away);
		try {
			for (const [p, v] of [
				['cockpit.panel', { adcode: 440300, panel: 'kpis' }],
				['regions.get', { adcode: 440300 }],
				['indicators.query', VALID['indicators.query']]
			] as const) {
				const r = await call(served.url, p, input(v));
				expect(r.status, p).toBe(503);
				expect(errorsOf(r.body)[0]!.message).toBe('数据暂时不可用');
				expect(r.text).not.toMatch(LEAK);
				expect(r.text).not.toContain(String(port));
				expect(served.log.some((l) => l.requestId === r.requestId && l.level === 50)).toBe(true);
			}
			// What needs no warehouse still answers.
			expect((await call(served.url, 'indicators.catalogue', '')).status).toBe(200);
		} finally {
			await close(served);
			await away.close();
		}
	});
});

describe('an internal error', () => {
	it('is a 500 that says 服务器内部错误 with the request id — nothing of the warehouse’s text — and is logged in full', async () => {
		// A database that does not exist: the warehouse answers every query with an exception naming it.
		const broken = createWarehouse(testConfig('no_such_database_h4'));
		const served = await serve([0], broken);
		try {
			const r = await call(served.url, 'regions.get', input({ adcode: 440300 }));
			expect(r.status).toBe(500);
			expect(errorsOf(r.body)[0]!.message).toBe(`服务器内部错误（请求编号 ${r.requestId}）`);
			expect(r.text).not.toMatch(LEAK);
			expect(r.text).not.toContain('no_such_database_h4');
			const line = served.log.find((l) => l.requestId === r.requestId)!;
			expect(line).toMatchObject({ level: 50, msg: 'request failed', path: 'regions.get', code: 'INTERNAL_SERVER_ERROR' });
			expect(JSON.stringify(line.err)).toContain('no_such_database_h4');
			// And the server goes on.
			expect((await call(served.url, 'indicators.catalogue', '')).status).toBe(200);
		} finally {
			await close(served);
			await broken.close();
		}
	});
});
