/**
 * 办理时长 percentiles that a recount from the raw events reproduces (migration 0012). Two counties get the same
 * 9 000 completed cases — more than the 8 192 values the old reservoir sample kept — in different batches and in a
 * different order; the cockpit's P10…P90 and the planner's P90 of each, and of their city, equal the figure worked
 * out here from the durations inserted: the ⌈q·n⌉-th smallest time rounded down to its bin, with the bins written
 * out again below — never more than a bin's width under the exact time.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../../src/lib/server/cockpit/panels/services.ts';
import { readMigrations } from '../../src/lib/server/migrate/migration-files.ts';
import { migrate } from '../../src/lib/server/migrate/migrator.ts';
import { seed } from '../../src/lib/server/seed/seed.ts';
import { projectRoot } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { QueryRequest } from '../../src/lib/server/planner/request.ts';
import { runQuery } from '../../src/lib/server/planner/run.ts';
import { ingestDatabase } from '../helpers/ingest.ts';
import { freshDatabase } from '../helpers/warehouse.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Friday 20 November 2026, 15:30 Beijing; the cockpit's handling times cover 14–20 November up to the instant.
const at = Date.UTC(2026, 10, 20, 7, 30);
const day = Date.UTC(2026, 10, 19, 16);
const NANSHAN = 440305;
const FUTIAN = 440304;
const SHENZHEN = 440300;
const all = { all: true } as const;
const N = 9000;

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
const place = (adcode: number) => ({ adcode, city_code: Math.floor(adcode / 100) * 100, province_code: Math.floor(adcode / 10000) * 10000 });

/** A small seeded generator, so the test's data is the same on every run. */
function lcg(seed: number) {
	let s = seed >>> 0;
	return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Completion times and processing times (s): most within a day, some within a week, a few up to 100 days; some in the instant's hour. */
const cases = (() => {
	const r = lcg(2026);
	return Array.from({ length: N }, (_, i) => {
		const u = r();
		const seconds = u < 0.7 ? Math.floor(r() * 86_400) : u < 0.95 ? 86_400 + Math.floor(r() * 6 * 86_400) : 604_800 + Math.floor(r() * 93 * 86_400);
		// 2 % completed in the hour holding the instant, up to it (the cockpit reads those from the events).
		const ts = i % 50 === 0 ? at - 30 * MIN + Math.floor(r() * 30 * MIN) : day - 6 * DAY + Math.floor(r() * (at - 30 * MIN - (day - 6 * DAY)));
		return { i, seconds, ts };
	});
})();

function event(c: (typeof cases)[number], adcode: number) {
	return {
		event_id: `e-${adcode}-${c.i}`,
		case_id: `c-${adcode}-${c.i}`,
		status: 'completed',
		ts: utc(c.ts),
		...place(adcode),
		department: '市场监督管理局',
		item_code: 'SC-001',
		item_name: '食品经营许可',
		channel: c.i % 3 === 0 ? 'web' : 'counter',
		promised_days: 5,
		trips: 0,
		cross_province: false,
		submitted_at: utc(c.ts - c.seconds * 1000),
		due_date: null,
		duration_s: c.seconds,
		on_time: true,
		source: 'durations-test'
	};
}

/** The bins, written out by hand: [from, to) seconds and width. */
const BANDS = [
	{ from: 0, to: 86_400, width: 60 },
	{ from: 86_400, to: 604_800, width: 600 },
	{ from: 604_800, to: 7_776_000, width: 3_600 },
	{ from: 7_776_000, to: Infinity, width: 86_400 }
];
const bandOf = (s: number) => BANDS.find((b) => s >= b.from && s < b.to)!;
/** `s` rounded down to its bin. */
const floorOf = (s: number) => {
	const b = bandOf(s);
	return b.from + Math.floor((s - b.from) / b.width) * b.width;
};
/** The ⌈q·n⌉-th smallest time (q in thousandths, so the rank is exact). */
const exact = (sorted: number[], permille: number) => sorted[Math.ceil((permille * sorted.length) / 1000) - 1]!;

beforeAll(async () => {
	db = await ingestDatabase('durations');
	const insert = (values: object[]) => db.warehouse.insert({ table: 'case_events', values, format: 'JSONEachRow' });
	// 南山: three batches in order. 福田: the same cases in four batches of other sizes, last first.
	for (const [a, b] of [
		[0, 3000],
		[3000, 6000],
		[6000, N]
	])
		await insert(cases.slice(a, b).map((c) => event(c, NANSHAN)));
	const reversed = [...cases].reverse();
	for (const [a, b] of [
		[0, 1000],
		[1000, 5500],
		[5500, 8200],
		[8200, N]
	])
		await insert(reversed.slice(a, b).map((c) => event(c, FUTIAN)));
}, 180_000);
afterAll(async () => {
	await db?.drop();
});

describe('办理时长 percentiles from the histograms', () => {
	const sorted = cases.map((c) => c.seconds).sort((a, b) => a - b);
	const both = [...sorted, ...sorted].sort((a, b) => a - b);
	const LEVELS = [100, 250, 500, 750, 900];

	it('the raw table holds the cases inserted', async () => {
		const rs = await db.warehouse.query({
			query: "SELECT adcode, count() AS n, sum(duration_s) AS s FROM case_events WHERE status = 'completed' GROUP BY adcode ORDER BY adcode",
			format: 'JSONEachRow'
		});
		const total = sorted.reduce((a, b) => a + b, 0);
		expect((await rs.json<{ adcode: number; n: string; s: string }>()).map((r) => [Number(r.adcode), Number(r.n), Number(r.s)])).toEqual([
			[FUTIAN, N, total],
			[NANSHAN, N, total]
		]);
	});

	for (const [adcode, times] of [
		[NANSHAN, sorted],
		[FUTIAN, sorted],
		[SHENZHEN, both]
	] as const) {
		it(`the cockpit's P10…P90 of ${adcode} = the recount, under the exact times by less than a bin`, async () => {
			const panel = await services({ warehouse: db.warehouse, scope: all }, adcode, at);
			const expected = LEVELS.map((q) => floorOf(exact(times, q)) / 3600);
			expect(panel.durations.map((d) => d.label)).toEqual(['P10', 'P25', '中位数', 'P75', 'P90']);
			panel.durations.forEach((d, i) => {
				expect(d.hours).toBeCloseTo(expected[i]!, 9);
				const t = exact(times, LEVELS[i]!);
				expect(t - d.hours! * 3600).toBeGreaterThanOrEqual(0);
				expect(t - d.hours! * 3600).toBeLessThan(bandOf(t).width);
			});
		});

		it(`the planner's P90 of ${adcode} (the analysis screens) = the recount`, async () => {
			const request = QueryRequest.parse({ indicators: ['p90Duration'], from: '2026-11-14', to: '2026-11-21', grain: 'total', region: { adcode, by: 'self' } });
			const result = await runQuery(db.warehouse, request, all);
			expect(result.series[0]!.total.p90Duration).toBeCloseTo(floorOf(exact(times, 900)) / 3600, 9);
		});
	}

	it('two counties fed the same cases in other batches and orders read the same figures', async () => {
		const ctx = { warehouse: db.warehouse, scope: all };
		const [a, b] = await Promise.all([services(ctx, NANSHAN, at), services(ctx, FUTIAN, at)]);
		expect(a.durations).toEqual(b.durations);
	});

	it('migration 0012 gives the cases stored before it the same histograms (backfilled from the events)', { timeout: 180_000 }, async () => {
		const old = await freshDatabase('durations_old');
		try {
			const migrations = readMigrations(path.join(projectRoot, 'schema', 'migrations'));
			const common = { admin: old.admin, warehouse: old.warehouse, database: old.database };
			await migrate({ ...common, migrations: migrations.filter((m) => m.version < 12) });
			await seed(old.warehouse, path.join(projectRoot, 'ingest', 'reference'));
			for (const [a, b] of [
				[0, 4000],
				[4000, N]
			])
				await old.warehouse.insert({ table: 'case_events', values: cases.slice(a, b).map((c) => event(c, NANSHAN)), format: 'JSONEachRow' });
			await migrate({ ...common, migrations });
			const ctx = { warehouse: old.warehouse, scope: all };
			const panel = await services(ctx, NANSHAN, at);
			panel.durations.forEach((d, i) => expect(d.hours).toBeCloseTo(floorOf(exact(sorted, LEVELS[i]!)) / 3600, 9));
			// The city rollups were backfilled from the region rollups: 深圳 (南山 alone here) reads the same.
			const request = QueryRequest.parse({
				indicators: ['p90Duration'],
				from: '2026-11-14',
				to: '2026-11-21',
				grain: 'total',
				region: { adcode: SHENZHEN, by: 'self' }
			});
			expect((await runQuery(old.warehouse, request, all)).series[0]!.total.p90Duration).toBeCloseTo(floorOf(exact(sorted, 900)) / 3600, 9);
			// And a case completed after the migration is counted by the rewritten views, once.
			await old.warehouse.insert({ table: 'case_events', values: [event({ i: N, seconds: 3 * 86_400, ts: at - 5 * MIN }, NANSHAN)], format: 'JSONEachRow' });
			const rs = await old.warehouse.query({
				query: 'SELECT arraySum(mapValues(sumMap(duration_hist))) AS n FROM case_city_stats_day WHERE city_code = 440300',
				format: 'JSONEachRow'
			});
			expect(Number((await rs.json<{ n: string }>())[0]!.n)).toBe(N + 1);
		} finally {
			await old.drop();
		}
	});
});
