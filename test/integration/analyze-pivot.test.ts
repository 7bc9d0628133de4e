/**
 * analyze.pivot (rows × columns, issue 14) on real chDB with planted events whose
 * figures are worked out by hand: 4 counties (广州 天河 440106, 越秀 440104; 深圳
 * 南山 440305, 福田 440304), 30 October – 2 November 2026, completed cases at
 * Beijing 09:00. Per county and day: item A 10 cases, 9 on time; item B 10 cases,
 * 5 on time (天河 in November: 2); item C only in 深圳, 4 cases, all on time.
 * Every cell and total equals the test's own query over the raw events; folding
 * keeps the totals; a city-limited analyst reaches nothing outside the city.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { ingestDatabase } from '../helpers/ingest.ts';
import { startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { createTestUser } from '../helpers/auth.ts';
import { createCaller } from '../../src/lib/server/api/root.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import type { PivotOutput } from '../../src/lib/server/api/routers/analyze.ts';
import { exportView } from '../../src/lib/server/analyze/export.ts';
import { listAudit } from '../../src/lib/server/audit/audit.ts';
import { parseTimestamp } from '../../src/lib/time/timestamps.ts';
import { clickhouseDateTime64 } from '../../src/lib/time/clickhouse-params.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let app: TestAppDb;
const hub = new LiveHub({ watermark: async () => '' });
let analyst: Principal;
let cityAnalyst: Principal;

const COUNTIES = [440106, 440104, 440305, 440304];
const DAYS = ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02'];
const PERIOD = { from: '2026-10-30', to: '2026-11-03' };

/** [cases, on time] of a county, item and day (the plan in the header). */
function plan(county: number, item: string, day: string): [number, number] {
	if (item === 'A') return [10, 9];
	if (item === 'B') return [10, county === 440106 && day >= '2026-11-01' ? 2 : 5];
	return Math.floor(county / 100) === 4403 ? [4, 4] : [0, 0];
}

function events() {
	const rows: Array<Record<string, unknown>> = [];
	for (const day of DAYS)
		for (const county of COUNTIES)
			for (const item of ['A', 'B', 'C']) {
				const [n, good] = plan(county, item, day);
				for (let i = 0; i < n; i++) {
					const ts = parseTimestamp(`${day}T09:00`) + i * 60_000;
					rows.push({
						event_id: `p-${day}-${county}-${item}-${i}`,
						case_id: `p-${day}-${county}-${item}-${i}`,
						status: 'completed',
						ts: clickhouseDateTime64(ts),
						adcode: county,
						province_code: Math.floor(county / 10000) * 10000,
						city_code: Math.floor(county / 100) * 100,
						department: item === 'C' ? '人社局' : '公安局',
						item_code: item,
						item_name: `事项${item}`,
						channel: i % 2 ? 'web' : 'counter',
						promised_days: 3,
						trips: 0,
						cross_province: false,
						submitted_at: clickhouseDateTime64(ts - 3600_000),
						due_date: day,
						duration_s: 3600,
						on_time: i < good,
						source: 'test'
					});
				}
			}
	return rows;
}

function callerAs(principal: Principal) {
	return createCaller({ warehouse: db.warehouse, hub, principal, scope: { adcodes: [] }, appDb: app.db } as Parameters<typeof createCaller>[0]);
}

async function userPrincipal(role: 'analyst' | 'leader', regions: number[]): Promise<Principal> {
	const u = await createTestUser(app.db, role, regions);
	const row = await app.db.one<{ id: string }>('SELECT id::text AS id FROM users WHERE name = $1', [u.name]);
	return { kind: 'user', userId: Number(row!.id), name: u.name, role, regions, sessionId: 1, mustChangePassword: false };
}

beforeAll(async () => {
	[db, app] = await Promise.all([ingestDatabase('pivot'), startAppDb('pglite')]);
	await db.warehouse.insert({ table: 'case_events', values: events(), format: 'JSONEachRow' });
	// The item catalogue the row labels come from (ingest keeps it; written here directly).
	const seen = clickhouseDateTime64(parseTimestamp('2026-11-02T09:00'));
	await db.warehouse.insert({
		table: 'service_items',
		values: ['A', 'B', 'C'].map((c) => ({ item_code: c, item_name: `事项${c}`, department: c === 'C' ? '人社局' : '公安局', last_seen: seen })),
		format: 'JSONEachRow'
	});
	analyst = await userPrincipal('analyst', [440000]);
	cityAnalyst = await userPrincipal('analyst', [440100]);
}, 240_000);

afterAll(async () => {
	hub.stop();
	await db?.drop();
	await app?.stop();
});

/**
 * The oracle: on-time cases and completed cases per (row, column) from the raw events, with SQL
 * written here (the row and column expressions, over Beijing dates [from, to) and a region term).
 */
async function rawParts(row: string, column: string, where: string): Promise<Map<string, { hits: number; total: number }>> {
	const rs = await db.warehouse.query({
		query: `SELECT toString(${row}) AS r, toString(${column}) AS c, countIf(on_time) AS hits, count() AS total FROM case_events
		        WHERE status = 'completed' AND toDate(ts, 'Asia/Shanghai') >= {from:Date} AND toDate(ts, 'Asia/Shanghai') < {to:Date} AND ${where}
		        GROUP BY r, c`,
		query_params: PERIOD,
		format: 'JSONEachRow'
	});
	const out = new Map<string, { hits: number; total: number }>();
	for (const x of await rs.json<{ r: string; c: string; hits: string; total: string }>())
		out.set(`${x.r}|${x.c}`, { hits: Number(x.hits), total: Number(x.total) });
	return out;
}

/** Every cell, row total, column total and the grand total of a pivot against the raw parts (columns keyed by `columnKey`). */
function expectEqualsRaw(p: PivotOutput, raw: Map<string, { hits: number; total: number }>, columnKey: (key: string) => string = (k) => k) {
	const sum = (pick: (r: string, c: string) => boolean) => {
		let hits = 0;
		let total = 0;
		for (const [k, v] of raw) {
			const [r, c] = k.split('|') as [string, string];
			if (pick(r, c)) {
				hits += v.hits;
				total += v.total;
			}
		}
		return { hits, total };
	};
	const check = (cell: PivotOutput['total'], want: { hits: number; total: number }, what: string) => {
		expect([cell.numerator, cell.denominator], what).toEqual([want.hits, want.total]);
		if (want.total === 0) expect(cell.value, what).toBeNull();
		else expect(cell.value!, what).toBeCloseTo((100 * want.hits) / want.total, 10);
	};
	p.rows.keys.forEach((r, i) => {
		p.columns.keys.forEach((c, j) =>
			check(
				p.cells[i]![j]!,
				sum((rr, cc) => rr === r.key && cc === columnKey(c.key)),
				`${r.key} × ${c.key}`
			)
		);
		check(
			p.rowTotals[i]!,
			sum((rr) => rr === r.key),
			`${r.key} 合计`
		);
	});
	p.columns.keys.forEach((c, j) =>
		check(
			p.columnTotals[j]!,
			sum((_, cc) => cc === columnKey(c.key)),
			`合计 × ${c.key}`
		)
	);
	check(
		p.total,
		sum(() => true),
		'总计'
	);
}

describe('analyze.pivot: cells and totals against hand figures and the raw events', () => {
	it('cities × items of the province: ratios of sums, an empty cell empty', async () => {
		const p = await callerAs(analyst).analyze.pivot({ indicator: 'onTimeRate', region: 440000, ...PERIOD, filters: {}, rows: 'region', columns: 'item' });
		expect(p.rows.keys.map((r) => [r.key, r.label])).toEqual([
			['440300', '深圳'],
			['440100', '广州']
		]);
		expect(p.columns.keys.map((c) => c.key)).toEqual(['A', 'B', 'C']);
		expect(p.columns.keys[0]!.label).toBe('事项A');
		expect(p.note).toBe('');
		// Hand figures: 广州 × B = 越秀 4 × 5 + 天河 (2 × 5 + 2 × 2) = 34 of 80 → 42.5 %; 广州 × C has no case.
		const gz = 1;
		expect(p.cells[gz]![1]).toEqual({ value: 42.5, numerator: 34, denominator: 80 });
		expect(p.cells[gz]![2]).toEqual({ value: null, numerator: 0, denominator: 0 });
		// 广州: (72 + 34) / 160 = 66.25 %, not the mean of its cells; B: (34 + 40) / 160 = 46.25 %; all: 250 / 352.
		expect(p.rowTotals[gz]).toEqual({ value: 66.25, numerator: 106, denominator: 160 });
		expect(p.columnTotals[1]).toEqual({ value: 46.25, numerator: 74, denominator: 160 });
		expect(p.total.numerator).toBe(250);
		expect(p.total.denominator).toBe(352);
		expect(p.total.value).toBeCloseTo(25000 / 352, 10);
		expectEqualsRaw(p, await rawParts('city_code', 'item_code', 'province_code = 440000'));
		// What a click applies: the city (drill) and the item (filter).
		expect(p.rows.keys[1]!.filter).toEqual({ region: 440100 });
		expect(p.columns.keys[1]!.filter).toEqual({ filters: { item: ['B'] } });
	});

	it('items × months and items × weeks of 广州 (Beijing calendar, ISO weeks)', async () => {
		const api = callerAs(analyst);
		const month = await api.analyze.pivot({ indicator: 'onTimeRate', region: 440100, ...PERIOD, filters: {}, rows: 'item', columns: 'time', grain: 'month' });
		expect(month.columns.keys.map((c) => [c.key, c.label])).toEqual([
			['2026-10', '2026年10月'],
			['2026-11', '2026年11月']
		]);
		expect(month.columns.label).toBe('时间（月）');
		// B in November: 越秀 2 × 5 + 天河 2 × 2 = 14 of 40 → 35 %; A in October: 36 of 40 → 90 %.
		const b = month.rows.keys.findIndex((r) => r.key === 'B');
		const a = month.rows.keys.findIndex((r) => r.key === 'A');
		expect(month.cells[b]![1]).toEqual({ value: 35, numerator: 14, denominator: 40 });
		expect(month.cells[a]![0]).toEqual({ value: 90, numerator: 36, denominator: 40 });
		// A click on a month narrows the period to the month's part of the view.
		expect(month.columns.keys.map((c) => c.filter)).toEqual([
			{ period: { from: '2026-10-30', to: '2026-11-01' } },
			{ period: { from: '2026-11-01', to: '2026-11-03' } }
		]);
		expectEqualsRaw(month, await rawParts('item_code', "formatDateTime(toDate(ts, 'Asia/Shanghai'), '%Y-%m')", 'city_code = 440100'));

		// Weeks: 30 Oct – 1 Nov is in 2026-W44 (Monday 26 October), 2 Nov opens W45. Time as rows this time.
		const week = await api.analyze.pivot({ indicator: 'onTimeRate', region: 440100, ...PERIOD, filters: {}, rows: 'time', columns: 'item', grain: 'week' });
		expect(week.rows.keys.map((r) => [r.key, r.label])).toEqual([
			['2026-W44', '2026年第44周'],
			['2026-W45', '2026年第45周']
		]);
		// B in W44: 越秀 3 × 5 + 天河 5 + 5 + 2 = 27 of 60 → 45 %; in W45: 5 + 2 = 7 of 20 → 35 %.
		const bw = week.columns.keys.findIndex((c) => c.key === 'B');
		expect(week.cells[0]![bw]).toEqual({ value: 45, numerator: 27, denominator: 60 });
		expect(week.cells[1]![bw]).toEqual({ value: 35, numerator: 7, denominator: 20 });
		const raw = await rawParts(
			"concat(toString(toISOYear(toDate(ts, 'Asia/Shanghai'))), '-W', toString(toISOWeek(toDate(ts, 'Asia/Shanghai'))))",
			'item_code',
			'city_code = 440100'
		);
		expectEqualsRaw(
			// The oracle's week labels carry no leading zero (W44, W45 need none).
			week,
			raw
		);

		// Counties × days, a count: 办结量 per county and day.
		const days = await api.analyze.pivot({
			indicator: 'completedVolume',
			region: 440100,
			...PERIOD,
			filters: {},
			rows: 'region',
			columns: 'time',
			grain: 'day'
		});
		expect(days.columns.keys.map((c) => c.key)).toEqual(DAYS);
		expect(days.kind).toBe('count');
		// 20 cases a county a day (A 10 + B 10); 广州 160.
		expect(days.cells.flat().map((c) => c.value)).toEqual(Array(8).fill(20));
		expect(days.total).toEqual({ value: 160, numerator: 160, denominator: null });
	});

	it('folds beyond the limit into 其他 and says so; the totals stay the raw totals', async () => {
		const p = await callerAs(analyst).analyze.pivot({
			indicator: 'onTimeRate',
			region: 440000,
			...PERIOD,
			filters: {},
			rows: 'region',
			columns: 'item',
			columnLimit: 2
		});
		// A and B weigh 160 each (A first by key), C 32: A kept, B and C folded.
		expect(p.columns.keys.map((c) => [c.key, c.label, c.folded, c.filter])).toEqual([
			['A', '事项A', 0, { filters: { item: ['A'] } }],
			['__other__', '其他（2项）', 2, null]
		]);
		expect(p.folded).toEqual({ rows: 0, columns: 2 });
		expect(p.note).toBe('列：另有 2 项合并为“其他”');
		// 深圳 × 其他 = B 40/80 + C 32/32 = 72/112.
		expect(p.cells[0]![1]).toMatchObject({ numerator: 72, denominator: 112 });
		const raw = await rawParts('city_code', "if(item_code = 'A', 'A', '__other__')", 'province_code = 440000');
		expectEqualsRaw(p, raw);
		expect(p.total).toMatchObject({ numerator: 250, denominator: 352 });
	});

	it('a percentile is refused (it does not add up), not averaged', async () => {
		await expect(
			callerAs(analyst).analyze.pivot({ indicator: 'p90Duration', region: 440000, ...PERIOD, filters: {}, rows: 'region', columns: 'item' })
		).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/分位数不可加/) });
	});

	it('hostile input: 400 with a Chinese message, and the next request is answered', async () => {
		const api = callerAs(analyst);
		const base = { indicator: 'onTimeRate', region: 440000, ...PERIOD, filters: {} };
		const bad: Array<[Record<string, unknown>, RegExp]> = [
			[{ rows: 'item', columns: 'item' }, /行与列不能是同一维度/],
			[{ rows: 'time', columns: 'time' }, /行与列不能是同一维度/],
			[{ rows: 'region', columns: 'item', rowLimit: 10_000 }, /最多 30 行/],
			[{ rows: 'region', columns: 'item', columnLimit: 1e9 }, /最多 24 列/],
			[{ rows: 'region', columns: 'time', grain: 'hour' }, /时间粒度须为/],
			[{ rows: 'region', columns: 'weather' }, /透视维度须为/],
			// 40 days by day: more columns than the table may have.
			[{ rows: 'region', columns: 'time', grain: 'day', from: '2026-10-01', to: '2026-11-10' }, /超过透视表列数上限 24/],
			[{ rows: 'region', columns: 'item', region: 440106 }, /区县没有下级地区/],
			[{ rows: 'ticketType', columns: 'item' }, /不能按诉求类型/]
		];
		for (const [input, message] of bad)
			await expect(api.analyze.pivot({ ...base, ...input } as Parameters<typeof api.analyze.pivot>[0]), JSON.stringify(input)).rejects.toMatchObject({
				code: 'BAD_REQUEST',
				message: expect.stringMatching(message)
			});
		const ok = await api.analyze.pivot({ ...base, rows: 'channel', columns: 'item' });
		expect(ok.total).toMatchObject({ numerator: 250, denominator: 352 });
	});

	it('export: a 透视表 sheet with the values, numerators and denominators as numbers; CSV with a BOM; on record', async () => {
		const view = 'ind=onTimeRate&r=440000&from=2026-10-30&to=2026-11-03&by=region&tab=pivot&pc=item';
		const ctx = { warehouse: db.warehouse, hub, principal: analyst, scope: { adcodes: [440000] }, appDb: app.db };
		const xlsx = await exportView(ctx, app.db, view, 'xlsx', { address: '127.0.0.1' });
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
		const sheet = wb.getWorksheet('透视表')!;
		expect(sheet.getRow(1).values).toEqual([undefined, '地市 ＼ 事项', '地市代码', '事项A（%）', '事项B（%）', '事项C（%）', '合计（%）']);
		expect(sheet.getRow(3).values).toEqual([undefined, '广州', '440100', 90, 42.5, undefined, 66.25]);
		expect(sheet.getRow(4).getCell(6).value).toBeCloseTo(25000 / 352, 10);
		// The numerators' block, then the denominators'.
		expect(sheet.getRow(6).getCell(1).value).toBe('按时办结率 分子');
		expect(sheet.getRow(9).values).toEqual([undefined, '合计', undefined, 144, 74, 32, 250]);
		expect(sheet.getRow(14).values).toEqual([undefined, '合计', undefined, 160, 160, 32, 352]);
		const conditions = wb.getWorksheet('查询条件')!;
		expect(conditions.getRow(5).values).toEqual([undefined, '透视表', '行：地市；列：事项（比率的合计为分子之和除以分母之和）']);
		const csv = await exportView(ctx, app.db, view, 'csv', { address: '127.0.0.1' });
		const lines = (csv.body as string).split('\r\n');
		expect(lines[0]).toBe('\uFEFF地市 ＼ 事项,地市代码,事项A（%）,事项B（%）,事项C（%）,合计（%）');
		expect(lines[2]).toBe('广州,440100,90,42.5,,66.25');
		const audit = await listAudit(app.db, { actions: ['export'] });
		expect(audit.entries.filter((e) => e.detail.table === 'pivot')).toHaveLength(2);
	});
});

describe('analyze.pivot: an analyst limited to 广州 (440100) reaches nothing outside it', () => {
	it('refuses another city, the province, the nation and a county of another city; inside, only 广州', async () => {
		const api = callerAs(cityAnalyst);
		for (const region of [440300, 440000, 0, 440305]) {
			await expect(api.analyze.pivot({ indicator: 'onTimeRate', region, ...PERIOD, filters: {}, rows: 'item', columns: 'channel' })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			const ctx = { warehouse: db.warehouse, hub, principal: cityAnalyst, scope: { adcodes: [440100] }, appDb: app.db };
			await expect(exportView(ctx, app.db, `r=${region}&from=2026-10-30&to=2026-11-03&tab=pivot&pc=item`, 'csv', { address: null })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
		}
		const p = await api.analyze.pivot({ indicator: 'onTimeRate', region: 440100, ...PERIOD, filters: {}, rows: 'region', columns: 'item' });
		expect(p.rows.keys.map((r) => r.key).sort()).toEqual(['440104', '440106']);
		expect(p.columns.keys.map((c) => c.key)).toEqual(['A', 'B']);
		expectEqualsRaw(p, await rawParts('adcode', 'item_code', 'city_code = 440100'));
	});
});
