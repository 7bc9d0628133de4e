/**
 * One definition of the 好差评 figures: for the same region and period a leader (the cockpit's 好差评 panel and its
 * satisfaction ranking) and a service manager (/reviews' summary and rankings) read the same numbers, and both
 * equal a recount from the raw tables written here with the rules spelled out by hand:
 *
 * - a 差评 (rating ≤ 2) whose appeal was decided upheld (申诉成立) by the instant counts nowhere — not in the
 *   reviews, not in the 差评, not in the handling; an overturned appeal (申诉驳回) changes nothing;
 * - 好评率 = 好评 ÷ (reviews − upheld); 差评数 = 差评 − upheld;
 * - of the 差评 received in the period and not upheld: replied = a 核实 (verify) or 回复 (reply) by the instant,
 *   rectified, followed up (回访), rectified on or before the deadline's Beijing date;
 * - 待整改 at the instant: 差评 with a deadline, neither rectified nor upheld by then (waiting / late by the date).
 *
 * Rows go straight into the raw tables (the views feed the rollups and negative_reviews).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviews as reviewsPanel } from '../../src/lib/server/cockpit/panels/reviews.ts';
import { rankings as rankingsPanel } from '../../src/lib/server/cockpit/panels/rankings.ts';
import { satisfactionInputs } from '../../src/lib/server/queries/cockpit/satisfaction.ts';
import { rankings as reviewsRankings, summary } from '../../src/lib/server/reviews/service.ts';
import { verifyCockpit } from '../../src/lib/server/queries/verify/check.ts';
import { kpis as kpisPanel } from '../../src/lib/server/cockpit/panels/kpis.ts';
import { map as mapPanel } from '../../src/lib/server/cockpit/panels/map.ts';
import { range } from '../../src/lib/server/cockpit/panels/shared.ts';
import { runQuery } from '../../src/lib/server/planner/run.ts';
import { QueryRequest, type QueryInput } from '../../src/lib/server/planner/request.ts';
import { rebuildRollups } from '../../src/cli/rollups.ts';
import { storeBatch } from '../../ingest/worker/exactly-once.ts';
import { unitDayTallies } from '../../src/lib/server/queries/reviews/alerts.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Friday 20 November 2026, 15:30 Beijing (07:30 UTC). The cockpit's 30 days: Beijing 22 Oct – 20 Nov up to the instant.
const at = Date.UTC(2026, 10, 20, 7, 30);
const day = Date.UTC(2026, 10, 19, 16);
const from = day - 29 * DAY;
const FROM = '2026-10-22';
const TO = '2026-11-20';

const NANSHAN = 440305;
const FUTIAN = 440304;
const SHENZHEN = 440300;
const all = { all: true } as const;

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
const place = (adcode: number) => ({ adcode, city_code: Math.floor(adcode / 100) * 100, province_code: Math.floor(adcode / 10000) * 10000 });
const date = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);

function review(id: string, adcode: number, ts: number, rating: number, due: number | null = null) {
	return {
		review_id: id,
		case_id: `c-${id}`,
		ts: utc(ts),
		...place(adcode),
		department: '市场监督管理局',
		item_code: 'SC-001',
		channel: 'counter',
		rating,
		named: true,
		tags: rating <= 2 ? ['排队时间长'] : [],
		comment: '',
		rectify_due_date: due === null ? null : date(due),
		source: 'agree-test'
	};
}
let seq = 0;
function act(id: string, kind: string, ts: number, satisfaction: number | null = null) {
	// Filed without a region, as feeds often do: the 差评 stays its review's.
	return {
		action_id: `a-${id}-${seq++}`,
		review_id: id,
		action: kind,
		ts: utc(ts),
		outcome: '',
		satisfaction,
		adcode: 0,
		province_code: 0,
		city_code: 0,
		source: 'agree-test'
	};
}
function completed(id: string, adcode: number, ts: number) {
	return {
		event_id: `e-${id}`,
		case_id: `c-${id}`,
		status: 'completed',
		ts: utc(ts),
		...place(adcode),
		department: '市场监督管理局',
		item_code: 'SC-001',
		item_name: '食品经营许可',
		channel: 'counter',
		promised_days: 5,
		trips: 1,
		cross_province: false,
		submitted_at: utc(ts - 2 * DAY),
		due_date: date(ts + 3 * DAY),
		duration_s: 2 * 86_400,
		on_time: true,
		source: 'agree-test'
	};
}

beforeAll(async () => {
	db = await ingestDatabase('agree');
	const d = (n: number) => day - n * DAY; // Beijing midnight n days before the instant's day
	const reviews = [
		// 南山: six 好评 and six 差评.
		...[5, 4, 3, 5, 4, 3].map((rating, i) => review(`NP${i}`, NANSHAN, d(10 - i) + 10 * HOUR, rating)),
		review('N1', NANSHAN, d(9) + 9 * HOUR, 1, d(2)), // appeal upheld before the instant: out of every figure
		review('N2', NANSHAN, d(8) + 9 * HOUR, 1, d(3)), // appeal overturned, then verified, rectified in time, followed up 满意
		review('N3', NANSHAN, d(7) + 9 * HOUR, 2, d(4)), // verified, rectified late, followed up 不满意
		review('N4', NANSHAN, d(6) + 9 * HOUR, 2, d(1)), // replied (回复) only: past its deadline at the instant
		review('N5', NANSHAN, d(5) + 9 * HOUR, 1, d(-3)), // verified only: its deadline is still ahead
		review('N6', NANSHAN, d(4) + 9 * HOUR, 2, d(-2)), // verified, appealed, upheld an hour after the instant: still counts
		// 福田: three 好评 and two 差评.
		...[5, 4, 4].map((rating, i) => review(`FP${i}`, FUTIAN, d(12 - i) + 11 * HOUR, rating)),
		review('F1', FUTIAN, d(9) + 14 * HOUR, 1, d(1)), // appeal upheld
		review('F2', FUTIAN, d(8) + 14 * HOUR, 2, d(2)) // verified and rectified in time
	];
	const actions = [
		act('N1', 'appeal', d(9) + 12 * HOUR),
		act('N1', 'appeal_upheld', d(8) + 12 * HOUR),
		act('N2', 'appeal', d(8) + 12 * HOUR),
		act('N2', 'appeal_overturned', d(7) + 12 * HOUR),
		act('N2', 'verify', d(7) + 13 * HOUR),
		act('N2', 'rectify', d(4) + 10 * HOUR),
		act('N2', 'follow_up', d(3) + 10 * HOUR, 4),
		act('N3', 'verify', d(7) + 12 * HOUR),
		act('N3', 'rectify', d(2) + 10 * HOUR),
		act('N3', 'follow_up', d(1) + 10 * HOUR, 2),
		act('N4', 'reply', d(6) + 12 * HOUR),
		act('N5', 'verify', d(5) + 12 * HOUR),
		act('N6', 'verify', d(4) + 12 * HOUR),
		act('N6', 'appeal', d(1) + 12 * HOUR),
		act('N6', 'appeal_upheld', at + HOUR),
		act('F1', 'appeal', d(9) + 15 * HOUR),
		act('F1', 'appeal_upheld', d(8) + 15 * HOUR),
		act('F2', 'verify', d(8) + 16 * HOUR),
		act('F2', 'rectify', d(3) + 16 * HOUR)
	];
	// Completed cases, so the satisfaction index has its 主动评价率: 南山 14, 福田 4 (fewer than its reviews).
	const cases = [
		...Array.from({ length: 14 }, (_, i) => completed(`NC${i}`, NANSHAN, d(12) + i * HOUR)),
		...Array.from({ length: 4 }, (_, i) => completed(`FC${i}`, FUTIAN, d(12) + i * HOUR))
	];
	await db.warehouse.insert({ table: 'case_events', values: cases, format: 'JSONEachRow' });
	await db.warehouse.insert({ table: 'reviews', values: reviews, format: 'JSONEachRow' });
	await db.warehouse.insert({ table: 'review_actions', values: actions, format: 'JSONEachRow' });
}, 180_000);
afterAll(async () => {
	await db?.drop();
});

interface Oracle {
	reviews: number;
	positive: number;
	negative: number;
	upheld: number;
	replied: number;
	rectified: number;
	followed_up: number;
	satisfied: number;
	rectified_on_time: number;
	waiting: number;
	late: number;
}

/** The raw-table recount, the rules written out here (not the code under test's statements). */
async function oracle(adcode: number): Promise<Oracle> {
	const rs = await db.warehouse.query({
		query: `
		WITH {at:DateTime64(3, 'UTC')} AS instant,
		     (SELECT groupArray(review_id) FROM review_actions WHERE action = 'appeal_upheld' AND ts <= {at:DateTime64(3, 'UTC')}) AS upheld_ids,
		     (SELECT groupArray(review_id) FROM review_actions WHERE action IN ('verify', 'reply') AND ts <= {at:DateTime64(3, 'UTC')}) AS replied_ids,
		     (SELECT groupArray(review_id) FROM review_actions WHERE action = 'follow_up' AND ts <= {at:DateTime64(3, 'UTC')}) AS followed_ids,
		     (SELECT groupArray(review_id) FROM review_actions WHERE action = 'follow_up' AND ts <= {at:DateTime64(3, 'UTC')} AND satisfaction >= 3) AS satisfied_ids
		SELECT
		    count() AS reviews,
		    countIf(rating >= 3) AS positive,
		    countIf(rating <= 2) AS negative,
		    countIf(rating <= 2 AND has(upheld_ids, review_id)) AS upheld,
		    countIf(rating <= 2 AND NOT has(upheld_ids, review_id) AND has(replied_ids, review_id)) AS replied,
		    countIf(rating <= 2 AND NOT has(upheld_ids, review_id) AND ifNull(first_rectified <= instant, false)) AS rectified,
		    countIf(rating <= 2 AND NOT has(upheld_ids, review_id) AND has(followed_ids, review_id)) AS followed_up,
		    countIf(rating <= 2 AND NOT has(upheld_ids, review_id) AND has(satisfied_ids, review_id)) AS satisfied,
		    countIf(rating <= 2 AND NOT has(upheld_ids, review_id) AND ifNull(first_rectified <= instant, false)
		            AND toDate(first_rectified, 'Asia/Shanghai') <= rectify_due_date) AS rectified_on_time,
		    countIf(rating <= 2 AND NOT has(upheld_ids, review_id) AND rectify_due_date IS NOT NULL AND NOT ifNull(first_rectified <= instant, false)
		            AND rectify_due_date >= toDate(instant, 'Asia/Shanghai')) AS waiting,
		    countIf(rating <= 2 AND NOT has(upheld_ids, review_id) AND rectify_due_date IS NOT NULL AND NOT ifNull(first_rectified <= instant, false)
		            AND rectify_due_date < toDate(instant, 'Asia/Shanghai')) AS late
		FROM reviews AS r
		LEFT JOIN (SELECT review_id, min(ts) AS first_rectified FROM review_actions WHERE action = 'rectify' GROUP BY review_id) AS x USING review_id
		WHERE (r.adcode = {adcode:UInt32} OR r.city_code = {adcode:UInt32}) AND r.ts >= {from:DateTime64(3, 'UTC')} AND r.ts <= instant
		SETTINGS join_use_nulls = 1`,
		query_params: { adcode, at: utc(at), from: utc(from) },
		format: 'JSONEachRow'
	});
	const [r] = await rs.json<Record<string, string>>();
	return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)])) as unknown as Oracle;
}

describe('好差评: the cockpit and /reviews count the same', () => {
	it('the raw recount is the hand count', async () => {
		// 南山: 12 reviews, 6 good; N1 upheld (N6's appeal is upheld only after the instant); of N2–N6: all five replied
		// (N4 by a 回复), N2 and N3 rectified (N2 in time), both followed up (N2 满意); waiting N5, N6; late N4.
		expect(await oracle(NANSHAN)).toEqual({
			reviews: 12,
			positive: 6,
			negative: 6,
			upheld: 1,
			replied: 5,
			rectified: 2,
			followed_up: 2,
			satisfied: 1,
			rectified_on_time: 1,
			waiting: 2,
			late: 1
		});
		expect(await oracle(FUTIAN)).toMatchObject({ reviews: 5, positive: 3, negative: 2, upheld: 1, replied: 1, rectified: 1, rectified_on_time: 1 });
	});

	for (const adcode of [NANSHAN, FUTIAN, SHENZHEN]) {
		it(`好评率, 差评数, 整改率 and 待整改 of ${adcode}: the cockpit = /reviews = the raw recount`, async () => {
			const ctx = { warehouse: db.warehouse, scope: all };
			const o = await oracle(adcode);
			const panel = await reviewsPanel(ctx, adcode, at);
			const s = await summary(ctx, { adcode, from: FROM, to: TO }, at);
			const fig = (id: string) => s.figures.find((f) => f.id === id)!.value;
			const positiveRate = (100 * o.positive) / (o.reviews - o.upheld);
			const rectifiedRate = (100 * o.rectified) / (o.negative - o.upheld);
			expect(panel.positiveRate).toBeCloseTo(positiveRate, 9);
			expect(fig('positiveRate')).toBeCloseTo(positiveRate, 9);
			expect(panel.negative).toBe(o.negative - o.upheld);
			expect(fig('negativeCount')).toBe(o.negative - o.upheld);
			expect(panel.rectifiedRate).toBeCloseTo(rectifiedRate, 9);
			expect(fig('rectifiedRate')).toBeCloseTo(rectifiedRate, 9);
			expect(fig('replyRate')).toBeCloseTo((100 * o.replied) / (o.negative - o.upheld), 9);
			expect(fig('followUpRate')).toBeCloseTo((100 * o.followed_up) / (o.negative - o.upheld), 9);
			expect([panel.negativeWaiting, panel.negativeLate]).toEqual([o.waiting, o.late]);
			if (adcode === NANSHAN) {
				// By hand: 6 of 11 (was 6 of 12 = 50 % while the upheld 差评 counted), 5 差评, 2 of 5 rectified (was 2 of 6).
				expect(panel.positiveRate).toBeCloseTo((6 / 11) * 100, 9);
				expect(panel.negative).toBe(5);
				expect(panel.rectifiedRate).toBeCloseTo(40, 9);
				expect([panel.negativeWaiting, panel.negativeLate]).toEqual([2, 1]);
			}
		});
	}

	it('the satisfaction ranking of 深圳: the cockpit’s inputs and scores = /reviews’ = the raw recount', async () => {
		const ctx = { warehouse: db.warehouse, scope: all };
		const inputs = await satisfactionInputs(ctx, SHENZHEN, { from, to: day + DAY }, at);
		for (const [adcode, cases] of [
			[NANSHAN, 14],
			[FUTIAN, 4]
		] as const) {
			const o = await oracle(adcode);
			const reviews = o.reviews - o.upheld;
			expect(inputs.find((u) => u.unit === String(adcode))).toEqual({
				unit: String(adcode),
				reviews,
				positive: o.positive,
				negative: o.negative - o.upheld,
				completed_cases: cases,
				reviewed_cases: Math.min(reviews, cases),
				replied: o.replied,
				rectified: o.rectified,
				followed_up: o.followed_up,
				rectified_on_time: o.rectified_on_time
			});
		}
		// 南山's replies: N2, N3, N5, N6 verified and N4 replied (回复) — the ranking used to count 核实 only (4).
		expect(inputs.find((u) => u.unit === String(NANSHAN))!.replied).toBe(5);
		const cockpit = await rankingsPanel(ctx, SHENZHEN, at);
		const manager = await reviewsRankings(ctx, { adcode: SHENZHEN, from: FROM, to: TO, by: 'region' }, at);
		const units = [NANSHAN, FUTIAN];
		for (const adcode of units) {
			const c = cockpit.rows.find((r) => r.adcode === adcode)!;
			const m = manager.rows.find((r) => r.unit === String(adcode))!;
			expect(m).toMatchObject(Object.fromEntries(Object.entries(inputs.find((u) => u.unit === String(adcode))!).filter(([k]) => k !== 'reviewed_cases')));
			expect(c.score).not.toBeNull();
			expect(c.score).toBeCloseTo(m.score!, 9);
			expect(c.rank).toBe(m.rank);
		}
	});

	it('tianshu verify recounts the same cockpit from the raw tables and agrees', { timeout: 120_000 }, async () => {
		for (const adcode of [SHENZHEN, NANSHAN]) {
			const report = await verifyCockpit({ warehouse: db.warehouse, adcode, at });
			expect(report.figures.filter((f) => !f.agree)).toEqual([]);
		}
	});
});

/**
 * The review rollups leave upheld appeals out too (migration 0013): /analyze's 好评率 and 差评数 at day and hour grain
 * (region, city and department rollups), the cockpit's today tile and map, /reviews and tianshu verify agree, and equal
 * the hand count and a raw recount. 广州 (天河 and 越秀), stored through the worker's exactly-once path: a decision
 * stored before its review, a decision replayed under another batch, and yesterday's 差评 upheld today.
 */
describe('好差评: the review rollups leave upheld appeals out', () => {
	const TIANHE = 440106;
	const YUEXIU = 440104;
	const GUANGZHOU = 440100;
	const h = (hours: number, minutes = 0) => day + hours * HOUR + minutes * MIN; // Beijing time today (the instant is 15:30)
	const y = (hours: number) => day - DAY + hours * HOUR; // Beijing time yesterday
	const lines = (rows: object[]) => rows.map((r) => JSON.stringify({ ...r, source: 'upheld-test' }));
	const upheldTN1 = act('TN1', 'appeal_upheld', h(8, 40));

	beforeAll(async () => {
		const w = db.warehouse;
		// 天河 today: 4 好评, TN1 upheld, TN2 overturned (counts), TN3 upheld in the instant's hour, TN4 upheld with its decision stored first.
		await storeBatch(
			w,
			'reviews',
			lines([
				...[5, 4, 3, 5].map((rating, i) => review(`T${i}`, TIANHE, h(9, 10 * i), rating)),
				review('TN1', TIANHE, h(8), 1),
				review('TN2', TIANHE, h(8, 30), 2),
				review('TN3', TIANHE, h(15, 10), 1),
				review('YX1', YUEXIU, h(10), 5),
				review('YX2', YUEXIU, h(10, 30), 1),
				review('Y1', TIANHE, y(10), 5),
				review('Y2', TIANHE, y(11), 1)
			]),
			'upheld-test-reviews-1'
		);
		await storeBatch(
			w,
			'review_actions',
			lines([
				act('TN1', 'appeal', h(8, 20)),
				upheldTN1,
				act('TN2', 'appeal', h(8, 45)),
				act('TN2', 'appeal_overturned', h(9, 30)),
				act('TN3', 'appeal', h(15, 15)),
				act('TN3', 'appeal_upheld', h(15, 20)),
				act('TN4', 'appeal', h(11, 10)),
				act('TN4', 'appeal_upheld', h(11, 20)),
				act('Y2', 'appeal', y(12)),
				act('Y2', 'appeal_upheld', h(9, 45)) // decided today: yesterday's figure moves
			]),
			'upheld-test-actions-1'
		);
		await storeBatch(w, 'reviews', lines([review('TN4', TIANHE, h(11), 2)]), 'upheld-test-reviews-2');
		// The same decision again, in another batch (a feed re-sending it): claimed already, not stored again.
		const replay = await storeBatch(w, 'review_actions', lines([upheldTN1]), 'upheld-test-actions-replay');
		expect(replay).toMatchObject({ stored: 0, duplicates: 1 });
	}, 60_000);

	/** The raw recount: per Beijing day or hour of the review, 好评率 = 好评 ÷ (reviews − upheld), 差评数 = 差评 − upheld. */
	async function rawRecount(adcode: number, grain: 'day' | 'hour'): Promise<Map<string, { positiveRate: number | null; negativeCount: number }>> {
		const rs = await db.warehouse.query({
			query: `
			SELECT formatDateTime(r.ts, {fmt:String}, 'Asia/Shanghai') AS k,
			       countIf(r.rating >= 3) AS positive, count() AS reviews, countIf(r.rating <= 2) AS negative,
			       countIf(r.rating <= 2 AND r.review_id IN (SELECT DISTINCT review_id FROM review_actions WHERE action = 'appeal_upheld')) AS upheld
			FROM (SELECT review_id, any(ts) AS ts, any(rating) AS rating FROM reviews WHERE adcode = {a:UInt32} OR city_code = {a:UInt32} GROUP BY review_id) AS r
			GROUP BY k`,
			query_params: { a: adcode, fmt: grain === 'day' ? '%Y-%m-%d' : '%Y-%m-%d %H' },
			format: 'JSONEachRow'
		});
		const out = new Map<string, { positiveRate: number | null; negativeCount: number }>();
		for (const r of await rs.json<Record<string, string>>()) {
			const counted = Number(r.reviews) - Number(r.upheld);
			out.set(r.k!, { positiveRate: counted > 0 ? (100 * Number(r.positive)) / counted : null, negativeCount: Number(r.negative) - Number(r.upheld) });
		}
		return out;
	}

	const analyze = (input: Omit<QueryInput, 'indicators'>) =>
		runQuery(db.warehouse, QueryRequest.parse({ indicators: ['positiveRate', 'negativeCount'], ...input }), all);

	/** The planner's series as bucket → figures (the first series). */
	async function planned(input: Omit<QueryInput, 'indicators'>) {
		const r = await analyze(input);
		const s = r.series[0]!;
		return new Map(r.buckets.map((b, i) => [b, { positiveRate: s.values.positiveRate![i] ?? null, negativeCount: s.values.negativeCount![i] ?? 0 }]));
	}

	function expectAgree(
		served: Map<string, { positiveRate: number | null; negativeCount: number }>,
		raw: Map<string, { positiveRate: number | null; negativeCount: number }>,
		key: (bucket: string) => string
	) {
		let compared = 0;
		for (const [bucket, v] of served) {
			const o = raw.get(key(bucket)) ?? { positiveRate: null, negativeCount: 0 };
			if (o.positiveRate === null) expect(v.positiveRate, bucket).toBeNull();
			else expect(v.positiveRate, bucket).toBeCloseTo(o.positiveRate, 9);
			expect(v.negativeCount, bucket).toBe(o.negativeCount);
			compared += 1;
		}
		return compared;
	}

	it('the raw recount is the hand count', async () => {
		const days = await rawRecount(TIANHE, 'day');
		// Today: 8 reviews, 4 好评, 4 差评 of which TN1, TN3, TN4 upheld: 4 ÷ 5, one 差评. Yesterday: Y2 upheld today: 1 ÷ 1.
		expect(days.get('2026-11-20')).toEqual({ positiveRate: 80, negativeCount: 1 });
		expect(days.get('2026-11-19')).toEqual({ positiveRate: 100, negativeCount: 0 });
		const hours = await rawRecount(TIANHE, 'hour');
		expect(hours.get('2026-11-20 08')).toEqual({ positiveRate: 0, negativeCount: 1 });
		expect(hours.get('2026-11-20 11')).toEqual({ positiveRate: null, negativeCount: 0 });
		expect(hours.get('2026-11-20 15')).toEqual({ positiveRate: null, negativeCount: 0 });
	});

	it('/analyze at day and hour grain, on the region, city and department rollups, = the raw recount', async () => {
		const twoDays = range(day - DAY, day + DAY);
		const today = range(day, day + 16 * HOUR);
		for (const adcode of [TIANHE, GUANGZHOU]) {
			const dayRaw = await rawRecount(adcode, 'day');
			const hourRaw = await rawRecount(adcode, 'hour');
			const byDay = await planned({ ...twoDays, grain: 'day', region: { adcode } });
			expect(expectAgree(byDay, dayRaw, (b) => b.slice(0, 10))).toBe(2);
			const byHour = await planned({ ...today, grain: 'hour', region: { adcode } });
			expect(expectAgree(byHour, hourRaw, (b) => `${b.slice(0, 10)} ${b.slice(11, 13)}`)).toBe(16);
			// The department rollups (review_stats_day / _hour) too.
			const filters = { department: ['市场监督管理局'] };
			expectAgree(await planned({ ...twoDays, grain: 'day', region: { adcode }, filters }), dayRaw, (b) => b.slice(0, 10));
			expectAgree(await planned({ ...today, grain: 'hour', region: { adcode }, filters }), hourRaw, (b) => `${b.slice(0, 10)} ${b.slice(11, 13)}`);
		}
		// By hand: 天河 today 80 % and one 差评, yesterday 100 % and none; 广州 today 5 ÷ 7 and two 差评.
		const tianhe = await analyze({ ...twoDays, grain: 'day', region: { adcode: TIANHE } });
		expect(tianhe.series[0]!.values.positiveRate).toEqual([100, 80]);
		expect(tianhe.series[0]!.values.negativeCount).toEqual([0, 1]);
		const city = await analyze({ ...range(day, day + DAY), grain: 'total', region: { adcode: GUANGZHOU } });
		expect(city.series[0]!.total.positiveRate).toBeCloseTo((5 / 7) * 100, 9);
		expect(city.series[0]!.total.negativeCount).toBe(2);
		// Split by sub-region: 天河 80 %, 越秀 1 of 2.
		const children = await analyze({ ...range(day, day + DAY), grain: 'total', region: { adcode: GUANGZHOU, by: 'children' } });
		const child = (a: number) => children.series.find((x) => Number(x.key.region) === a)!.total;
		expect(child(TIANHE)).toEqual({ positiveRate: 80, negativeCount: 1 });
		expect(child(YUEXIU)).toEqual({ positiveRate: 50, negativeCount: 1 });
	});

	it('the cockpit’s today tile and map = /reviews = /analyze', async () => {
		const ctx = { warehouse: db.warehouse, scope: all };
		const tile = (await kpisPanel(ctx, TIANHE, at)).kpis.find((k) => k.code === 'positiveRate')!;
		// Today 80 % (TN3, upheld in the instant's hour, read from the events); 环比 yesterday 100 %: −20 points.
		expect(tile.value).toBeCloseTo(80, 9);
		expect(tile.dod).toBeCloseTo(-20, 9);
		expect((await kpisPanel(ctx, GUANGZHOU, at)).kpis.find((k) => k.code === 'positiveRate')!.value).toBeCloseTo((5 / 7) * 100, 9);
		const m = await mapPanel(ctx, GUANGZHOU, at, 'positiveRate');
		expect(m.regions.find((r) => r.adcode === TIANHE)!.value).toBeCloseTo(80, 9);
		expect(m.regions.find((r) => r.adcode === YUEXIU)!.value).toBeCloseTo(50, 9);
		// /reviews' 好评率 alert reads the hour rollup: 天河's item today up to 16:00 has 4 好评 of 5 counted reviews.
		const tallies = await unitDayTallies(ctx, TIANHE, 'item', day, day + 16 * HOUR, 16);
		expect(tallies).toEqual([{ unit: 'SC-001', day: '2026-11-20', positive: 4, reviews: 5 }]);
		for (const [date, rate, negative] of [
			['2026-11-20', 80, 1],
			['2026-11-19', 100, 0]
		] as const) {
			const s = await summary(ctx, { adcode: TIANHE, from: date, to: date }, at);
			expect(s.figures.find((f) => f.id === 'positiveRate')!.value).toBeCloseTo(rate, 9);
			expect(s.figures.find((f) => f.id === 'negativeCount')!.value).toBe(negative);
		}
	});

	it('tianshu verify agrees on 广州, and a rebuild of the rollups keeps the figures', { timeout: 180_000 }, async () => {
		const report = await verifyCockpit({ warehouse: db.warehouse, adcode: GUANGZHOU, at });
		expect(report.figures.filter((f) => !f.agree)).toEqual([]);
		expect(report.figures.some((f) => f.id === 'kpis.positiveRate.value')).toBe(true);
		// The rebuild runs both views of review_upheld over everything stored: each upheld 差评 once.
		await rebuildRollups(db.warehouse, { database: db.database, tables: ['review_upheld'], force: true });
		const twoDays = range(day - DAY, day + DAY);
		const tianhe = await analyze({ ...twoDays, grain: 'day', region: { adcode: TIANHE } });
		expect(tianhe.series[0]!.values.positiveRate).toEqual([100, 80]);
		expect(tianhe.series[0]!.values.negativeCount).toEqual([0, 1]);
		const hours = await planned({ ...range(day, day + 16 * HOUR), grain: 'hour', region: { adcode: TIANHE }, filters: { department: ['市场监督管理局'] } });
		expectAgree(hours, await rawRecount(TIANHE, 'hour'), (b) => `${b.slice(0, 10)} ${b.slice(11, 13)}`);
	});

	it('through the ingest worker: a 差评, its appeal and the upheld decision in one file count once', { timeout: 120_000 }, async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-upheld-'));
		try {
			const file = path.join(dir, 'feed.ndjson');
			const bj = (ms: number) => `${new Date(ms + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;
			const feed = [
				{
					type: 'review',
					review_id: 'YX3',
					case_id: 'c-YX3',
					ts: bj(h(10, 40)),
					adcode: YUEXIU,
					department: '公安局',
					item_code: 'GA-001',
					channel: 'web',
					rating: 1,
					named: false,
					tags: [],
					comment: ''
				},
				{ type: 'review_action', action_id: 'a-YX3-1', review_id: 'YX3', action: 'appeal', ts: bj(h(10, 50)), outcome: '' },
				{ type: 'review_action', action_id: 'a-YX3-2', review_id: 'YX3', action: 'appeal_upheld', ts: bj(h(11)), outcome: '恶意差评' }
			];
			writeFileSync(file, feed.map((e) => JSON.stringify(e)).join('\n') + '\n');
			const result = await runIngest(db.database, ['--file', file, '--once']).done;
			expect(result.code, result.stderr).toBe(0);
			const rs = await db.warehouse.query({
				query: `SELECT (SELECT count() FROM review_upheld WHERE review_id = 'YX3') AS pairs,
				               (SELECT sum(upheld) FROM review_stats_day WHERE department = '公安局') AS detailed,
				               (SELECT sum(upheld) FROM review_city_stats_hour WHERE city_code = {c:UInt32} AND channel = 'web') AS city`,
				query_params: { c: GUANGZHOU },
				format: 'JSONEachRow'
			});
			const [counts] = await rs.json<Record<string, string | number>>();
			expect(Object.fromEntries(Object.entries(counts!).map(([k, v]) => [k, Number(v)]))).toEqual({ pairs: 1, detailed: 1, city: 1 });
			// 越秀 today: YX1 好评, YX2 差评, YX3 upheld — still 1 of 2 and one 差评.
			const children = await analyze({ ...range(day, day + DAY), grain: 'total', region: { adcode: GUANGZHOU, by: 'children' } });
			expect(children.series.find((x) => Number(x.key.region) === YUEXIU)!.total).toEqual({ positiveRate: 50, negativeCount: 1 });
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
