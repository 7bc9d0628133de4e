/**
 * 数据核验 (`tianshu verify`, issue 12 item 5) on a small simulated feed: every
 * covered figure of the cockpit agrees with the raw events for the nation, a
 * province, a city and a county; a rollup row tampered with through the writer
 * is found, named, and fails the command. Figures the test expects are counted
 * here from the raw tables or the feed, never by verify's own code.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneYearEarlier } from '../../src/lib/time/windows.ts';
import { verifyCockpit, type Figure } from '../../src/lib/server/queries/verify/check.ts';
import { Simulator } from '../../ingest/simulator/simulator.ts';
import { loadScope } from '../../ingest/simulator/sim-regions.ts';
import { projectRoot } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { ingestDatabase, runIngest, runTianshu } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BEIJING = 8 * HOUR;
// The instant checked: the feed stops here. In the first hours after Beijing midnight "today" is nearly empty: then last evening.
const real = Date.now();
const at = Math.floor((new Date(real + BEIJING).getUTCHours() < 3 ? real - 4 * HOUR : real) / 60_000) * 60_000;
const day = Math.floor((at + BEIJING) / DAY) * DAY - BEIJING;
const atBeijing = new Date(at + BEIJING).toISOString().slice(0, 16); // what an operator types: Beijing time without an offset

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-verify-'));
	db = await ingestDatabase('verify');
	// Today so far and yesterday (KPIs, 环比, the backlog), the same weekday last week (the hourly comparison) and
	// the same day last year (同比); a seed each, so ids never collide.
	const file = path.join(dir, 'feed.ndjson');
	const parts = [
		{ seed: 21, from: day - DAY, to: at },
		{ seed: 22, from: day - 7 * DAY, to: day - 6 * DAY },
		{ seed: 23, from: oneYearEarlier(day) - 2 * HOUR, to: oneYearEarlier(day) + DAY }
	];
	// 广东 only, so its cities and counties have figures to compare at a small volume; the nation is 广东's sum.
	for (const p of parts) {
		const { regions, economies } = loadScope(path.join(projectRoot, 'ingest', 'reference'), 440000, p.seed);
		const sim = new Simulator({ seed: p.seed, rate: 0.1 }, regions, economies, p.from);
		appendFileSync(file, [...sim.advance(p.to)].map((e) => `${JSON.stringify(e)}\n`).join(''));
	}
	// Replayed copies of the first 400 lines: stored once, and verify must count them once.
	appendFileSync(file, readFileSync(file, 'utf8').split('\n').slice(0, 400).join('\n') + '\n');
	const result = await runIngest(db.database, ['--file', file, '--once']).done;
	expect(result.code, result.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

async function scalar(sql: string, params: Record<string, unknown> = {}): Promise<number> {
	const rs = await db.warehouse.query({ query: `SELECT toFloat64((${sql})) AS v`, query_params: params, format: 'JSONEachRow' });
	return Number((await rs.json<{ v: number }>())[0]?.v ?? Number.NaN);
}
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
/** Submissions today up to the instant in a region, counted here (distinct event ids). */
const submittedToday = (column: string, code: number) =>
	scalar(
		`SELECT uniqExactIf(event_id, status = 'submitted') FROM case_events WHERE ${column} = {code:UInt32}
		 AND ts >= toDateTime64({from:String}, 3, 'UTC') AND ts <= toDateTime64({to:String}, 3, 'UTC')`,
		{ code, from: utc(day), to: utc(at) }
	);

const figure = (figures: Figure[], id: string) => figures.find((f) => f.id === id);
const differing = (figures: Figure[]) => figures.filter((f) => !f.agree).map((f) => `${f.id}: ${String(f.served)} ≠ ${String(f.recomputed)} ${f.detail ?? ''}`);

describe('tianshu verify', () => {
	it('passes for the nation (the command, as JSON, exit 0)', async () => {
		const run = await runTianshu(db.database, ['verify', '--region', '0', '--at', atBeijing, '--json']);
		expect(run.code, run.stderr + run.stdout.slice(0, 4000)).toBe(0);
		const report = JSON.parse(run.stdout) as { figures: Figure[]; differing: number; verdict: string; at: number };
		expect(report.at).toBe(at);
		expect(differing(report.figures)).toEqual([]);
		expect(report.verdict).toBe('一致');
		// Not vacuous: the feed's figures are there, and the replayed copies are counted once.
		const volume = figure(report.figures, 'kpis.caseVolume.value')!;
		expect(volume.served).toBe(
			await scalar(`SELECT uniqExactIf(event_id, status = 'submitted') FROM case_events WHERE ts >= toDateTime64({from:String}, 3, 'UTC')`, { from: utc(day) })
		);
		expect(volume.served).toBeGreaterThan(0);
		for (const id of [
			'kpis.caseVolume.dod',
			'kpis.caseVolume.yoy',
			'kpis.onTimeRate.value',
			'reviews.positiveRate',
			'services.lastWeek.10',
			'rankings.440000.score'
		])
			expect(figure(report.figures, id), id).toBeDefined();
		expect(figure(report.figures, 'kpis.caseVolume.yoy')!.served).not.toBeNull();
	});

	it.each([
		['a province', 440000, 'province_code'],
		['a city', 440300, 'city_code'],
		['a county', 440305, 'adcode']
	])('passes for %s (%i)', async (_, adcode, column) => {
		const report = await verifyCockpit({ warehouse: db.warehouse, adcode, at });
		expect(differing(report.figures)).toEqual([]);
		expect(report.differing).toBe(0);
		expect(figure(report.figures, 'kpis.caseVolume.value')!.recomputed).toBe(await submittedToday(column, adcode));
		expect(report.figures.length).toBeGreaterThan(60);
	});

	// Before the tests that write into the tables. The instant: 17 min 13.5 s into the hour before the feed's end — inside an
	// hour, a minute and a second, with at least 43 minutes of the feed after it.
	const earlier = Math.floor(at / HOUR) * HOUR - HOUR + 17 * 60_000 + 13_500;
	const submittedBy = (column: string, code: number, to: number) =>
		scalar(
			`SELECT uniqExactIf(event_id, status = 'submitted') FROM case_events WHERE ${column} = {code:UInt32}
			 AND ts >= toDateTime64({from:String}, 3, 'UTC') AND ts <= toDateTime64({to:String}, 3, 'UTC')`,
			{ code, from: utc(day), to: utc(to) }
		);
	it.each([
		['a province', 'province_code'],
		['a county', 'adcode']
	])('passes for %s at an instant the feed ran past: nothing stamped after it is served', async (_, column) => {
		// The province, or 广东's county with the most submissions after the instant (so there is something not to count).
		const rs = await db.warehouse.query({
			query: `SELECT ${column} AS code FROM case_events WHERE status = 'submitted' AND adcode % 100 != 0
			        AND ts > toDateTime64({from:String}, 3, 'UTC') GROUP BY code ORDER BY count() DESC, code LIMIT 1`,
			query_params: { from: utc(earlier) },
			format: 'JSONEachRow'
		});
		const adcode = Number((await rs.json<{ code: number }>())[0]!.code);
		const report = await verifyCockpit({ warehouse: db.warehouse, adcode, at: earlier });
		expect(differing(report.figures)).toEqual([]);
		expect(report.figures.length).toBeGreaterThan(60);
		// Counted here: today's submissions up to the instant; the feed has more after it, which an uncapped panel would serve.
		const served = figure(report.figures, 'kpis.caseVolume.value')!.served;
		expect(served).toBe(await submittedBy(column, adcode, earlier));
		expect(served).toBeLessThan(await submittedBy(column, adcode, at));
		const hour = String(new Date(earlier + BEIJING).getUTCHours()).padStart(2, '0');
		expect(figure(report.figures, `services.today.${hour}`)!.served).toBe(
			(await submittedBy(column, adcode, earlier)) - (await submittedBy(column, adcode, Math.floor(earlier / HOUR) * HOUR - 1))
		);
		// The feed's newest case up to the instant, to the minute (the feed ran on for most of an hour).
		const newest = await scalar(`SELECT toUnixTimestamp64Milli(max(ts)) FROM case_events WHERE ts <= toDateTime64({to:String}, 3, 'UTC')`, {
			to: utc(earlier)
		});
		expect(figure(report.figures, 'header.dataAsOf')!.served).toBe(`${new Date(newest + BEIJING).toISOString().slice(0, 16).replace('T', ' ')}:00`);
	});

	it('counts an event id once: a raw copy stored past the claims (so the rollups count it twice) is a difference', async () => {
		// The busiest county of 深圳 today (not the one the next test tampers with), and one of its submissions written again
		// straight into the raw table.
		const rs = await db.warehouse.query({
			query: `SELECT adcode FROM case_events WHERE city_code = 440300 AND adcode % 100 != 0 AND adcode != 440305 AND status = 'submitted' AND ts >= toDateTime64({from:String}, 3, 'UTC')
			        GROUP BY adcode ORDER BY count() DESC, adcode LIMIT 1`,
			query_params: { from: utc(day) },
			format: 'JSONEachRow'
		});
		const county = Number((await rs.json<{ adcode: number }>())[0]!.adcode);
		await db.warehouse.command({
			query: `INSERT INTO case_events SELECT * FROM case_events WHERE adcode = {county:UInt32} AND status = 'submitted'
			        AND ts >= toDateTime64({from:String}, 3, 'UTC') ORDER BY ts LIMIT 1`,
			query_params: { county, from: utc(day) },
			clickhouse_settings: { insert_deduplicate: 0 }
		});
		const distinct = await submittedToday('adcode', county);
		const rows = await scalar(
			`SELECT countIf(status = 'submitted') FROM case_events WHERE adcode = {code:UInt32} AND ts >= toDateTime64({from:String}, 3, 'UTC')`,
			{ code: county, from: utc(day) }
		);
		expect(rows).toBe(distinct + 1);
		const report = await verifyCockpit({ warehouse: db.warehouse, adcode: county, at });
		expect(figure(report.figures, 'kpis.caseVolume.value')).toMatchObject({ served: distinct + 1, recomputed: distinct, agree: false });
	});

	it('fails, naming the figures, after a rollup row is tampered with', async () => {
		// Five submissions that never happened, written straight into the county's hourly region rollup (and chained to the city
		// level), in the last whole hour before the instant: the hour holding the instant is read from the events, up to it.
		const hour = Math.floor(at / HOUR) * HOUR - HOUR;
		await db.warehouse.insert({
			table: 'case_region_stats_hour',
			values: [{ bucket: utc(hour).slice(0, 19), province_code: 440000, city_code: 440300, adcode: 440305, channel: 'web', submitted: 5 }],
			format: 'JSONEachRow'
		});
		const truth = await submittedToday('adcode', 440305);
		const run = await runTianshu(db.database, ['verify', '--region', '440305', '--at', atBeijing]);
		expect(run.code, run.stderr).toBe(1);
		const line = run.stdout.split('\n').find((l) => l.includes('[kpis.caseVolume.value]'))!;
		expect(line).toMatch(new RegExp(`\\s${truth + 5}\\s+${truth}\\s+不一致`));
		// That hour's bar and today's web channel too (both read from the hour rollups); another channel and another hour agree.
		const hh = String(new Date(hour + BEIJING).getUTCHours()).padStart(2, '0');
		const next = String(new Date(hour + HOUR + BEIJING).getUTCHours()).padStart(2, '0');
		expect(run.stdout).toMatch(new RegExp(`\\[services\\.today\\.${hh}\\]\\s+\\d+\\s+\\d+\\s+不一致`));
		expect(run.stdout).toMatch(new RegExp(`\\[services\\.today\\.${next}\\]\\s+\\d+\\s+\\d+\\s+一致`));
		expect(run.stdout).toMatch(/\[services\.channel\.web\].*\s不一致/);
		expect(run.stdout).toMatch(/\[services\.channel\.counter\].*\s一致/);
		expect(run.stdout).toMatch(/不一致 [1-9]\d*\s+✗ 核验未通过/);
		// The city reads the city-level rollup the tampered row was chained into: found there too.
		const city = await verifyCockpit({ warehouse: db.warehouse, adcode: 440300, at });
		expect(figure(city.figures, 'kpis.caseVolume.value')).toMatchObject({ agree: false, recomputed: await submittedToday('city_code', 440300) });
	});
});
