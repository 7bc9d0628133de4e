/**
 * The analysts' workbench through the API on real chDB and PGlite, with planted
 * events whose figures are worked out by hand: 4 counties (广州 天河 440106, 越秀
 * 440104; 深圳 南山 440305, 福田 440304) × 2 items × 20 completed cases a day,
 * 18 of them on time (90 %); on 17–19 November 2026 item ITEM-B in 天河 has only
 * 6 on time (30 %). A year before (17–19 November 2025) 19 of 20 are on time (95 %).
 * 同比, 环比, the breakdown and "what moved it" equal the hand figures and a
 * separate query over the raw events; the planted county and item come out on top.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { ingestDatabase } from '../helpers/ingest.ts';
import { startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { createTestUser } from '../helpers/auth.ts';
import { createCaller } from '../../src/lib/server/api/root.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { listAudit } from '../../src/lib/server/audit/audit.ts';
import { exportView } from '../../src/lib/server/analyze/export.ts';
import { parseTimestamp } from '../../src/lib/time/timestamps.ts';
import { clickhouseDateTime64 } from '../../src/lib/time/clickhouse-params.ts';
import { DAY_MS } from '../../src/lib/time/beijing-time.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let app: TestAppDb;
const hub = new LiveHub({ watermark: async () => '' });
let analyst: Principal;
let cityAnalyst: Principal;
let other: Principal;

const COUNTIES = [440106, 440104, 440305, 440304];
const ITEMS = ['ITEM-A', 'ITEM-B'];
const PLANTED = { county: 440106, item: 'ITEM-B', days: ['2026-11-17', '2026-11-18', '2026-11-19'] };

/** 20 completed cases per county, item and day; `onTime(county, item, day)` of them on time. */
function cases(days: string[], onTime: (county: number, item: string, day: string) => number) {
	const rows: Array<Record<string, unknown>> = [];
	for (const day of days)
		for (const county of COUNTIES)
			for (const item of ITEMS) {
				const good = onTime(county, item, day);
				for (let i = 0; i < 20; i++) {
					// Beijing 09:00 + i minutes; submitted two hours before.
					const ts = parseTimestamp(`${day}T09:00`) + i * 60_000;
					rows.push({
						event_id: `e-${day}-${county}-${item}-${i}`,
						case_id: `c-${day}-${county}-${item}-${i}`,
						status: 'completed',
						ts: clickhouseDateTime64(ts),
						adcode: county,
						province_code: Math.floor(county / 10000) * 10000,
						city_code: Math.floor(county / 100) * 100,
						department: item === 'ITEM-A' ? '市场监督管理局' : '公安局',
						item_code: item,
						item_name: item === 'ITEM-A' ? '营业执照' : '户籍迁移',
						channel: i % 2 ? 'web' : 'counter',
						promised_days: 3,
						trips: 0,
						cross_province: false,
						submitted_at: clickhouseDateTime64(ts - 2 * 3600_000),
						due_date: day,
						duration_s: 7200,
						on_time: i < good,
						source: 'test'
					});
				}
			}
	return rows;
}

const dates = (from: string, n: number) =>
	Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * DAY_MS).toISOString().slice(0, 10));

function callerAs(principal: Principal) {
	return createCaller({ warehouse: db.warehouse, hub, principal, scope: { adcodes: [] }, appDb: app.db } as Parameters<typeof createCaller>[0]);
}

async function userPrincipal(role: 'analyst' | 'leader', regions: number[]): Promise<Principal> {
	const u = await createTestUser(app.db, role, regions);
	const row = await app.db.one<{ id: string }>('SELECT id::text AS id FROM users WHERE name = $1', [u.name]);
	return { kind: 'user', userId: Number(row!.id), name: u.name, role, regions, sessionId: 1, mustChangePassword: false };
}

beforeAll(async () => {
	[db, app] = await Promise.all([ingestDatabase('analyze'), startAppDb('pglite')]);
	const planted = (county: number, item: string, day: string) => (county === PLANTED.county && item === PLANTED.item && PLANTED.days.includes(day) ? 6 : 18);
	await db.warehouse.insert({ table: 'case_events', values: cases(dates('2026-11-10', 10), planted), format: 'JSONEachRow' });
	await db.warehouse.insert({ table: 'case_events', values: cases(dates('2025-11-17', 3), () => 19), format: 'JSONEachRow' });
	analyst = await userPrincipal('analyst', [440000]);
	cityAnalyst = await userPrincipal('analyst', [440100]);
	other = await userPrincipal('analyst', [440000]);
}, 240_000);

afterAll(async () => {
	hub.stop();
	await db?.drop();
	await app?.stop();
});

/** 按时办结率 from the raw events over [from, to) (Beijing dates) and a region term: the independent oracle. */
async function rawRate(from: string, to: string, where: string): Promise<number> {
	const rs = await db.warehouse.query({
		query: `SELECT countIf(status = 'completed' AND on_time) / countIf(status = 'completed') * 100 AS r FROM case_events
		        WHERE toDate(ts, 'Asia/Shanghai') >= {from:Date} AND toDate(ts, 'Asia/Shanghai') < {to:Date} AND ${where}`,
		query_params: { from, to },
		format: 'JSONEachRow'
	});
	return Number((await rs.json<{ r: number }>())[0]!.r);
}

describe('analyze: figures against hand-worked numbers and the raw events', () => {
	it('series: 环比 and 同比 of the province, with numerators and denominators and working days', async () => {
		const api = callerAs(analyst);
		const cur = { indicators: ['onTimeRate'], region: { adcode: 440000 }, from: '2026-11-17', to: '2026-11-20', grain: 'day' as const };
		const mom = await api.analyze.series({ ...cur, compare: 'previousPeriod' });
		const s = mom.series[0]!;
		// Current: 480 completed, 432 − 3 × 12 = 396 on time → 82.5 %; the 3 days before: 432 / 480 = 90 %.
		expect(s.total.onTimeRate).toBeCloseTo(82.5, 10);
		expect(s.compareTotal!.onTimeRate).toBeCloseTo(90, 10);
		expect(s.totalMeasures!.onTimeRate).toEqual({ onTime: 396, completed: 480 });
		expect(s.measures!.onTimeRate!.onTime).toEqual([132, 132, 132]);
		expect(s.total.onTimeRate).toBeCloseTo(await rawRate('2026-11-17', '2026-11-20', 'province_code = 440000'), 10);
		expect(s.compareTotal!.onTimeRate).toBeCloseTo(await rawRate('2026-11-14', '2026-11-17', 'province_code = 440000'), 10);
		expect(mom.buckets).toEqual(['2026-11-17', '2026-11-18', '2026-11-19']);
		expect(mom.workdays).toEqual([true, true, true]);
		// 同比: the same Beijing dates a year before, 456 / 480 = 95 %.
		const yoy = await api.analyze.series({ ...cur, compare: 'yoy' });
		expect(yoy.compareBuckets).toEqual(['2025-11-17', '2025-11-18', '2025-11-19']);
		expect(yoy.series[0]!.compareTotal!.onTimeRate).toBeCloseTo(95, 10);
		expect(yoy.series[0]!.compareTotal!.onTimeRate).toBeCloseTo(await rawRate('2025-11-17', '2025-11-20', 'province_code = 440000'), 10);
		// A week grain: 16–22 November is ISO week 47 (Monday 16 November).
		const week = await api.analyze.series({ ...cur, from: '2026-11-10', to: '2026-11-20', grain: 'week' });
		expect(week.buckets).toEqual(['2026-W46', '2026-W47']);
		expect(week.series[0]!.measures!.onTimeRate!.completed).toEqual([6 * 160, 4 * 160]);
		// Quarters and years: the 2025 days in 2025-Q4, the ten 2026 days in 2026-Q4; empty quarters filled.
		const span = { ...cur, from: '2025-11-17', to: '2026-11-20' };
		const quarter = await api.analyze.series({ ...span, grain: 'quarter' });
		expect(quarter.buckets).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
		expect(quarter.series[0]!.measures!.onTimeRate!.completed).toEqual([480, 0, 0, 0, 1600]);
		expect(quarter.workdays).toEqual([null, null, null, null, null]);
		const year = await api.analyze.series({ ...span, grain: 'year' });
		expect(year.buckets).toEqual(['2025', '2026']);
		expect(year.series[0]!.measures!.onTimeRate!.onTime).toEqual([456, 1404]);
	});

	it('series: anomaly flags on exactly the planted days, none on too small a sample or without three weeks before', async () => {
		const api = callerAs(analyst);
		const tianhe = { indicators: ['onTimeRate'], region: { adcode: 440106 }, from: '2026-11-10', to: '2026-11-20', grain: 'day' as const };
		const day = await api.analyze.series(tianhe);
		const whole = day.anomalies.find((a) => a.indicator === 'onTimeRate' && Object.keys(a.key).length === 0)!;
		// 天河: 40 completions a day, 36 on time (90 %); on 17–19 November ITEM-B has 6 of its 20 on time: 24 of 40 (60 %).
		expect(whole.flags.map((f) => day.buckets[f.index])).toEqual(PLANTED.days);
		expect(whole.flags[0]!.text).toBe('按时办结率 60.0%，低于同期基线 90.0%（−30.0 个百分点，样本 40 件；基线：前4天，160 件）');
		// Each line by item: ITEM-B alone has 20 completions a day, under the 30 a day's rate needs.
		const byItem = await api.analyze.series({ ...tianhe, groupBy: ['item'] });
		expect(byItem.anomalies.map((a) => a.key.item).sort()).toEqual(ITEMS);
		expect(byItem.anomalies.flatMap((a) => a.flags)).toEqual([]);
		// Week grain: W47 (16–19 November, 108 of 160 = 67.5 %) has only W46 before it — three weeks are needed.
		const week = await api.analyze.series({ ...tianhe, grain: 'week' });
		expect(week.buckets).toEqual(['2026-W46', '2026-W47']);
		expect(week.anomalies.flatMap((a) => a.flags)).toEqual([]);
	});

	it('series: a rate against its annual target (the gap in points), a count by its year to date against the year gone', async () => {
		const release = clickhouseDateTime64(parseTimestamp('2026-01-20T10:00'));
		const target = (indicator: string, value: number, unit: string) => ({
			indicator,
			adcode: 440000,
			province_code: 440000,
			city_code: 0,
			year: 2026,
			value,
			unit,
			release_ts: release,
			source: 'test'
		});
		await db.warehouse.insert({
			table: 'indicator_targets',
			values: [target('onTimeRate', 98, '%'), target('completedVolume', 2000, '件')],
			format: 'JSONEachRow'
		});
		const api = callerAs(analyst);
		const range = { indicators: ['onTimeRate', 'completedVolume'], region: { adcode: 440000 }, from: '2026-11-17', to: '2026-11-20', grain: 'day' as const };
		const s = await api.analyze.series(range);
		// 82.5 % (396 of 480) against ≥ 98 %: 15.5 points short, and no time-elapsed progress for a rate.
		expect(s.targets.onTimeRate).toMatchObject({ kind: 'level', year: 2026, value: 98, unit: '%', met: false });
		const rate = s.targets.onTimeRate as { actual: number; gap: number };
		expect(rate.actual).toBeCloseTo(82.5, 10);
		expect(rate.gap).toBeCloseTo(-15.5, 10);
		// Completed cases 1 January – 19 November: the ten planted days, 10 × 160 = 1 600 of 2 000 = 80 % (not the range's 480, 24 %);
		// 19 November is day 323 of 365: 88.49 % of the year gone.
		expect(s.targets.completedVolume).toMatchObject({ kind: 'cumulative', year: 2026, value: 2000, yearToDate: 1600, progress: 80 });
		expect((s.targets.completedVolume as { timeElapsed: number }).timeElapsed).toBeCloseTo((323 / 365) * 100, 10);
		// Filtered to one item: its rate (18 of 20, 90 %) is 8 points short of the standard; a part's count has no progress against the whole's target.
		const item = await api.analyze.series({ ...range, filters: { item: ['ITEM-A'] } });
		expect((item.targets.onTimeRate as { gap: number }).gap).toBeCloseTo(-8, 10);
		expect(item.targets.completedVolume).toMatchObject({ kind: 'cumulative', yearToDate: null, progress: null });
		// A region without targets of its own has none.
		expect((await api.analyze.series({ ...range, region: { adcode: 440100 } })).targets).toEqual({ onTimeRate: null, completedVolume: null });
	});

	it('breakdown: the cities of the province, ranked, with the parent value', async () => {
		const b = await callerAs(analyst).analyze.breakdown({
			indicator: 'onTimeRate',
			region: 440000,
			from: '2026-11-17',
			to: '2026-11-20',
			by: 'region',
			filters: {}
		});
		expect(b.parent).toMatchObject({ adcode: 440000, numerator: 396, denominator: 480 });
		expect(b.parent.value).toBeCloseTo(82.5, 10);
		// 深圳 216 / 240 = 90 % first, 广州 180 / 240 = 75 % second.
		expect(b.rows.map((r) => [r.key, r.rank, r.numerator, r.denominator])).toEqual([
			['440300', 1, 216, 240],
			['440100', 2, 180, 240]
		]);
		expect(b.rows[1]!.value).toBeCloseTo(await rawRate('2026-11-17', '2026-11-20', 'city_code = 440100'), 10);
		expect(b.rows[0]!.label).toBe('深圳');
		expect(b.rows[1]!.filter).toEqual({ region: 440100 });
		// A percentile does not add up: its parent is asked for itself (every case took 2 hours).
		const p90 = await callerAs(analyst).analyze.breakdown({
			indicator: 'p90Duration',
			region: 440000,
			from: '2026-11-17',
			to: '2026-11-20',
			by: 'item',
			filters: {}
		});
		expect(p90.parent.value).toBe(2);
		expect(p90.rows.map((r) => [r.key, r.value])).toEqual([
			['ITEM-A', 2],
			['ITEM-B', 2]
		]);
	});

	it('what moved it: the planted county and item on top, the parts summing to the change', async () => {
		const api = callerAs(analyst);
		const base = { from: '2026-11-14', to: '2026-11-17' };
		const current = { from: '2026-11-17', to: '2026-11-20' };
		const city = await api.analyze.contributions({ indicator: 'onTimeRate', region: 440100, filters: {}, base, current, by: ['region', 'item', 'channel'] });
		// 广州: 216 / 240 = 90 % → 180 / 240 = 75 %: −15 points, all of it 天河's rate (weight 1/2 × −30) and ITEM-B's.
		expect(city.change).toBeCloseTo(-15, 10);
		const region = city.dimensions.find((d) => d.dimension === 'region')!;
		expect(region.rows[0]).toMatchObject({ key: '440106', filter: { region: 440106 } });
		expect(region.rows[0]!.rateEffect).toBeCloseTo(-15, 10);
		expect(region.rows[0]!.mixEffect).toBeCloseTo(0, 10);
		const item = city.dimensions.find((d) => d.dimension === 'item')!;
		expect(item.rows[0]).toMatchObject({ key: 'ITEM-B', filter: { filters: { item: ['ITEM-B'] } } });
		expect(item.rows[0]!.effect).toBeCloseTo(-15, 10);
		for (const d of city.dimensions) expect(d.rows.reduce((s, r) => s + r.effect, 0)).toBeCloseTo(city.change!, 9);
		// The province: 广州 −7.5 of −7.5.
		const province = await api.analyze.contributions({ indicator: 'onTimeRate', region: 440000, filters: {}, base, current, by: ['region'] });
		expect(province.top[0]).toMatchObject({ dimension: 'region', key: '440100' });
		expect(province.top[0]!.effect).toBeCloseTo(-7.5, 10);
		// A count adds up: 办结量 did not change (480 both), every part 0.
		const count = await api.analyze.contributions({ indicator: 'completedVolume', region: 440000, filters: {}, base, current, by: ['item'] });
		expect(count).toMatchObject({ kind: 'count', base: 480, current: 480, change: 0 });
	});

	it('detail: keyset pages of the raw rows, each call on record', async () => {
		const api = callerAs(analyst);
		const input = { source: 'cases' as const, region: 440106, from: '2026-11-17', to: '2026-11-20', filters: { item: ['ITEM-B'] }, limit: 25 };
		const ids: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const page = await api.analyze.detail({ ...input, ...(cursor ? { cursor } : {}) });
			for (const r of page.rows) {
				expect(r.adcode).toBe(440106);
				expect(r.item_code).toBe('ITEM-B');
			}
			ids.push(...page.rows.map((r) => r.id));
			cursor = page.next ?? undefined;
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(ids).toHaveLength(60);
		expect(new Set(ids).size).toBe(60);
		const audit = await listAudit(app.db, { actions: ['detail_view'], actorName: (analyst as { name: string }).name });
		expect(audit.entries).toHaveLength(3);
		expect(audit.entries[0]!.detail).toMatchObject({ source: 'cases', region: 440106, rows: 10 });
	});

	it('detail: pages that cut through rows of the same instant lose and repeat none', async () => {
		// 广州 has 4 rows (2 counties × 2 items) at every instant: pages of 30 end inside such groups.
		const api = callerAs(analyst);
		const seen: string[] = [];
		let cursor: string | undefined;
		do {
			const page = await api.analyze.detail({
				source: 'cases',
				region: 440100,
				from: '2026-11-17',
				to: '2026-11-20',
				filters: {},
				limit: 30,
				...(cursor ? { cursor } : {})
			});
			seen.push(...page.rows.map((r) => r.id));
			cursor = page.next ?? undefined;
		} while (cursor);
		expect(seen).toHaveLength(2 * 2 * 20 * 3);
		expect(new Set(seen).size).toBe(seen.length);
	});

	it('saved views: each user sees only their own; bad views are refused', async () => {
		const mine = callerAs(analyst);
		const theirs = callerAs(other);
		const saved = await mine.analyze.views.save({ name: '天河 按时办结率', query: '?ind=onTimeRate&r=440106&by=item' });
		await theirs.analyze.views.save({ name: '别人的', query: 'r=440300' });
		expect((await mine.analyze.views.list()).map((v) => v.name)).toEqual(['天河 按时办结率']);
		expect(await theirs.analyze.views.remove({ id: saved.id })).toEqual({ removed: false });
		expect((await mine.analyze.views.list()).map((v) => v.name)).toEqual(['天河 按时办结率']);
		await expect(mine.analyze.views.save({ name: 'x'.repeat(61), query: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(mine.analyze.views.save({ name: '坏', query: 'g=minute' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		expect(await mine.analyze.views.remove({ id: saved.id })).toEqual({ removed: true });
		expect(await mine.analyze.views.list()).toEqual([]);
	});

	it('export: the table recomputed on the server, numbers as numbers, the query on a second sheet, on record', async () => {
		const view = 'ind=onTimeRate,completedVolume&r=440000&from=2026-11-17&to=2026-11-20&by=region&cmp=none';
		const ctx = { warehouse: db.warehouse, hub, principal: analyst, scope: { adcodes: [440000] }, appDb: app.db };
		const xlsx = await exportView(ctx, app.db, view, 'xlsx', { address: '127.0.0.1' });
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
		const sheet = wb.getWorksheet('数据')!;
		expect(sheet.getRow(1).getCell(3).value).toBe('按时办结率（%）');
		expect(sheet.getRow(2).getCell(3).value).toBeCloseTo(82.5, 10);
		expect(sheet.getRow(3).values).toEqual([undefined, '深圳', '440300', 90, 216, 240, 1, 240, 1]);
		expect(wb.getWorksheet('查询条件')!.getRow(4).values).toEqual([undefined, '期间（北京时间）', '2026-11-17 至 2026-11-19']);
		const csv = await exportView(ctx, app.db, view, 'csv', { address: '127.0.0.1' });
		expect((csv.body as string).startsWith('\uFEFF')).toBe(true);
		expect((csv.body as string).split('\r\n')[3]).toBe('广州,440100,75,180,240,2,240,1');
		const audit = await listAudit(app.db, { actions: ['export'] });
		expect(audit.entries.filter((e) => e.detail.what === 'analyze')).toHaveLength(2);
	});
});

describe('analyze: an analyst limited to 广州 (440100) reaches nothing outside it', () => {
	const outside = [440300, 440000, 0, 440305];
	it('every procedure refuses another city, the province, the nation and a county of another city', async () => {
		const api = callerAs(cityAnalyst);
		for (const region of outside) {
			const period = { from: '2026-11-17', to: '2026-11-20' };
			await expect(api.analyze.series({ indicators: ['onTimeRate'], region: { adcode: region }, ...period, grain: 'day' })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			await expect(api.analyze.breakdown({ indicator: 'onTimeRate', region, ...period, by: 'region', filters: {} })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			await expect(api.analyze.breakdown({ indicator: 'onTimeRate', region, ...period, by: 'item', filters: {} })).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(
				api.analyze.contributions({
					indicator: 'onTimeRate',
					region,
					filters: {},
					base: { from: '2026-11-14', to: '2026-11-17' },
					current: period,
					by: ['item']
				})
			).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(api.analyze.detail({ source: 'cases', region, ...period, filters: {} })).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(api.analyze.views.save({ name: `v${region}`, query: `r=${region}` })).rejects.toMatchObject({ code: 'FORBIDDEN' });
			const ctx = { warehouse: db.warehouse, hub, principal: cityAnalyst, scope: { adcodes: [440100] }, appDb: app.db };
			await expect(exportView(ctx, app.db, `r=${region}&from=2026-11-17&to=2026-11-20&by=item`, 'csv', { address: null })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
		}
		// Inside: only 广州's counties, and 广州's figures alone (180 / 240).
		const b = await api.analyze.breakdown({ indicator: 'onTimeRate', region: 440100, from: '2026-11-17', to: '2026-11-20', by: 'region', filters: {} });
		expect(b.rows.map((r) => r.key).sort()).toEqual(['440104', '440106']);
		expect(b.parent).toMatchObject({ numerator: 180, denominator: 240 });
		const page = await api.analyze.detail({ source: 'cases', region: 440100, from: '2026-11-17', to: '2026-11-20', filters: {}, limit: 100 });
		expect(page.rows.every((r) => Math.floor(r.adcode / 100) === 4401)).toBe(true);
	});

	it('a leader may read the figures but not the raw rows', async () => {
		const leader = callerAs(await userPrincipal('leader', [440100]));
		await expect(leader.analyze.detail({ source: 'cases', region: 440100, from: '2026-11-17', to: '2026-11-20', filters: {} })).rejects.toMatchObject({
			code: 'FORBIDDEN'
		});
		const s = await leader.analyze.series({ indicators: ['onTimeRate'], region: { adcode: 440100 }, from: '2026-11-17', to: '2026-11-20', grain: 'day' });
		expect(s.series[0]!.total.onTimeRate).toBeCloseTo(75, 10);
	});
});
