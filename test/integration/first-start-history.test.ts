/**
 * First-start history, at a tiny volume: the plan `tianshu start` makes, the
 * simulator's history and statistics runs it starts, through the worker into the
 * warehouse — 13 months and more of cases, reviews with their handling and 12345
 * tickets, statistics with their 1–2月 release — and a second start that makes none.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyPlan } from '../../src/cli/start.ts';
import { projectRoot, tianshuBin } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;
const DAY = 86_400_000;
const quiet = pino({ level: 'silent' });
const RATE = 0.001; // ≈ 30 000 lines over 400 days

async function simulate(args: string[]): Promise<void> {
	const child = spawn(process.execPath, [tianshuBin, 'simulate', ...args], { cwd: projectRoot, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: 'pipe' });
	let stderr = '';
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	const code = await new Promise<number | null>((r) => child.once('exit', r));
	expect(code, stderr).toBe(0);
}

async function one<T>(sql: string, params: Record<string, unknown> = {}): Promise<T> {
	const rs = await db.warehouse.query({ query: sql, query_params: params, format: 'JSONEachRow' });
	return (await rs.json<T>())[0]!;
}

let plan: NonNullable<ReturnType<typeof historyPlan>>;
let started: number;

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-history-'));
	const live = path.join(dir, 'simulated.ndjson');
	started = Date.now();
	plan = historyPlan(dir, live, 400, 7, RATE, quiet)!;
	// What start runs: the live feed's recent days with 36 months of releases, and the history before them.
	const p = plan.progress;
	const history = [
		'--out',
		plan.feed,
		'--resume',
		'--seed',
		'2',
		'--rate',
		String(p.rate),
		'--from',
		p.from,
		'--to',
		p.to,
		'--no-releases',
		'--progress',
		plan.progressFile
	];
	await Promise.all([
		ingestDatabase('history').then((d) => (db = d)),
		simulate(['--out', live, '--resume', '--rate', String(RATE), '--days', '7', '--history-months', '36']),
		simulate(history)
	]);
	const run = await runIngest(db.database, ['--file', live, '--file', plan.feed, '--once']).done;
	expect(run.code, run.stderr).toBe(0);
}, 180_000);
afterAll(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

describe('first-start history', () => {
	it('plans 400 days before the recent 7, at the live rate, and records the plan', () => {
		expect(Date.parse(plan.progress.from)).toBeLessThanOrEqual(started - 400 * DAY + 1000);
		expect(Date.parse(plan.progress.to)).toBeLessThanOrEqual(started - 7 * DAY + 1000);
		expect(plan.progress.rate).toBe(RATE);
		const written = JSON.parse(readFileSync(plan.progressFile, 'utf8')) as { done: boolean; writtenTo: string; to: string };
		expect(written.done).toBe(true);
		expect(written.writtenTo).toBe(written.to);
	});

	it('stores 13 months and more of cases, reviews with their handling and 12345 tickets', async () => {
		const cases = await one<{ months: number; first: string }>(
			"SELECT uniqExact(toYYYYMM(ts, 'Asia/Shanghai')) AS months, toString(min(ts)) AS first FROM case_events"
		);
		expect(Date.parse(`${cases.first.replace(' ', 'T')}Z`)).toBeLessThan(started - 396 * DAY);
		expect(cases.months).toBeGreaterThanOrEqual(14); // 13 whole months and the two ends
		const old = new Date(started - 380 * DAY).toISOString().slice(0, 19).replace('T', ' ');
		// Rectifications are a few a month at this volume (a 差评 is rare, and is rectified days later): a 20-day window
		// held none on some days of the calendar, so they are counted over the history run's whole range.
		const history = new Date(Date.parse(plan.progress.to)).toISOString().slice(0, 19).replace('T', ' ');
		const r = await one<{ reviews: number; rectified: number; tickets: number }>(
			`SELECT (SELECT count() FROM reviews WHERE ts < {old:DateTime64(3, 'UTC')}) AS reviews,
			        (SELECT count() FROM review_actions WHERE action = 'rectify' AND ts < {history:DateTime64(3, 'UTC')}) AS rectified,
			        (SELECT count() FROM hotline_events WHERE ts < {old:DateTime64(3, 'UTC')}) AS tickets`,
			{ old, history }
		);
		expect(r.reviews).toBeGreaterThan(0);
		expect(r.rectified).toBeGreaterThan(0);
		expect(r.tickets).toBeGreaterThan(0);
	});

	it('holds three years of statistics with 1–2月 releases and no January for the combined series', async () => {
		const s = await one<{ janFeb: number; january: number; years: number; cpiJanuary: number }>(
			`SELECT countIf(indicator = 'retailSales' AND endsWith(period, '-02')) AS janFeb,
			        countIf(indicator IN ('retailSales', 'industrialValueAdded', 'fixedAssetInvestment', 'fiscalRevenue') AND endsWith(period, '-01')) AS january,
			        uniqExact(substring(period, 1, 4)) AS years,
			        countIf(indicator = 'cpi' AND endsWith(period, '-01')) AS cpiJanuary
			 FROM indicator_latest`
		);
		expect(s.janFeb).toBeGreaterThanOrEqual(2 * 32); // the nation and 31 provinces, two years at least
		expect(s.january).toBe(0);
		expect(s.cpiJanuary).toBeGreaterThan(0);
		expect(s.years).toBeGreaterThanOrEqual(3);
	});

	it('makes no history on a second start', () => {
		const size = statSync(plan.feed).size;
		const again = historyPlan(dir, path.join(dir, 'simulated.ndjson'), 400, 7, RATE, quiet)!;
		expect(again.progress.done).toBe(true); // start spawns no history run when done
		expect(again.progress.from).toBe(plan.progress.from);
		expect(statSync(plan.feed).size).toBe(size);
		// A feed that predates the history (no progress file) gets none either.
		rmSync(plan.progressFile);
		expect(historyPlan(dir, path.join(dir, 'simulated.ndjson'), 400, 7, RATE, quiet)).toBeNull();
	});
});
