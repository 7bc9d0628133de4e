/**
 * The 好差评 workbench (issue 15) against the real warehouse, ingest worker and app database: a feed of 差评 and
 * actions goes through the worker (deadlines stamped by the regions' rules: 5, 7 and 15 working days), the
 * disallowed actions land in the dead-letter table, and the queue equals what is worked out by hand here from
 * the raw events — states, deadlines across 国庆 2025 and 春节 2026, overdue and due soon. Then a city-limited
 * service manager acts through the API (the screen's path: the worker's drop-box), is refused what the state or
 * the scope does not allow, and an upheld appeal leaves the 好评率's denominator.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestWorker } from '../../ingest/worker/worker.ts';
import { RegionIndex } from '../../ingest/pipeline/regions.ts';
import { DeadlinePolicy } from '../../ingest/pipeline/deadlines.ts';
import { appRouter } from '../../src/lib/server/api/root.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import { principalFrom } from '../../src/lib/server/auth/door.ts';
import { authLimits } from '../../src/lib/server/auth/limits.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { queue, summary } from '../../src/lib/server/reviews/service.ts';
import { setActionDropBox } from '../../src/lib/server/reviews/act.ts';
import { ingestDatabase } from '../helpers/ingest.ts';
import { startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { createTestUser, sessionCookie } from '../helpers/auth.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let appdb: TestAppDb;
const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-reviews-'));
const all = { all: true } as const;

// Deadlines: 5 working days by default (东城 110101), 7 in 深圳 (440300: 福田 440304, 南山 440305), 15 in 天河 (440106).
const deadlines = new DeadlinePolicy({
	negativeReviewRectifyDays: { default: 5, regions: { '440300': 7, '440106': 15 } },
	receiptCutoff: { default: null, regions: {} }
});

const review = (id: string, adcode: number, ts: string, rating: number, extra: Record<string, unknown> = {}) => ({
	type: 'review',
	review_id: id,
	case_id: `c-${id}`,
	ts,
	adcode,
	department: '市场监督管理局',
	item_code: 'SC-001',
	channel: 'counter',
	rating,
	named: true,
	tags: rating <= 2 ? ['排队时间长'] : [],
	comment: rating <= 2 ? '排队时间太长，联系电话13812345678' : '',
	...extra
});
const action = (id: string, reviewId: string, kind: string, ts: string, extra: Record<string, unknown> = {}) => ({
	type: 'review_action',
	action_id: id,
	review_id: reviewId,
	action: kind,
	ts,
	outcome: `${kind} 说明`,
	...extra
});

// The instant the queue is read at: Thursday 26 February 2026, 10:00 Beijing.
const AT = Date.parse('2026-02-26T10:00:00+08:00');

const FEED = [
	// R1 东城, Tuesday 30 Sep 2025 (5 days across 国庆: Oct 1–8 off, Sat 11 Oct worked) → due 2025-10-14; rectified in time.
	review('R1', 110101, '2025-09-30T10:00:00+08:00', 1),
	action('R1-v', 'R1', 'verify', '2025-09-30T15:00:00+08:00'),
	action('R1-r', 'R1', 'rectify', '2025-10-10T11:00:00+08:00'),
	// R8 天河, Monday 29 Sep 2025, 15 days across 国庆 → due 2025-10-27; never handled: overdue.
	review('R8', 440106, '2025-09-29T16:00:00+08:00', 2),
	// R5 南山, Monday 5 Jan 2026, 7 days → due 2026-01-14; rectified on the 16th (late), followed up; a second follow-up is refused.
	review('R5', 440305, '2026-01-05T10:00:00+08:00', 1),
	action('R5-v', 'R5', 'verify', '2026-01-06T09:00:00+08:00'),
	action('R5-r', 'R5', 'rectify', '2026-01-16T09:00:00+08:00'),
	action('R5-f', 'R5', 'follow_up', '2026-01-20T09:00:00+08:00', { satisfaction: '满意' }),
	action('R5-f2', 'R5', 'follow_up', '2026-01-21T09:00:00+08:00', { satisfaction: 5 }),
	// R4 南山, Tuesday 20 Jan 2026, 7 days → due 2026-01-29; verified only: overdue.
	review('R4', 440305, '2026-01-20T10:00:00+08:00', 2),
	action('R4-v', 'R4', 'verify', '2026-01-21T10:00:00+08:00'),
	// R6 福田, Monday 2 Feb 2026, 7 days → due 2026-02-11; appealed and upheld; a verify after that is refused.
	review('R6', 440304, '2026-02-02T10:00:00+08:00', 1),
	action('R6-a', 'R6', 'appeal', '2026-02-03T10:00:00+08:00'),
	action('R6-u', 'R6', 'appeal_upheld', '2026-02-04T10:00:00+08:00'),
	action('R6-v', 'R6', 'verify', '2026-02-05T10:00:00+08:00'),
	// R3 天河, Tuesday 10 Feb 2026, 15 days across 春节 (Feb 15–23 off; Sat 14 and Sat 28 Feb worked) → due 2026-03-09.
	review('R3', 440106, '2026-02-10T15:00:00+08:00', 2),
	// Rectify before verify: refused.
	action('R3-r', 'R3', 'rectify', '2026-02-11T10:00:00+08:00'),
	// R2 福田, Thursday 12 Feb 2026, 7 days across 春节 → due 2026-02-28 (a Saturday worked); new, due within two working days on the 26th.
	review('R2', 440304, '2026-02-12T09:00:00+08:00', 2),
	// 福田's good reviews: with R2 and R6, 10 reviews in February, 8 good.
	...Array.from({ length: 8 }, (_, i) => review(`P${i}`, 440304, `2026-02-0${i + 1}T11:00:00+08:00`, 4 + (i % 2)))
];

/** The queue worked out by hand from FEED at AT: state, deadline, due status, rectified late. */
const EXPECTED: Record<string, { state: string; due: string; dueStatus: string; rectifiedLate: boolean }> = {
	R1: { state: 'rectified', due: '2025-10-14', dueStatus: 'done', rectifiedLate: false },
	R8: { state: 'new', due: '2025-10-27', dueStatus: 'overdue', rectifiedLate: false },
	R5: { state: 'followed_up', due: '2026-01-14', dueStatus: 'done', rectifiedLate: true },
	R4: { state: 'verified', due: '2026-01-29', dueStatus: 'overdue', rectifiedLate: false },
	R6: { state: 'upheld', due: '2026-02-11', dueStatus: 'done', rectifiedLate: false },
	R3: { state: 'new', due: '2026-03-09', dueStatus: 'ok', rectifiedLate: false },
	R2: { state: 'new', due: '2026-02-28', dueStatus: 'soon', rectifiedLate: false }
};

let worker: IngestWorker;
let watching: Promise<void>;
const dropBox = path.join(dir, 'actions');

beforeAll(async () => {
	// One after the other: two parts starting at once on a busy machine each take longer to be ready.
	appdb = await startAppDb('pglite', { migrate: true });
	db = await ingestDatabase('reviews');
	const regions = await RegionIndex.load(db.warehouse);
	const feedWorker = new IngestWorker({
		warehouse: db.warehouse,
		regions,
		logger: pino({ level: 'silent' }),
		deadlines,
		flushIntervalMs: 0,
		metricsIntervalMs: 3_600_000
	});
	const feed = path.join(dir, 'feed.ndjson');
	writeFileSync(feed, FEED.map((e) => JSON.stringify(e)).join('\n') + '\n');
	await feedWorker.ingestFile(feed);
	await feedWorker.stop();
	// The worker the screen's actions reach, as `tianshu start` runs it: watching the drop-box.
	worker = new IngestWorker({
		warehouse: db.warehouse,
		regions,
		logger: pino({ level: 'silent' }),
		deadlines,
		flushIntervalMs: 100,
		pollMs: 100,
		metricsIntervalMs: 3_600_000
	});
	watching = worker.watchDropBox(dropBox);
	setActionDropBox(dropBox);
}, 180_000);

afterAll(async () => {
	setActionDropBox(undefined);
	await worker?.stop();
	await watching;
	await Promise.all([db?.drop(), appdb?.stop()]);
	rmSync(dir, { recursive: true, force: true });
});

describe('the ingest worker checks 差评 actions against the review state', () => {
	it('sends the disallowed ones to the dead-letter table with the reason and keeps the rest', async () => {
		const rs = await db.warehouse.query({
			query: "SELECT step, reason, detail FROM ingest_dead_letter WHERE reason = 'action_not_allowed' ORDER BY detail",
			format: 'JSONEachRow'
		});
		const dead = await rs.json<{ step: string; reason: string; detail: string }>();
		expect(dead.map((d) => d.step)).toEqual(['check', 'check', 'check']);
		const details = dead.map((d) => d.detail).join('\n');
		expect(details).toContain('请先核实该差评，再登记整改（差评 R3，动作 R3-r）');
		expect(details).toContain('该差评已回访，不能重复回访（差评 R5，动作 R5-f2）');
		expect(details).toContain('申诉已成立'); // R6-v
		const stored = await (
			await db.warehouse.query({ query: 'SELECT action_id FROM review_actions ORDER BY action_id', format: 'JSONEachRow' })
		).json<{ action_id: string }>();
		expect(stored.map((s) => s.action_id)).toEqual(['R1-r', 'R1-v', 'R4-v', 'R5-f', 'R5-r', 'R5-v', 'R6-a', 'R6-u']);
	});
});

describe('the 差评 queue', () => {
	it('equals the states, deadlines and overdue worked out by hand from the raw events, 国庆 and 春节 included', async () => {
		const page = await queue({ warehouse: db.warehouse, scope: all }, { adcode: 0, sort: 'deadline', limit: 100 }, AT);
		const got = Object.fromEntries(page.rows.map((r) => [r.reviewId, { state: r.state, due: r.due, dueStatus: r.dueStatus, rectifiedLate: r.rectifiedLate }]));
		expect(got).toEqual(EXPECTED);
		expect(page.total).toBe(7);
		// Open ones first by deadline: R8 (2025-10-27), R4 (01-29), R2 (02-28), R3 (03-09).
		expect(page.rows.slice(0, 4).map((r) => r.reviewId)).toEqual(['R8', 'R4', 'R2', 'R3']);
		// The comment's phone number is masked.
		expect(page.rows.find((r) => r.reviewId === 'R2')!.comment).not.toContain('13812345678');
	});

	it('filters (overdue, a state) and pages by keyset without losing or repeating a row', async () => {
		const ctx = { warehouse: db.warehouse, scope: all };
		const overdue = await queue(ctx, { adcode: 0, due: 'overdue', sort: 'deadline', limit: 100 }, AT);
		expect(overdue.rows.map((r) => r.reviewId)).toEqual(['R8', 'R4']);
		const verified = await queue(ctx, { adcode: 440300, state: 'verified', sort: 'newest', limit: 100 }, AT);
		expect(verified.rows.map((r) => r.reviewId)).toEqual(['R4']);
		const seen: string[] = [];
		let after: Array<string | number> | undefined;
		for (let i = 0; i < 10; i++) {
			const p = await queue(ctx, { adcode: 0, sort: 'newest', limit: 3, after }, AT);
			seen.push(...p.rows.map((r) => r.reviewId));
			if (!p.next) break;
			after = p.next;
		}
		expect(seen).toEqual(['R2', 'R3', 'R6', 'R4', 'R5', 'R1', 'R8']);
	});
});

describe('handling from the screen, through the API', () => {
	let manager: Principal;
	const callerOf = (principal: Principal) => {
		const context = {
			warehouse: db.warehouse,
			hub: new LiveHub({ watermark: async () => '' }),
			principal,
			scope: all,
			appDb: appdb.db
		};
		return appRouter.createCaller(context);
	};

	beforeAll(async () => {
		// A service manager of 深圳 only.
		const user = await createTestUser(appdb.db, 'service_manager', [440300]);
		const cookie = await sessionCookie(appdb.db, user);
		manager = (await principalFrom(appdb.db, { session: cookie.slice(SESSION_COOKIE.length + 1) }, '127.0.0.1', authLimits({})))!;
		expect(manager.kind).toBe('user');
	}, 60_000);

	it('verifies a 差评: stored through the worker, in the queue, on the audit record; a double click is one action', { timeout: 60_000 }, async () => {
		const api = callerOf(manager);
		const r = await api.reviews.act({ reviewId: 'R2', action: 'verify', note: '已联系群众核实', idempotencyKey: 'key-R2-verify-0001' });
		expect(r).toMatchObject({ actionId: 'ui-key-R2-verify-0001', status: 'stored', state: 'verified' });
		const again = await api.reviews.act({ reviewId: 'R2', action: 'verify', note: '已联系群众核实', idempotencyKey: 'key-R2-verify-0001' });
		expect(again.status).toBe('duplicate');
		const n = await (
			await db.warehouse.query({ query: "SELECT count() AS n FROM review_actions WHERE review_id = 'R2'", format: 'JSONEachRow' })
		).json<{ n: string }>();
		expect(Number(n[0]!.n)).toBe(1);
		const q = await api.reviews.queue({ adcode: 440304 });
		expect(q.rows.find((x) => x.reviewId === 'R2')?.state).toBe('verified');
		const t = await api.reviews.timeline({ reviewId: 'R2' });
		expect(t.events.map((e) => e.kind)).toEqual(['review', 'verify']);
		expect(t.events[1]!.source).toBe('办理页面');
		const audit = await appdb.db.query<{ n: string }>("SELECT count(*) AS n FROM audit_log WHERE action = 'review_action' AND detail->>'reviewId' = 'R2'");
		expect(Number(audit[0]!.n)).toBe(1);
	});

	it('refuses a disallowed action with its message and changes nothing', { timeout: 60_000 }, async () => {
		const api = callerOf(manager);
		// R2 is verified: a follow-up before rectification is refused.
		await expect(
			api.reviews.act({ reviewId: 'R2', action: 'follow_up', note: '', satisfaction: 4, idempotencyKey: 'key-R2-follow-0001' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: '请先完成整改，再回访'
		});
		// R5 (南山) was followed up already.
		await expect(
			api.reviews.act({ reviewId: 'R5', action: 'follow_up', note: '', satisfaction: '满意', idempotencyKey: 'key-R5-follow-0002' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: '该差评已回访，不能重复回访'
		});
		const n = await (
			await db.warehouse.query({ query: "SELECT count() AS n FROM review_actions WHERE review_id IN ('R2', 'R5')", format: 'JSONEachRow' })
		).json<{ n: string }>();
		expect(Number(n[0]!.n)).toBe(4);
	});

	it('a rectification on screen reaches the rollups and the cockpit: 待整改 (past the deadline) falls by one', { timeout: 60_000 }, async () => {
		const api = callerOf(manager);
		// R4 (南山) is verified and past its deadline.
		const before = await api.reviews.overview({ adcode: 440305 });
		expect(before.negativeLate).toBe(1);
		const r = await api.reviews.act({ reviewId: 'R4', action: 'rectify', note: '已优化窗口排队叫号', idempotencyKey: 'key-R4-rectify-0001' });
		expect(r).toMatchObject({ status: 'stored', state: 'rectified' });
		const after = await api.reviews.overview({ adcode: 440305 });
		expect(after.negativeLate).toBe(0);
		// The rollup of actions counted it.
		const n = await (
			await db.warehouse.query({ query: 'SELECT sum(rectified) AS n FROM review_action_stats_day WHERE adcode = 440305', format: 'JSONEachRow' })
		).json<{ n: string }>();
		// R4's: the screen's action carries the review's region (the feed's actions here carry none, adcode 0).
		expect(Number(n[0]!.n)).toBe(1);
	});

	it("keeps a city-limited manager out of another city's 差评 (crafted calls)", async () => {
		const api = callerOf(manager);
		// R3 and R8 are 天河's (广州).
		await expect(api.reviews.act({ reviewId: 'R3', action: 'verify', note: '', idempotencyKey: 'key-R3-verify-0001' })).rejects.toMatchObject({
			code: 'FORBIDDEN'
		});
		await expect(api.reviews.timeline({ reviewId: 'R8' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(api.reviews.queue({ adcode: 440100 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(api.reviews.queue({ adcode: 0 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		const own = await api.reviews.queue({ adcode: 440300, limit: 100 });
		expect(own.rows.map((r) => r.reviewId).sort()).toEqual(['R2', 'R4', 'R5', 'R6']);
		expect(own.rows.find((r) => r.reviewId === 'R4')!.state).toBe('rectified');
		// Rankings inside the scope (the region filter once met the inner query's aliases and failed): 深圳, Jan–Feb:
		// R5, R4, R6 (upheld, out), R2 and the eight good ones, all 市场监督管理局 → 11 reviews, 8 good, 3 差评.
		const ranked = await api.reviews.rankings({ adcode: 440300, from: '2026-01-01', to: '2026-02-28', by: 'department' });
		expect(ranked.rows.map((r) => [r.unit, r.reviews, r.positive, r.negative])).toEqual([['市场监督管理局', 11, 8, 3]]);
		const n = await (
			await db.warehouse.query({ query: "SELECT count() AS n FROM review_actions WHERE review_id = 'R3'", format: 'JSONEachRow' })
		).json<{ n: string }>();
		expect(Number(n[0]!.n)).toBe(0);
	});

	it('an upheld appeal leaves the 好评率 denominator (figures before and after)', { timeout: 60_000 }, async () => {
		const api = callerOf(manager);
		const period = { adcode: 440304, from: '2026-02-01', to: '2026-02-28' };
		const positive = async () => (await api.reviews.summary(period)).figures.find((f) => f.id === 'positiveRate')!;
		// 福田, February: 10 reviews, 8 good; R6's appeal is upheld already: 8 of 9.
		const before = await positive();
		expect([before.numerator, before.denominator]).toEqual([8, 9]);
		// R2: appeal, then upheld → 8 of 8.
		expect((await api.reviews.act({ reviewId: 'R2', action: 'appeal', note: '评价与办件无关', idempotencyKey: 'key-R2-appeal-0001' })).status).toBe('stored');
		const decided = await api.reviews.act({
			reviewId: 'R2',
			action: 'decide_appeal',
			decision: 'upheld',
			note: '经核查评价人误评',
			idempotencyKey: 'key-R2-decide-0001'
		});
		expect(decided).toMatchObject({ status: 'stored', state: 'upheld' });
		const after = await positive();
		expect([after.numerator, after.denominator]).toEqual([8, 8]);
		expect(after.value).toBe(100);
		const s = await summary({ warehouse: db.warehouse, scope: all }, period);
		expect(s.figures.find((f) => f.id === 'negativeCount')!.value).toBe(0);
		// Anything after an upheld appeal is refused.
		await expect(api.reviews.act({ reviewId: 'R2', action: 'rectify', note: '整改', idempotencyKey: 'key-R2-rectify-0001' })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
	});
});
