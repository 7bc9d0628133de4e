/**
 * The cockpit's panels and its live stream against the real warehouse: every
 * figure a wall shows equals the same figure counted straight from the raw
 * events at the same instant; a hundred walls on one region cost one computation
 * per panel per tick; a reconnecting wall resumes from its last id; the scope holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createCaller } from '../../src/lib/server/api/root.ts';
import { SYSTEM } from '../../src/lib/server/auth/principal.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import { watermarkOf } from '../../src/lib/server/api/server-context.ts';
import { computePanel } from '../../src/lib/server/cockpit/panels.ts';
import type { PanelData } from '../../src/lib/cockpit/model.ts';
import { ingestDatabase, runIngest, simulateToFile } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
// Beijing days worked out here (UTC+8 all year), not by src/lib/time: the expected windows must not follow a bug in the
// code they check (a panel counting the UTC day would agree with raw counts over the same UTC day).
const startOfBeijingDay = (ms: number) => Math.floor((ms + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
/** The KPI tiles' window: Beijing midnight to the end of the current hour. */
const todaySoFar = (ms: number) => ({ from: startOfBeijingDay(ms), to: Math.floor(ms / HOUR) * HOUR + HOUR });
// "Now" for the whole file: the feed stops here, so nothing changes while the tests compare.
// In the first hours after Beijing midnight "today" is nearly empty: then the file lives in last evening.
const real = Date.now();
const now = Math.floor((new Date(real + 8 * 3600_000).getUTCHours() < 3 ? real - 4 * 3600_000 : real) / 60_000) * 60_000;
const all = { all: true as const };

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-cockpit-'));
	db = await ingestDatabase('cockpit');
	const file = path.join(dir, 'feed.ndjson');
	const iso = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19) + '+08:00';
	await simulateToFile(file, { seed: 11, rate: 0.6, from: iso(startOfBeijingDay(now) - 8 * DAY), to: iso(now) });
	const result = await runIngest(db.database, ['--file', file, '--once']).done;
	expect(result.code, result.stderr).toBe(0);
}, 240_000);
afterAll(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

const panel = <P extends keyof PanelData>(name: P, adcode: number, scope: Parameters<typeof computePanel>[0]['scope'] = all) =>
	computePanel({ warehouse: db.warehouse, scope }, name, adcode, now);

async function scalar(sql: string, params: Record<string, unknown> = {}): Promise<number> {
	const rs = await db.warehouse.query({
		query: `SELECT toFloat64(${sql.startsWith('(') ? sql : `(${sql})`}) AS v`,
		query_params: params,
		format: 'JSONEachRow'
	});
	return Number((await rs.json<{ v: number | null }>())[0]?.v ?? Number.NaN);
}

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
const range = (from: number, to: number) => ({ from: utc(from), to: utc(to) });
const inRange = "ts >= toDateTime64({from:String}, 3, 'UTC') AND ts < toDateTime64({to:String}, 3, 'UTC')";

describe('the cockpit panels equal the raw events at the same instant', () => {
	it('KPIs: today so far and its 环比 against yesterday up to the same hour', async () => {
		const kpis = await panel('kpis', 440000);
		const w = todaySoFar(now);
		const count = (from: number, to: number) =>
			scalar(`SELECT countIf(status = 'submitted') FROM case_events WHERE province_code = 440000 AND ${inRange}`, range(from, to));
		const today = await count(w.from, w.to);
		const yesterday = await count(w.from - DAY, w.to - DAY);
		const volume = kpis.kpis.find((k) => k.code === 'caseVolume')!;
		expect(today).toBeGreaterThan(0);
		expect(volume.value).toBe(today);
		// 环比 of a count in per cent, worked out here from the two raw counts (not by the cockpit's own change()).
		expect(yesterday).toBeGreaterThan(0);
		expect(volume.dod).toBeCloseTo(((today - yesterday) / yesterday) * 100, 9);
		const onTime = await scalar(
			`SELECT countIf(status = 'completed' AND on_time) / countIf(status = 'completed') * 100 FROM case_events WHERE province_code = 440000 AND ${inRange}`,
			range(w.from, w.to)
		);
		expect(kpis.kpis.find((k) => k.code === 'onTimeRate')!.value).toBeCloseTo(onTime, 9);
		const tickets = await scalar(`SELECT countIf(status = 'created') FROM hotline_events WHERE province_code = 440000 AND ${inRange}`, range(w.from, w.to));
		expect(kpis.kpis.find((k) => k.code === 'ticketVolume')!.value).toBe(tickets);
		const warnings = await scalar(`SELECT count() FROM risk_warnings WHERE province_code = 440000 AND ${inRange}`, range(w.from, w.to));
		expect(kpis.kpis.find((k) => k.code === 'warnings')!.value).toBe(warnings);
		expect(kpis.kpis.map((k) => k.code)).toEqual(['caseVolume', 'onTimeRate', 'fullyOnlineRate', 'positiveRate', 'ticketVolume', 'warnings']);
	});

	it('services: hourly volume today and a week ago, channels, completions on time and late', async () => {
		const s = await panel('services', 0);
		const day = startOfBeijingDay(now);
		const perHour = async (start: number) => {
			const rs = await db.warehouse.query({
				query: `SELECT toHour(ts, 'Asia/Shanghai') AS h, countIf(status = 'submitted') AS n FROM case_events WHERE ${inRange} GROUP BY h`,
				query_params: range(start, start + DAY),
				format: 'JSONEachRow'
			});
			const m = new Map((await rs.json<{ h: number; n: number }>()).map((r) => [Number(r.h), Number(r.n)]));
			return Array.from({ length: 24 }, (_, h) => m.get(h) ?? 0);
		};
		const current = Math.floor((now - day) / HOUR);
		expect(s.today).toEqual((await perHour(day)).map((n, h) => (h <= current ? n : null)));
		expect(s.lastWeek).toEqual(await perHour(day - 7 * DAY));
		const total = s.today.reduce<number>((a, b) => a + (b ?? 0), 0);
		expect(s.channels.reduce((a, c) => a + c.value, 0)).toBe(total);
		expect(s.completedToday).toBe(await scalar(`SELECT countIf(status = 'completed') FROM case_events WHERE ${inRange}`, range(day, day + DAY)));
		expect(s.lateToday).toBe(await scalar(`SELECT countIf(status = 'completed' AND NOT on_time) FROM case_events WHERE ${inRange}`, range(day, day + DAY)));
		const p = s.durations.map((d) => d.hours!);
		expect(p.every((v, i) => i === 0 || v >= p[i - 1]!)).toBe(true); // percentiles rise
	});

	it('好差评: 差评 waiting and late from the reviews and their rectifications, the top reasons', async () => {
		const r = await panel('reviews', 0);
		const open = `SELECT count() FROM reviews WHERE rating <= 2 AND rectify_due_date IS NOT NULL
		              AND review_id NOT IN (SELECT review_id FROM review_actions WHERE action = 'rectify')`;
		const late = await scalar(`${open} AND rectify_due_date < toDate(now(), 'Asia/Shanghai')`);
		expect(r.negativeWaiting + r.negativeLate).toBe(await scalar(open));
		expect(r.negativeLate).toBe(late);
		expect(r.negativeWaiting).toBeGreaterThan(0);
		const rs = await db.warehouse.query({
			query: `SELECT tag, count() AS n FROM reviews ARRAY JOIN tags AS tag WHERE rating <= 2 AND toDate(ts, 'Asia/Shanghai') >= {from:Date}
			        GROUP BY tag ORDER BY n DESC, tag LIMIT 6`,
			query_params: { from: new Date(startOfBeijingDay(now) - 29 * DAY + 8 * HOUR).toISOString().slice(0, 10) },
			format: 'JSONEachRow'
		});
		expect(r.reasons).toEqual((await rs.json<{ tag: string; n: number }>()).map((x) => ({ tag: x.tag, count: Number(x.n) })));
	});

	it('the map: each province coloured by its figure today, live activity per county', async () => {
		const m = await panel('map', 0);
		const day = startOfBeijingDay(now);
		const rs = await db.warehouse.query({
			query: `SELECT province_code AS p, countIf(status = 'submitted') AS n FROM case_events WHERE ${inRange} GROUP BY p HAVING n > 0`,
			query_params: range(day, day + DAY),
			format: 'JSONEachRow'
		});
		const raw = new Map((await rs.json<{ p: number; n: number }>()).map((x) => [Number(x.p), Number(x.n)]));
		expect(new Map(m.regions.filter((x) => x.value).map((x) => [x.adcode, x.value]))).toEqual(raw);
		expect(m.geo).toBe('china');
		const recent = await scalar(`SELECT countIf(status = 'submitted') FROM case_events WHERE ts >= toDateTime64({from:String}, 3, 'UTC')`, {
			from: utc(now - 14 * 60_000)
		});
		expect(m.live.reduce((a, e) => a + e.cases, 0)).toBe(recent);
	});

	it('rankings: sub-regions by the satisfaction index, best first; a county among its siblings', async () => {
		const province = await panel('rankings', 440000);
		expect(province.rows.length).toBeGreaterThan(10);
		const scores = province.rows.map((r) => r.score!);
		expect(scores.every((v, i) => i === 0 || v <= scores[i - 1]!)).toBe(true);
		expect(province.rows[0]!.rank).toBe(1);
		expect(province.rows.every((r) => Math.floor(r.adcode / 10000) === 44 && r.adcode !== 440000)).toBe(true);
		const county = await panel('rankings', 440305);
		expect(county.highlight).toBe(440305);
		expect(county.rows.every((r) => Math.floor(r.adcode / 100) === 4403)).toBe(true);
	});

	it('the ticker: warnings of the last 24 hours, newest first', async () => {
		const t = await panel('ticker', 0);
		const warnings = await scalar(`SELECT count() FROM risk_warnings WHERE ts >= toDateTime64({from:String}, 3, 'UTC')`, { from: utc(now - DAY) });
		expect(t.items.filter((i) => i.kind === 'warning')).toHaveLength(Math.min(12, warnings));
	});

	it('economy: a province its own figures, a county its province’s; the header its path', async () => {
		const own = await panel('economy', 440000);
		expect(own.region).toEqual({ adcode: 440000, name: '广东省' });
		expect(own.indicators.map((i) => i.code)).toContain('gdp');
		expect((await panel('economy', 440305)).region.adcode).toBe(440000);
		const header = await panel('header', 440305);
		expect(header.path.map((p) => p.name)).toEqual(['全国', '广东省', '深圳市', '南山区']);
		expect(header.region.level).toBe('county');
	});
});

describe('the cockpit API', () => {
	const hub = () => new LiveHub({ watermark: watermarkOf(db.warehouse), floorMs: 100, ceilingMs: 60_000 });

	it('refuses a region outside the scope and a bad code, clearly', async () => {
		const h = hub();
		const caller = createCaller({ warehouse: db.warehouse, hub: h, principal: SYSTEM, scope: { adcodes: [440000] } });
		await expect(caller.cockpit.panel({ adcode: 110000, panel: 'kpis' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		// Streams are refused before they open.
		await expect(caller.cockpit.live({ adcode: 110000, panels: ['kpis'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(
			caller.live.query({ window: 'today', query: { indicators: ['caseVolume'], grain: 'total', region: { adcode: 110000 } } })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(caller.live.query({ window: 'today', query: { indicators: ['nope'], grain: 'total', region: { adcode: 440000 } } })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'query.indicators.0：未知指标 "nope"'
		});
		const e = await caller.cockpit.panel({ adcode: 123, panel: 'kpis' }).catch((x: TRPCError) => x);
		expect(e).toBeInstanceOf(TRPCError);
		expect((e as TRPCError).code).toBe('BAD_REQUEST');
		expect((e as TRPCError).message).toContain('adcode：须为 0（全国）或六位行政区划代码（GB/T 2260）');
		// Inside the scope: 深圳's own figure, as the raw events count it.
		const w = todaySoFar(now);
		const shenzhen = (await caller.cockpit.panel({ adcode: 440300, panel: 'kpis', at: now })).data as PanelData['kpis'];
		expect(shenzhen.kpis.find((k) => k.code === 'caseVolume')!.value).toBe(
			await scalar(`SELECT countIf(status = 'submitted') FROM case_events WHERE city_code = 440300 AND ${inRange}`, range(w.from, w.to))
		);
		h.stop();
	});

	it('reviews.overview and hotline.overview answer for a region', async () => {
		const h = hub();
		const caller = createCaller({ warehouse: db.warehouse, hub: h, principal: SYSTEM, scope: all });
		const reviews = await caller.reviews.overview({ adcode: 440000 });
		expect(reviews.positiveRate).toBeGreaterThan(90);
		const hotline = await caller.hotline.overview({ adcode: 440000, days: 7 });
		expect(hotline.series.map((s) => s.key.ticketType).sort()).toEqual(['advice', 'complaint', 'inquiry', 'praise', 'request']);
		for (const s of hotline.series) expect(s.total.ticketOnTimeRate).toBeGreaterThan(0);
		h.stop();
	});

	it('serves 100 walls on one region with one computation per panel per tick', { timeout: 60_000 }, async () => {
		const h = hub();
		const controller = new AbortController();
		const caller = createCaller({ warehouse: db.warehouse, hub: h, principal: SYSTEM, scope: all }, { signal: controller.signal });
		const input = { adcode: 440000, panels: ['kpis' as const, 'map' as const], mapIndicators: ['caseVolume' as const, 'onTimeRate' as const] };
		const streams = await Promise.all(Array.from({ length: 100 }, () => caller.cockpit.live(input)));
		const iterators = streams.map((s) => (s as AsyncIterable<[string, { panel: string; mapIndicator?: string }]>)[Symbol.asyncIterator]());
		// Each wall gets the three topics (KPIs, the map twice), in any order.
		const firsts = await Promise.all(
			iterators.map(
				async (it) =>
					new Set(await Promise.all([it.next(), it.next(), it.next()]).then((r) => r.map((x) => `${x.value![1].panel}:${x.value![1].mapIndicator ?? ''}`)))
			)
		);
		for (const got of firsts) expect(got).toEqual(new Set(['kpis:', 'map:caseVolume', 'map:onTimeRate']));
		expect(h.activeTopics).toBe(3);
		const key = (panel: string, mapIndicator?: string) => JSON.stringify({ cockpit: panel, adcode: 440000, mapIndicator, scope: all });
		expect([h.computations(key('kpis')), h.computations(key('map', 'caseVolume')), h.computations(key('map', 'onTimeRate'))]).toEqual([1, 1, 1]);
		controller.abort();
		await Promise.all(iterators.map((it) => it.return?.()));
		expect(h.activeTopics).toBe(0);
		h.stop();
	});

	it(
		'gives 50 walls opening at once their first picture with one computation per panel, the same values a panel call then gets',
		{ timeout: 120_000 },
		async () => {
			const h = hub();
			const caller = createCaller({ warehouse: db.warehouse, hub: h, principal: SYSTEM, scope: all });
			const input = { adcode: 440000, mapIndicators: ['caseVolume' as const, 'onTimeRate' as const] };
			const pictures = await Promise.all(Array.from({ length: 50 }, () => caller.cockpit.picture(input)));
			const key = (panel: string, mapIndicator?: string) => JSON.stringify({ cockpit: panel, adcode: 440000, mapIndicator, scope: all });
			const panels = ['header', 'kpis', 'economy', 'services', 'reviews', 'rankings', 'ticker'];
			expect([...panels.map((p) => h.computations(key(p))), h.computations(key('map', 'caseVolume')), h.computations(key('map', 'onTimeRate'))]).toEqual(
				Array.from({ length: panels.length + 2 }, () => 1)
			);
			const first = pictures[0]!;
			for (const p of pictures) expect(p).toEqual(first);
			expect(Object.keys(first.panels).sort()).toEqual([...panels].sort());
			expect(Object.keys(first.maps).sort()).toEqual(['caseVolume', 'onTimeRate']);
			// The panel call right after takes the same topic's value.
			expect((await caller.cockpit.panel({ adcode: 440000, panel: 'kpis' })).data).toEqual(first.panels.kpis);
			expect(first.at).toBeLessThanOrEqual(Date.now());
			h.stop();
		}
	);

	it('resumes a reconnecting wall from its last id: nothing seen is sent again, nothing newer is lost', { timeout: 60_000 }, async () => {
		const h = hub();
		const open = async (lastEventId?: string) => {
			const controller = new AbortController();
			const caller = createCaller({ warehouse: db.warehouse, hub: h, principal: SYSTEM, scope: all }, { signal: controller.signal });
			const stream = (await caller.cockpit.live({ adcode: 440000, panels: ['kpis'], lastEventId })) as AsyncIterable<[string, unknown]>;
			return { it: stream[Symbol.asyncIterator](), close: () => controller.abort() };
		};
		// A wall that stays, so the topic (and its latest value) lives on while the other reconnects.
		const keeper = await open();
		const first = (await keeper.it.next()).value![0];
		const wall = await open();
		expect((await wall.it.next()).value![0]).toBe(first);
		wall.close();
		await wall.it.return?.();
		// Reconnecting with the id it saw: no repeat; the next value comes when new data arrives.
		const back = await open(first);
		let resumed: string | undefined;
		const pending = back.it.next().then((r) => (resumed = r.value![0]));
		await new Promise((r) => setTimeout(r, 500));
		expect(resumed).toBeUndefined();
		await db.warehouse.insert({
			table: 'ingest_watermark',
			values: [{ worker: 'test', version: Date.now() * 1000, updated_at: Date.now() }],
			format: 'JSONEachRow'
		});
		await pending;
		expect(Number(resumed)).toBeGreaterThan(Number(first));
		// Reconnecting with an older id: the latest value at once.
		const late = await open(String(Number(first) - 1));
		expect((await late.it.next()).value![0]).toBe(resumed);
		for (const w of [back, late, keeper]) {
			w.close();
			await w.it.return?.();
		}
		h.stop();
	});
});
