/**
 * The evaluators' workbench API (issue 16) on a simulated few days: the live
 * capability and satisfaction input tables against counts straight from the raw
 * events, the published baselines against the reference files, the departments
 * that move an indicator, the scope (crafted calls of a city-limited and a
 * province-limited evaluator), and saved scenarios in a real app database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../src/lib/server/api/root.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { addUser } from '../../src/lib/server/auth/users.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import { builtinMethodology } from '../../src/lib/indices/builtins.ts';
import { compute } from '../../src/lib/indices/engine.ts';
import { projectRoot } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { ingestDatabase, runIngest, simulateToFile } from '../helpers/ingest.ts';
import { startAppDb, type TestAppDb } from '../helpers/appdb.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let appdb: TestAppDb;
let dir: string;
const hub = new LiveHub({ watermark: async () => '' });
const users: Record<'nation' | 'guangdong' | 'guangzhou' | 'other', Principal> = {} as never;
const PERIOD = { from: '2026-10-26', to: '2026-10-28' };
const FROM = '2026-10-26 00:00:00';
const TO = '2026-10-28 00:00:00';

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-evaluate-'));
	[db, appdb] = await Promise.all([ingestDatabase('evaluate'), startAppDb('pglite')]);
	const file = path.join(dir, 'days.ndjson');
	await simulateToFile(file, { seed: 11, rate: 0.2, from: '2026-10-26T00:00:00+08:00', to: '2026-10-28T00:00:00+08:00' });
	const result = await runIngest(db.database, ['--file', file, '--once']).done;
	expect(result.code, result.stderr).toBe(0);
	const make = async (key: keyof typeof users, regions: number[]) => {
		const name = `eval-${key}-${randomBytes(3).toString('hex')}`;
		const u = await addUser(appdb.db, { name, role: 'evaluator', regions, password: `Pw-${randomBytes(12).toString('base64url')}` });
		users[key] = { kind: 'user', userId: Number(u.id), name, role: 'evaluator', regions, sessionId: 1, mustChangePassword: false };
	};
	await make('nation', [0]);
	await make('guangdong', [440000]);
	await make('guangzhou', [440100]);
	await make('other', [0]);
}, 240_000);
afterAll(async () => {
	hub.stop();
	await Promise.all([db?.drop(), appdb?.stop()]);
	rmSync(dir, { recursive: true, force: true });
});

const as = (who: keyof typeof users) => createCaller({ warehouse: db.warehouse, hub, principal: users[who], scope: { adcodes: [] }, appDb: appdb.db }).evaluate;

async function raw<T>(sql: string): Promise<T[]> {
	const rs = await db.warehouse.query({ query: sql, format: 'JSONEachRow' });
	return rs.json<T>();
}

describe('live capability index, every province', () => {
	it('reads each indicator from the platform and says which it cannot', async () => {
		const t = await as('nation').live({ methodology: 'capability', level: 'province', ...PERIOD });
		expect(t.units).toHaveLength(34);
		expect(t.rows).toHaveLength(34);
		expect(t.period.label).toBe('2026-10-26 至 2026-10-27');
		expect(t.missing.sort()).toEqual(['atMostOneTripRate', 'guideCompleteness', 'guideConsistency']);
		expect(t.provenance.find((p) => p.indicator === 'mobileRate')).toMatchObject({ status: 'derived' });
		expect(t.provenance.find((p) => p.indicator === 'onTimeRate')).toMatchObject({ status: 'live', from: 'onTimeRate' });
		const byCode = new Map(t.rows.map((r) => [Number(r.adcode), r]));
		// The same rates straight from the raw events.
		const expected = await raw<{ p: number; on_time: number | null; online: number | null; items: string; mobile: string; cross: string }>(
			`SELECT province_code AS p,
			        if(countIf(status = 'completed') = 0, NULL, countIf(status = 'completed' AND on_time) / countIf(status = 'completed') * 100) AS on_time,
			        if(countIf(status = 'completed') = 0, NULL, countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) / countIf(status = 'completed') * 100) AS online,
			        uniqExactIf(item_code, status = 'submitted') AS items,
			        uniqExactIf(item_code, status = 'submitted' AND channel = 'mobile') AS mobile,
			        uniqExactIf(item_code, status = 'submitted' AND cross_province) AS cross
			 FROM case_events WHERE ts >= toDateTime64('${FROM}', 3, 'Asia/Shanghai') AND ts < toDateTime64('${TO}', 3, 'Asia/Shanghai')
			 GROUP BY p`
		);
		expect(expected.length).toBeGreaterThan(5);
		for (const e of expected) {
			const row = byCode.get(Number(e.p))!;
			if (e.on_time === null) expect(row.on_time_rate).toBe('');
			else expect(row.on_time_rate).toBeCloseTo(e.on_time, 9);
			if (e.online !== null) expect(row.fully_online_rate).toBeCloseTo(e.online, 9);
			if (Number(e.items) > 0) {
				expect(row.mobile_item_share).toBeCloseTo((Number(e.mobile) / Number(e.items)) * 100, 9);
				expect(row.cross_province_item_share).toBeCloseTo((Number(e.cross) / Number(e.items)) * 100, 9);
			}
		}
		// Never invented: what the platform lacks is an empty cell for every province.
		for (const r of t.rows) expect([r.at_most_one_trip_rate, r.guide_completeness, r.guide_consistency]).toEqual(['', '', '']);
		// Enough of the index is live for a score (coverage ≥ 60 %) wherever a province has cases and reviews.
		const result = compute(builtinMethodology('capability')!, t.rows);
		const scored = result.units.filter((u) => u.score !== null);
		expect(scored.length).toBeGreaterThan(5);
		// At most 30 + 25·0.8 + 15 + 15 of 100 (less where a province had no 差评 to rectify, say).
		expect(Math.max(...scored.map((u) => u.coverage))).toBeCloseTo(0.8, 9);
		for (const u of scored) expect(u.coverage).toBeGreaterThanOrEqual(0.6);
	});

	it('needs a national scope', async () => {
		await expect(as('guangdong').live({ methodology: 'capability', level: 'province', ...PERIOD })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as('guangzhou').live({ methodology: 'satisfaction', level: 'province', year: 2026 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});

describe('live indices for the cities of a province', () => {
	it('gives a province evaluator every city, with review counts as in the raw table', async () => {
		const t = await as('guangdong').live({ methodology: 'satisfaction', level: 'city', province: 440000, ...PERIOD });
		expect(t.units).toHaveLength(21);
		expect(t.partialScope).toBe(false);
		const counts = await raw<{ c: number; reviews: string; positive: string }>(
			`SELECT city_code AS c, count() AS reviews, countIf(rating >= 3) AS positive
			 FROM (SELECT * FROM reviews ORDER BY ingested_at LIMIT 1 BY review_id)
			 WHERE province_code = 440000 AND ts >= toDateTime64('${FROM}', 3, 'Asia/Shanghai') AND ts < toDateTime64('${TO}', 3, 'Asia/Shanghai')
			 GROUP BY c`
		);
		expect(counts.length).toBeGreaterThan(0);
		for (const c of counts) {
			const row = t.rows.find((r) => r.adcode === Number(c.c));
			if (!row) continue; // a row filed under the province's own code is not a city
			expect([row.reviews, row.positive]).toEqual([Number(c.reviews), Number(c.positive)]);
		}
	});

	it('gives a city-limited evaluator only their city, and refuses the others', async () => {
		const t = await as('guangzhou').live({ methodology: 'capability', level: 'city', province: 440000, ...PERIOD });
		expect(t.units).toEqual([{ adcode: 440100, name: '广州' }]);
		expect(t.rows.map((r) => r.adcode)).toEqual([440100]);
		expect(t.partialScope).toBe(true);
		await expect(as('guangzhou').live({ methodology: 'capability', level: 'city', province: 110000, ...PERIOD })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as('guangzhou').movers({ indicator: 'onTimeRate', adcode: 440300, ...PERIOD })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('ranks a municipality’s districts (below its 市辖区)', async () => {
		const t = await as('nation').live({ methodology: 'capability', level: 'city', province: 110000, ...PERIOD });
		expect(t.units.length).toBe(16);
		expect(t.units.every((u) => Math.floor(u.adcode / 10000) === 11 && u.adcode % 100 !== 0)).toBe(true);
		// Each district's 按时办结率 as the raw events give it (not only "some district has a number"); events filed under
		// 市辖区 (110100) itself belong to no district.
		const districts = await raw<{ a: string; onTime: string; completed: string }>(
			`SELECT adcode AS a, countIf(status = 'completed' AND on_time) AS onTime, countIf(status = 'completed') AS completed FROM case_events
			 WHERE province_code = 110000 AND ts >= toDateTime64('${FROM}', 3, 'Asia/Shanghai') AND ts < toDateTime64('${TO}', 3, 'Asia/Shanghai')
			 GROUP BY a HAVING completed > 0 AND a % 100 != 0`
		);
		expect(districts.length).toBeGreaterThan(0);
		for (const d of districts)
			expect(t.rows.find((r) => r.adcode === Number(d.a))?.on_time_rate, d.a).toBeCloseTo((Number(d.onTime) / Number(d.completed)) * 100, 9);
	});

	it('refuses a period that has not begun, a period given twice and one over a year', async () => {
		await expect(as('nation').live({ methodology: 'capability', level: 'province', year: 2099 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(as('nation').live({ methodology: 'capability', level: 'province', year: 2026, ...PERIOD })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(as('nation').live({ methodology: 'capability', level: 'province', from: '2024-01-01', to: '2026-01-01' })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
	});
});

describe('what moves an indicator', () => {
	it('lists the departments with the most cases not on time, as counted from the raw events', async () => {
		const m = await as('guangdong').movers({ indicator: 'onTimeRate', adcode: 440000, ...PERIOD, limit: 3 });
		expect(m.available).toBe(true);
		const late = await raw<{ department: string; late: string }>(
			`SELECT department, countIf(status = 'completed' AND NOT on_time) AS late
			 FROM case_events WHERE province_code = 440000 AND ts >= toDateTime64('${FROM}', 3, 'Asia/Shanghai') AND ts < toDateTime64('${TO}', 3, 'Asia/Shanghai')
			 GROUP BY department HAVING late > 0 ORDER BY late DESC, department LIMIT 3`
		);
		expect(m.departments.map((d) => [d.key, Math.round(d.gap)])).toEqual(late.map((l) => [l.department, Number(l.late)]));
		const none = await as('guangdong').movers({ indicator: 'guideCompleteness', adcode: 440000, ...PERIOD });
		expect(none).toMatchObject({ available: false, departments: [], items: [] });
	});
});

describe('published baselines', () => {
	it('are the reference files', async () => {
		const cap = await as('guangzhou').baseline({ kind: 'capability' });
		const file = readFileSync(path.join(projectRoot, 'ingest/reference/statistics/capability_2020.csv'), 'utf8').trim().split('\n').slice(1);
		expect(cap.units).toHaveLength(file.length);
		expect(cap.units.find((u) => u.adcode === 330000)).toMatchObject({ unit: '浙江', score: 96.73, rank: 1 });
		const egdi = await as('guangzhou').baseline({ kind: 'egdi' });
		expect(egdi.units).toHaveLength(193);
		expect(egdi.units[0]).toMatchObject({ unit: 'Denmark', rank: 1, score: 0.915 });
	});
});

describe('saved scenarios', () => {
	const payload = (level: 'province' | 'city', extra: Record<string, unknown> = {}) => ({
		methodology: { kind: 'builtin' as const, id: 'capability' },
		source: { kind: 'live' as const, methodology: 'capability' as const, level, ...(level === 'city' ? { province: 440000 } : {}), year: 2026 },
		edits: { 广东: { on_time_rate: 99 } },
		weights: { effectiveness: 40 },
		...extra
	});

	it('are saved by name, listed, reloaded, replaced by the same name and removed by the owner only', async () => {
		const { id } = await as('guangdong').scenarios.save({ name: '广东 按时办结 99', payload: payload('city') });
		expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
		const again = await as('guangdong').scenarios.save({ name: '广东 按时办结 99', payload: payload('city', { note: '第二版' }) });
		expect(again.id).toBe(id);
		const got = await as('guangdong').scenarios.get({ id });
		expect(got).toMatchObject({ name: '广东 按时办结 99', mine: true, shared: false, region: 440000 });
		expect(got.payload.note).toBe('第二版');
		expect((await as('guangdong').scenarios.list()).map((s) => s.id)).toContain(id);
		expect(await as('other').scenarios.remove({ id })).toEqual({ removed: false }); // not theirs: nothing happens
		await expect(as('other').scenarios.get({ id })).rejects.toMatchObject({ code: 'FORBIDDEN' }); // not shared
		expect(await as('guangdong').scenarios.remove({ id })).toEqual({ removed: true });
		// Each save and the removal are on record.
		const audit = await appdb.db.query<{ action: string; detail: { change: string; scenario: string } }>(
			'SELECT action, detail FROM audit_log WHERE actor_name = $1 ORDER BY id',
			[users.guangdong.kind === 'user' ? users.guangdong.name : '']
		);
		expect(audit.map((a) => [a.action, a.detail.change, a.detail.scenario])).toEqual([
			['scenario_change', 'save', id],
			['scenario_change', 'save', id],
			['scenario_change', 'remove', id]
		]);
		await expect(as('guangdong').scenarios.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});

	it('are read when shared only by evaluators whose scope covers the data', async () => {
		const { id } = await as('nation').scenarios.save({ name: '各省 权重 40', shared: true, payload: payload('province') });
		expect(await as('other').scenarios.get({ id })).toMatchObject({ mine: false, shared: true });
		await expect(as('guangdong').scenarios.get({ id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect((await as('guangdong').scenarios.list()).map((s) => s.id)).not.toContain(id);
		const city = await as('guangdong').scenarios.save({ name: '广东各市', shared: true, payload: payload('city') });
		await expect(as('guangzhou').scenarios.get({ id: city.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await as('nation').scenarios.get({ id: city.id })).toMatchObject({ mine: false });
		// Saving is no way around the scope: the provinces' ranking needs the nation.
		await expect(as('guangdong').scenarios.save({ name: 'x', payload: payload('province') })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('refuse a long name, a payload over 64 kB, an unknown methodology and a broken uploaded one', async () => {
		await expect(as('nation').scenarios.save({ name: '长'.repeat(61), payload: payload('province') })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		const big = payload('province', {
			edits: Object.fromEntries(
				Array.from({ length: 400 }, (_, i) => [`unit${i}`, Object.fromEntries(Array.from({ length: 12 }, (_, j) => [`i${j}`, i + j / 3]))])
			)
		});
		await expect(as('nation').scenarios.save({ name: 'big', payload: big })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: '方案内容过大（最多 64 KB）'
		});
		await expect(
			as('nation').scenarios.save({ name: 'x', payload: { ...payload('province'), methodology: { kind: 'builtin', id: 'nope' } } })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
		await expect(
			as('nation').scenarios.save({ name: 'x', payload: { ...payload('province'), methodology: { kind: 'uploaded', document: { id: 'x', name: 'y' } } } })
		).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});
