/**
 * The ticker's anomaly rule against the real warehouse: a replay of simulated nights
 * (珠海, its districts; incidents off) raises nothing; late completions planted in one
 * district tonight raise one anomaly naming the district and the baseline — the same
 * hours of the last four working days. Small: five six-hour nights of one city.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../ingest/simulator/simulator.ts';
import { loadScope } from '../../ingest/simulator/sim-regions.ts';
import { parseTimestamp } from '../../src/lib/time/timestamps.ts';
import { projectRoot } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { computePanel } from '../../src/lib/server/cockpit/panels.ts';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;

const ZHUHAI = 440400;
const DOUMEN = 440403; // 斗门区
// Thursday 26 November 2026, 06:30: today's completed hours are 0–6; the last four working days are 25, 24, 23 and 20 November.
const NOW = Date.parse('2026-11-26T06:30:00+08:00');
const NIGHTS = ['2026-11-20', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'];

async function ingest(name: string, events: unknown[]): Promise<void> {
	const file = path.join(dir, name);
	writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
	const result = await runIngest(db.database, ['--file', file, '--once']).done;
	expect(result.code, result.stderr).toBe(0);
}

const anomalies = async () =>
	(await computePanel({ warehouse: db.warehouse, scope: { all: true } }, 'ticker', ZHUHAI, NOW)).items.filter((i) => i.kind === 'anomaly');

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-anomalies-'));
	db = await ingestDatabase('anomalies');
	const { regions, economies } = loadScope(path.join(projectRoot, 'ingest', 'reference'), ZHUHAI, 5);
	// Each night its own seed, so the nights differ as real ones do.
	const events = NIGHTS.flatMap((day, i) => {
		const sim = new Simulator({ seed: 50 + i, rate: 1.2, incidents: false, releases: false }, regions, economies, parseTimestamp(`${day}T00:00:00+08:00`));
		return [...sim.advance(parseTimestamp(`${day}T${day === '2026-11-26' ? '06:30' : '06:00'}:00+08:00`))];
	});
	await ingest('nights.ndjson', events);
}, 120_000);

afterAll(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

describe('anomalies on the ticker', () => {
	it('a normal night raises none, though the districts have enough completions to be judged', async () => {
		// The rule did look: every district completed ≥ 30 cases tonight and ≥ 120 in the four nights before (counted from the raw events).
		const rs = await db.warehouse.query({
			query: `SELECT adcode, countIf(ts >= {today:DateTime64(3)}) AS tonight, countIf(ts < {today:DateTime64(3)}) AS before
			        FROM case_events WHERE status = 'completed' AND adcode != {city:UInt32} GROUP BY adcode ORDER BY adcode`,
			query_params: { today: '2026-11-25 16:00:00.000', city: ZHUHAI },
			format: 'JSONEachRow'
		});
		const counts = await rs.json<{ adcode: number; tonight: string; before: string }>();
		expect(counts.map((c) => c.adcode)).toEqual([440402, 440403, 440404]);
		for (const c of counts) expect([c.adcode, Number(c.tonight) >= 30, Number(c.before) >= 120]).toEqual([c.adcode, true, true]);
		expect(await anomalies()).toEqual([]);
	});

	it('late completions planted in one district raise an anomaly naming it and the baseline', async () => {
		// 60 即办件 received yesterday at 10:00 and completed tonight between 01:00 and 05:00: all late.
		const planted = Array.from({ length: 60 }, (_, i) => {
			const completed = new Date(Date.parse('2026-11-26T01:00:00+08:00') + i * 4 * 60_000).toISOString();
			return {
				type: 'case',
				event_id: `late-${i}`,
				case_id: `late-${i}`,
				status: 'completed',
				ts: completed,
				submitted_ts: '2026-11-25T10:00:00+08:00',
				adcode: DOUMEN,
				department: '税务局',
				item_code: 'SW-001',
				item_name: '发票申领',
				channel: 'web',
				promised_days: 0,
				trips: 0,
				cross_province: false
			};
		});
		await ingest('planted.ndjson', planted);
		const found = await anomalies();
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({ kind: 'anomaly', region: '斗门区', severity: 'high' });
		expect(found[0]!.text).toMatch(/^按时办结率 今日0–6时 \d+\.\d%（n=\d+），近4个工作日同时段 \d+\.\d%（n=[\d,]+），低 \d+\.\d 个百分点$/);
	});
});
