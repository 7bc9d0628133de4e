/**
 * 差评整改率 as a cohort (GB/T 39735): of the 差评 received in the cockpit's 30 days, the share rectified by the
 * instant. Rows are written straight into the raw tables (the views feed negative_reviews); every expectation is
 * counted by hand from the rows written here. The old rate of two flows (rectifications dated in the window ÷ 差评
 * received in it) read over 100 % when older 差评 were rectified inside the window.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviews as reviewsPanel } from '../../src/lib/server/cockpit/panels/reviews.ts';
import { negativeCohort } from '../../src/lib/server/queries/cockpit/reviews.ts';
import { reviewCountsUpTo } from '../../src/lib/server/queries/cockpit/so-far.ts';
import { satisfactionInputs } from '../../src/lib/server/queries/cockpit/satisfaction.ts';
import { rawHandlingByChild, rawNegativeCohort } from '../../src/lib/server/queries/verify/raw.ts';
import { verifyCockpit } from '../../src/lib/server/queries/verify/check.ts';
import { QueryRequest } from '../../src/lib/server/planner/request.ts';
import { runQuery } from '../../src/lib/server/planner/run.ts';
import { ingestDatabase } from '../helpers/ingest.ts';
import { runs } from '../helpers/property-runs.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// 2026-11-20 15:30 Beijing (07:30 UTC); the cockpit's 30 days start at Beijing midnight 29 days before.
const at = Date.UTC(2026, 10, 20, 7, 30);
const day = Date.UTC(2026, 10, 19, 16);
const from = day - 29 * DAY;

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
const county = (adcode: number) => ({ adcode, city_code: Math.floor(adcode / 100) * 100, province_code: Math.floor(adcode / 10000) * 10000 });

let seq = 0;
function review(id: string, adcode: number, ts: number, rating = 1) {
	return { review_id: id, case_id: `c-${id}`, ts: utc(ts), ...county(adcode), channel: 'web', rating, named: false, tags: [], source: 'h11-test' };
}
function rectify(id: string, adcode: number, ts: number, action = 'rectify') {
	return { action_id: `a-${id}-${seq++}`, review_id: id, action, ts: utc(ts), outcome: '', ...county(adcode), source: 'h11-test' };
}
async function write(reviews: object[], actions: object[]) {
	if (reviews.length) await db.warehouse.insert({ table: 'reviews', values: reviews, format: 'JSONEachRow' });
	if (actions.length) await db.warehouse.insert({ table: 'review_actions', values: actions, format: 'JSONEachRow' });
}

const NANSHAN = 440305;
const FUTIAN = 440304;
const all = { all: true } as const;

beforeAll(async () => {
	db = await ingestDatabase('rectified');
	const old = ['o1', 'o2', 'o3', 'o4'];
	await write(
		[
			// Received five days before the window, rectified inside it: not in the cohort.
			...old.map((id) => review(id, NANSHAN, from - 5 * DAY)),
			review('n1', NANSHAN, from + DAY), // rectified twice inside the window: once
			review('n2', NANSHAN, day - 3 * DAY), // rectified inside the window
			review('n3', NANSHAN, day - 2 * DAY), // never rectified
			review('n4', NANSHAN, day - DAY), // rectified an hour after the instant: not yet
			review('n5', NANSHAN, day + HOUR), // rectified at the instant itself: counts
			review('n6', NANSHAN, at + 10 * MIN), // received after the instant: not in the cohort
			review('p1', NANSHAN, day - DAY, 5), // 好评: not in the cohort
			review('f1', FUTIAN, day - 4 * DAY) // another county, rectified: the city's cohort only
		],
		[
			...old.map((id) => rectify(id, NANSHAN, from + 2 * DAY)),
			rectify('n1', NANSHAN, from + 2 * DAY),
			rectify('n1', NANSHAN, from + 3 * DAY),
			// Filed without a county (the source did not say): the 差评 is still Nanshan's.
			{ ...rectify('n2', NANSHAN, day - 2 * DAY), adcode: 0 },
			rectify('n4', NANSHAN, at + HOUR),
			rectify('n5', NANSHAN, at),
			rectify('f1', FUTIAN, day - 3 * DAY),
			// Replies (核实) and follow-ups inside the window: o1's and o2's are of older 差评.
			rectify('o1', NANSHAN, from + DAY, 'verify'),
			rectify('n3', NANSHAN, day - DAY, 'verify'),
			rectify('n4', NANSHAN, at + 5 * MIN, 'verify'),
			rectify('o2', NANSHAN, from + 3 * DAY, 'follow_up'),
			rectify('n1', NANSHAN, from + 4 * DAY, 'follow_up')
		]
	);
}, 120_000);
afterAll(async () => {
	await db.drop();
});

describe('差评整改率 (a cohort)', () => {
	const month = { from, to: day + DAY };

	it('counts only the window’s 差评, and their rectifications up to the instant', async () => {
		const ctx = { warehouse: db.warehouse, scope: all };
		// n1, n2, n3, n4, n5 received; n1, n2, n5 rectified by the instant.
		expect(await negativeCohort(ctx, NANSHAN, month, at)).toMatchObject({ negative: 5, rectified: 3 });
		const panel = await reviewsPanel(ctx, NANSHAN, at);
		expect(panel.negative).toBe(5);
		expect(panel.rectifiedRate).toBeCloseTo(60, 9);
		// The rate of two flows the wall showed before: 7 rectifications filed by Nanshan, dated in the window up to the
		// instant (o1–o4, n1 twice, n5; n2's was filed without a county) over 5 差评 received = 140 %.
		const filed = await db.warehouse.query({
			query: `SELECT count() AS n FROM review_actions WHERE action = 'rectify' AND adcode = {adcode:UInt32}
			        AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({at:Int64})`,
			query_params: { adcode: NANSHAN, from: month.from, at },
			format: 'JSONEachRow'
		});
		const flow = Number((await filed.json<{ n: number }>())[0]!.n);
		const received = (await reviewCountsUpTo(ctx, NANSHAN, month, at, 'total')).get('total')!.negative!;
		expect((flow / received) * 100).toBe(140);
		// An hour later n6 has been received and n4 rectified: 4 of 6.
		expect(await negativeCohort(ctx, NANSHAN, month, at + HOUR)).toMatchObject({ negative: 6, rectified: 4 });
		// The city: Nanshan's five and Futian's f1, rectified.
		expect(await negativeCohort(ctx, 440300, month, at)).toMatchObject({ negative: 6, rectified: 4 });
		// A wall of Futian does not see Nanshan's.
		expect(await negativeCohort({ warehouse: db.warehouse, scope: { adcodes: [FUTIAN] } }, FUTIAN, month, at)).toMatchObject({ negative: 1, rectified: 1 });
	});

	it('counts the satisfaction index’s 回复率, 整改率 and 回访率 inputs the same way', async () => {
		const ctx = { warehouse: db.warehouse, scope: all };
		const units = await satisfactionInputs(ctx, 440300, month, at);
		// Nanshan: n3 replied (o1's reply and n4's after the instant do not count), n1, n2, n5 rectified, n1 followed up (not o2).
		expect(units.find((u) => u.unit === String(NANSHAN))).toMatchObject({ negative: 5, replied: 1, rectified: 3, followed_up: 1 });
		expect(units.find((u) => u.unit === String(FUTIAN))).toMatchObject({ negative: 1, replied: 0, rectified: 1, followed_up: 0 });
		const raw = await rawHandlingByChild(ctx, 440300, { from, to: at + 1 }, at);
		expect(raw.get(NANSHAN)).toEqual({ upheld: 0, replied: 1, rectified: 3, followedUp: 1 });
	});

	it('the planner (analysis screens) answers the same cohort by the day received, rectified by now', async () => {
		const request = QueryRequest.parse({
			indicators: ['rectifiedRate'],
			from: '2026-10-22',
			to: '2026-11-20',
			grain: 'total',
			region: { adcode: NANSHAN, by: 'self' }
		});
		// Received 22 Oct – 19 Nov: n1, n2, n3, n4; all but n3 rectified by now (n4's, an hour after the instant, too) = 75 %.
		// The rate of two flows read 150 %: o1–o4 and n1 twice filed by Nanshan in those days, over 4.
		const result = await runQuery(db.warehouse, request, all);
		expect(result.series[0]!.total.rectifiedRate).toBeCloseTo(75, 9);
	});

	it('tianshu verify recounts it from the raw tables and agrees', async () => {
		const ctx = { warehouse: db.warehouse, scope: all };
		expect(await rawNegativeCohort(ctx, NANSHAN, { from, to: at + 1 }, at)).toEqual({ negative: 5, upheld: 0, rectified: 3 });
		const report = await verifyCockpit({ warehouse: db.warehouse, adcode: NANSHAN, at });
		expect(report.figures.find((f) => f.id === 'reviews.rectifiedRate')).toMatchObject({ agree: true });
		expect(report.figures.find((f) => f.id === 'reviews.rectifiedRate')!.served).toBeCloseTo(60, 9);
	});

	it('is always within [0, 100 %] and equal to the hand count, on random 差评 and rectifications', async () => {
		const ctx = { warehouse: db.warehouse, scope: all };
		const rs = await db.warehouse.query({
			query: "SELECT adcode FROM regions WHERE level = 'county' AND province_code = 440000 AND city_code != 440300 ORDER BY adcode LIMIT 12",
			format: 'JSONEachRow'
		});
		const counties = (await rs.json<{ adcode: number }>()).map((r) => Number(r.adcode));
		let run = 0;
		// Times in minutes from 40 days before the instant to 2 days after it; a 差评 may be rectified several times or never,
		// before or after it was received (a late feed), before or after the instant.
		// Often within two hours of the instant or of the window's start, where an off-by-one would show.
		const edge = (to: number) => fc.integer({ min: to - 120, max: to + 120 });
		const minutes = fc.oneof(fc.integer({ min: -40 * 24 * 60, max: 2 * 24 * 60 }), edge(0), edge((from - at) / MIN));
		// Mostly 差评 (1, 2), some 好评 (3).
		const event = fc.record({ received: minutes, rating: fc.integer({ min: 1, max: 3 }), rectified: fc.array(minutes, { maxLength: 3 }) });
		await fc.assert(
			fc.asyncProperty(fc.array(event, { maxLength: 25, size: 'max' }), async (events) => {
				const adcode = counties[run++ % counties.length]!;
				const tag = `r${run}`;
				await write(
					events.map((e, i) => review(`${tag}-${i}`, adcode, at + e.received * MIN, e.rating)),
					events.flatMap((e, i) => e.rectified.map((t) => rectify(`${tag}-${i}`, adcode, at + t * MIN)))
				);
				// By hand: 差评 received in [from, at], and of them those with a rectification at or before the instant.
				const inCohort = events.filter((e) => e.rating <= 2 && at + e.received * MIN >= from && e.received <= 0);
				const expected = { negative: inCohort.length, rectified: inCohort.filter((e) => e.rectified.some((t) => t <= 0)).length };
				// A county of its own per run (shrinking reruns may share one: then this says so).
				const r = await db.warehouse.query({
					query: `SELECT count() AS n FROM reviews WHERE adcode = {adcode:UInt32} AND NOT startsWith(review_id, {tag:String})
					          AND rating <= 2 AND ts >= {from:DateTime64(3, 'UTC')} AND ts <= {at:DateTime64(3, 'UTC')}`,
					query_params: { adcode, tag: `${tag}-`, from: utc(from), at: utc(at) },
					format: 'JSONEachRow'
				});
				expect(Number((await r.json<{ n: number }>())[0]!.n), 'one run per county').toBe(0);
				const got = await negativeCohort(ctx, adcode, month, at);
				expect(got).toMatchObject(expected);
				expect(await rawNegativeCohort(ctx, adcode, { from, to: at + 1 }, at)).toEqual({ ...expected, upheld: 0 });
				const panel = await reviewsPanel(ctx, adcode, at);
				if (expected.negative === 0) expect(panel.rectifiedRate).toBeNull();
				else {
					expect(panel.rectifiedRate).toBeGreaterThanOrEqual(0);
					expect(panel.rectifiedRate).toBeLessThanOrEqual(100);
					expect(panel.rectifiedRate).toBeCloseTo((expected.rectified / expected.negative) * 100, 9);
				}
			}),
			{ numRuns: Math.min(runs(12), counties.length), seed: 1120, endOnFailure: true }
		);
	}, 120_000);
});
