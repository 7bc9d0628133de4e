/**
 * Exactly once down a chain of views, without killing anything: the state a crash
 * can leave between two levels of rollups is made by detaching the lower views
 * for the first insert, then the batch is replayed under the same token, as the
 * worker does after a crash. The city rollups are fed by views on the region
 * rollups (migration 0007): a replay that the region rollup drops as a duplicate
 * must still reach the city rollups that missed it, and once only (the engine
 * pushes a deduplicated block on down the chain since ClickHouse 24.7). Expected
 * figures are counted by hand from the rows below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertLinesOnce } from '../../src/lib/server/queries/ingest/exactly-once.ts';
import { migratedDatabase } from '../helpers/ingest.ts';

let db: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
	db = await migratedDatabase('once_chain');
}, 120_000);
afterAll(async () => db?.drop());

/** A review row as ingest stores it (columns left out take their defaults). */
function review(id: string, ts: string, adcode: number, rating: number): string {
	const city = Math.floor(adcode / 100) * 100;
	const province = Math.floor(adcode / 10000) * 10000;
	return JSON.stringify({
		review_id: id,
		case_id: `case-${id}`,
		ts,
		adcode,
		province_code: province,
		city_code: city,
		department: 'd',
		item_code: 'i',
		channel: 'web',
		rating,
		named: false,
		source: 'test'
	});
}

// Two cities of Zhejiang (330100 Hangzhou, 330200 Ningbo), three Beijing days in two months.
const BATCH_A = [
	review('a1', '2026-03-01 02:10:00.000', 330102, 5),
	review('a2', '2026-03-01 02:20:00.000', 330106, 1),
	review('a3', '2026-03-01 03:05:00.000', 330203, 4)
];
const BATCH_B = [
	review('b1', '2026-03-01 02:40:00.000', 330102, 2),
	review('b2', '2026-03-02 05:00:00.000', 330203, 5),
	review('b3', '2026-03-02 05:30:00.000', 330205, 1),
	// 1 April in Beijing, 31 March in UTC: one insert, two partitions of the raw and day tables.
	review('b4', '2026-03-31 16:30:00.000', 330106, 3)
];
const BATCH_C = [review('c1', '2026-03-02 06:15:00.000', 330203, 2)];

type Totals = Record<string, { reviews: number; negative: number }>;

/** Reviews and 差评 by city_code, as each table holds them. */
async function byCity(table: string): Promise<Totals> {
	const rs = await db.warehouse.query({
		query: `SELECT city_code, sum(reviews) AS reviews, sum(negative) AS negative FROM ${table} GROUP BY city_code ORDER BY city_code`,
		format: 'JSONEachRow'
	});
	const out: Totals = {};
	for (const r of await rs.json<{ city_code: number; reviews: string | number; negative: string | number }>())
		out[r.city_code] = { reviews: Number(r.reviews), negative: Number(r.negative) };
	return out;
}

async function rawRows(): Promise<number> {
	const rs = await db.warehouse.query({ query: 'SELECT count() AS n FROM reviews', format: 'JSONEachRow' });
	return Number((await rs.json<{ n: string | number }>())[0]!.n);
}

const LEVELS = ['review_region_stats_day', 'review_region_stats_hour', 'review_city_stats_day', 'review_city_stats_hour'];

async function allLevels(): Promise<Record<string, Totals>> {
	const out: Record<string, Totals> = {};
	for (const t of LEVELS) out[t] = await byCity(t);
	return out;
}

const everywhere = (totals: Totals) => Object.fromEntries(LEVELS.map((t) => [t, totals]));

async function withViewsDetached(views: string[], fn: () => Promise<void>): Promise<void> {
	for (const v of views) await db.warehouse.command({ query: `DETACH TABLE ${v}` });
	try {
		await fn();
	} finally {
		for (const v of views) await db.warehouse.command({ query: `ATTACH TABLE ${v}` });
	}
}

describe('a replayed batch completes a chain of rollups that a crash cut short', () => {
	it('reaches the city rollups once when the raw table and the region rollups had it already', { timeout: 60_000 }, async () => {
		await insertLinesOnce(db, 'reviews', BATCH_A, 'batch-a');
		// Hand count of batch A: Hangzhou 2 reviews (1 差评), Ningbo 1 (0).
		const afterA = { 330100: { reviews: 2, negative: 1 }, 330200: { reviews: 1, negative: 0 } };
		expect(await allLevels()).toEqual(everywhere(afterA));

		// The crash: batch B lands in the raw table and the region rollups, not in the city rollups.
		await withViewsDetached(['review_city_stats_day_mv', 'review_city_stats_hour_mv'], () => insertLinesOnce(db, 'reviews', BATCH_B, 'batch-b'));
		// Hand count of A + B: Hangzhou 4 reviews (a2, b1 差评), Ningbo 3 (b3 差评).
		const afterB = { 330100: { reviews: 4, negative: 2 }, 330200: { reviews: 3, negative: 1 } };
		expect(await rawRows()).toBe(7);
		const cut = await allLevels();
		expect(cut.review_region_stats_day).toEqual(afterB);
		expect(cut.review_city_stats_day).toEqual(afterA);
		expect(cut.review_city_stats_hour).toEqual(afterA);

		// The replay: the raw table and the region rollups drop it; the city rollups take it, once.
		await insertLinesOnce(db, 'reviews', BATCH_B, 'batch-b');
		expect(await rawRows()).toBe(7);
		expect(await allLevels()).toEqual(everywhere(afterB));
		await insertLinesOnce(db, 'reviews', BATCH_B, 'batch-b');
		expect(await allLevels()).toEqual(everywhere(afterB));
	});

	it('reaches the region rollups and the city rollups chained on them when only the raw table had it', { timeout: 60_000 }, async () => {
		// Continues from the test above: A and B are stored everywhere.
		await withViewsDetached(['review_region_stats_day_mv', 'review_region_stats_hour_mv'], () => insertLinesOnce(db, 'reviews', BATCH_C, 'batch-c'));
		const afterB = { 330100: { reviews: 4, negative: 2 }, 330200: { reviews: 3, negative: 1 } };
		expect(await rawRows()).toBe(8);
		expect(await allLevels()).toEqual(everywhere(afterB));

		await insertLinesOnce(db, 'reviews', BATCH_C, 'batch-c');
		const afterC = { 330100: { reviews: 4, negative: 2 }, 330200: { reviews: 4, negative: 2 } };
		expect(await rawRows()).toBe(8);
		expect(await allLevels()).toEqual(everywhere(afterC));
	});
});
