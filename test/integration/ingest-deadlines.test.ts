/**
 * The one deadline rule through the ingest worker and the warehouse: a 即办件 sent on a
 * Saturday night and done after midnight is on time, one done the next working day
 * is late; `reapply` fixes rows stored under the old rule, and their rollups.
 * Expected values are worked out by hand on the calendar (November 2026 has no holiday).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';
import { reapplyDeadlines } from '../../src/cli/deadlines.ts';
import { DeadlinePolicy } from '../../ingest/pipeline/deadlines.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let dir: string;
let db: Db;

const instant = {
	department: '人力资源和社会保障局',
	item_code: 'RSSB-001',
	item_name: '社保卡申领',
	channel: 'web',
	promised_days: 0,
	trips: 0,
	cross_province: false
};
/** A case's submitted and completed events (Shenzhen 福田区). */
const caseEvents = (id: string, submitted: string, completed: string, adcode = 440304) => [
	{ type: 'case', event_id: `${id}-s`, case_id: id, status: 'submitted', ts: submitted, adcode, ...instant },
	{ type: 'case', event_id: `${id}-c`, case_id: id, status: 'completed', ts: completed, submitted_ts: submitted, adcode, ...instant }
];

async function rows<T>(query: string): Promise<T[]> {
	return (await db.warehouse.query({ query, format: 'JSONEachRow' })).json<T>();
}
const facts = (caseId: string) =>
	rows<{ due_date: string; on_time: boolean }>(
		`SELECT toString(due_date) AS due_date, on_time FROM case_events WHERE case_id = '${caseId}' AND status = 'completed'`
	);
/** The rollup's on-time completions per Beijing day, as the cockpit reads them. */
const onTimeByDay = () =>
	rows<{ bucket: string; completed: number; on_time: number }>(
		'SELECT toString(bucket) AS bucket, toUInt32(sum(completed)) AS completed, toUInt32(sum(completed_on_time)) AS on_time FROM case_stats_day WHERE adcode IN (440304, 330106) GROUP BY bucket HAVING completed > 0 ORDER BY bucket'
	);

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-deadlines-'));
	db = await ingestDatabase('deadlines');
});
afterAll(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

describe('deadlines at ingest', () => {
	it('a 即办件 received Saturday 23:15 and completed Sunday 01:00 is on time; Monday 10:00 → Tuesday 09:00 is late', async () => {
		const file = path.join(dir, 'cases.ndjson');
		const events = [
			...caseEvents('sat', '2026-11-14T23:15:00+08:00', '2026-11-15T01:00:00+08:00'),
			...caseEvents('mon', '2026-11-16T10:00:00+08:00', '2026-11-17T09:00:00+08:00')
		];
		writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
		const result = await runIngest(db.database, ['--file', file, '--once']).done;
		expect(result.code, result.stderr).toBe(0);
		expect(await facts('sat')).toEqual([{ due_date: '2026-11-16', on_time: true }]);
		expect(await facts('mon')).toEqual([{ due_date: '2026-11-16', on_time: false }]);
		expect(await onTimeByDay()).toEqual([
			{ bucket: '2026-11-15', completed: 1, on_time: 1 },
			{ bucket: '2026-11-17', completed: 1, on_time: 0 }
		]);
	});
});

describe('tianshu deadlines reapply', () => {
	it('gives rows stored under the old rule the rule of today, and rebuilds the rollups', async () => {
		// A row as the old rule stored it (due on the Saturday of receipt, late), and a 差评 of Saturday 21st due Fri 27th.
		const old = {
			case_id: 'old',
			status: 'completed',
			ts: '2026-11-22 01:00:00.000', // Sunday 09:00 Beijing
			adcode: 330106,
			province_code: 330000,
			city_code: 330100,
			...instant,
			submitted_at: '2026-11-21 14:00:00.000', // Saturday 22:00 Beijing
			due_date: '2026-11-21',
			duration_s: 39600,
			on_time: false,
			source: 'test'
		};
		await db.warehouse.insert({ table: 'case_events', values: [{ event_id: 'old-c', ...old }], format: 'JSONEachRow' });
		const review = { review_id: 'rv', case_id: 'old', ts: '2026-11-21 02:00:00.000', adcode: 330106, province_code: 330000, city_code: 330100 };
		await db.warehouse.insert({
			table: 'reviews',
			values: [
				{
					...review,
					department: 'x',
					item_code: 'RSSB-001',
					channel: 'web',
					rating: 1,
					named: true,
					tags: [],
					comment: '',
					rectify_due_date: '2026-11-27',
					source: 'test'
				}
			],
			format: 'JSONEachRow'
		});
		expect(await onTimeByDay()).toContainEqual({ bucket: '2026-11-22', completed: 1, on_time: 0 });

		const dry = await reapplyDeadlines(db.warehouse, {
			database: db.database,
			policy: new DeadlinePolicy({ negativeReviewRectifyDays: { default: 5 } }),
			force: true,
			dryRun: true
		});
		expect(dry.changed).toEqual({ case_events: 1, reviews: 1 });
		expect(await facts('old')).toEqual([{ due_date: '2026-11-21', on_time: false }]);

		const done = await reapplyDeadlines(db.warehouse, {
			database: db.database,
			policy: new DeadlinePolicy({ negativeReviewRectifyDays: { default: 5 } }),
			force: true
		});
		expect(done.changed).toEqual({ case_events: 1, reviews: 1 });
		expect(done.rollups).toContain('case_stats_day');
		// Saturday's receipt counts from Monday 23rd.
		expect(await facts('old')).toEqual([{ due_date: '2026-11-23', on_time: true }]);
		const [rv] = await rows<{ d: string }>("SELECT toString(rectify_due_date) AS d FROM reviews WHERE review_id = 'rv'");
		expect(rv!.d).toBe('2026-11-30'); // Mon 23rd + 5 working days
		// Rows that were right stay; the rollup now counts the fixed row.
		expect(await facts('sat')).toEqual([{ due_date: '2026-11-16', on_time: true }]);
		expect(await onTimeByDay()).toEqual([
			{ bucket: '2026-11-15', completed: 1, on_time: 1 },
			{ bucket: '2026-11-17', completed: 1, on_time: 0 },
			{ bucket: '2026-11-22', completed: 1, on_time: 1 }
		]);
		// Nothing left to do: a second run changes nothing.
		expect(
			(await reapplyDeadlines(db.warehouse, { database: db.database, policy: new DeadlinePolicy({ negativeReviewRectifyDays: { default: 5 } }), force: true }))
				.changed
		).toEqual({
			case_events: 0,
			reviews: 0
		});
	});

	it("applies a region's cut-off and rectification days", async () => {
		// 广东 closes receipts at 09:30: Monday 10:00 counts from Tuesday, so Tuesday 09:00 is on time; 浙江 gives 差评 7 days.
		const policy = new DeadlinePolicy({
			negativeReviewRectifyDays: { default: 5, regions: { '330000': 7 } },
			receiptCutoff: { default: null, regions: { '440000': '09:30' } }
		});
		const r = await reapplyDeadlines(db.warehouse, { database: db.database, policy, force: true });
		expect(r.changed).toEqual({ case_events: 2, reviews: 1 }); // mon's submitted and completed events; the 差评
		expect(await facts('mon')).toEqual([{ due_date: '2026-11-17', on_time: true }]);
		expect(await facts('sat')).toEqual([{ due_date: '2026-11-16', on_time: true }]); // a Saturday is not a working day either way
		const [rv] = await rows<{ d: string }>("SELECT toString(rectify_due_date) AS d FROM reviews WHERE review_id = 'rv'");
		expect(rv!.d).toBe('2026-12-02'); // Mon 23rd + 7 working days
		expect(await onTimeByDay()).toContainEqual({ bucket: '2026-11-17', completed: 1, on_time: 1 });
	});

	it('refuses while ingest is storing data', async () => {
		await db.warehouse.command({ query: "INSERT INTO ingest_watermark VALUES ('test', 1, now64(3))" });
		await expect(reapplyDeadlines(db.warehouse, { database: db.database })).rejects.toThrow(/stop the ingest worker first/);
	});
});
