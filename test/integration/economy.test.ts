/**
 * Economic indicators and annual targets, loaded as CSV tables through the
 * worker and read through the API: latest releases, 累计, 同比, targets and status.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createCaller } from '../../src/lib/server/api/root.ts';
import { SYSTEM } from '../../src/lib/server/auth/principal.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;

beforeAll(async () => {
	db = await ingestDatabase('economy');
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-economy-'));
	const month = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
	const values = ['indicator,adcode,period,value,unit,release_ts'];
	// Retail sales as the bureau publishes them: 1–2月 as one figure (period YYYY-02), then month by month.
	values.push('retailSales,440000,2025-02,180,亿元,2025-03-19T10:00:00+08:00');
	for (let m = 3; m <= 12; m++) values.push(`retailSales,440000,${month(2025, m)},90,亿元,${month(2025, m)}-28T10:00:00+08:00`);
	values.push('retailSales,440000,2026-02,198,亿元,2026-03-18T10:00:00+08:00');
	for (let m = 3; m <= 10; m++) values.push(`retailSales,440000,${month(2026, m)},99,亿元,${month(2026, m)}-28T10:00:00+08:00`);
	// October is revised a week later: the latest release counts.
	values.push('retailSales,440000,2026-10,100,亿元,2026-11-05T10:00:00+08:00');
	values.push('unemploymentRate,440000,2026-10,5.7,%,2026-11-15T10:00:00+08:00');
	writeFileSync(path.join(dir, 'values.csv'), `${values.join('\n')}\n`);
	writeFileSync(
		path.join(dir, 'targets.csv'),
		[
			'indicator,adcode,year,value,unit,release_ts',
			'retailSales,440000,2026,1200,亿元,2026-01-20T10:00:00+08:00',
			'retailSales,440000,2026,1250,亿元,2026-01-25T10:00:00+08:00',
			'unemploymentRate,440000,2026,5.5,%,2026-01-20T10:00:00+08:00',
			'gdp,440000,2026,five,%,2026-01-20T10:00:00+08:00'
		].join('\n') + '\n'
	);
	for (const f of ['values.csv', 'targets.csv']) expect((await runIngest(db.database, ['--file', path.join(dir, f), '--once']).done).code).toBe(0);
}, 120_000);
afterAll(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

const caller = (scope: { all: true } | { adcodes: number[] } = { all: true }) =>
	createCaller({ warehouse: db.warehouse, hub: new LiveHub({ watermark: async () => '' }), principal: SYSTEM, scope });

describe('economy.overview', () => {
	it('gives 累计, 同比, 目标完成率 against 时序进度 and the status, from the latest releases', async () => {
		const r = await caller().economy.overview({ adcode: 440000, year: 2026 });
		const retail = r.indicators.find((i) => i.code === 'retailSales')!;
		expect(retail.period).toBe('2026-10');
		expect(retail.value).toBe(100); // the revision
		expect(retail.periodLabel).toBe('1–10月');
		expect(retail.ytd).toBe(198 + 7 * 99 + 100);
		expect(retail.yoy).toBeCloseTo((100 / 90 - 1) * 100, 10);
		expect(retail.ytdYoy).toBeCloseTo(((198 + 7 * 99 + 100) / (180 + 8 * 90) - 1) * 100, 10);
		expect(retail.target).toBe(1250); // the later target release
		expect(retail.targetProgress).toBeCloseTo((991 / 1250) * 100, 10);
		expect(retail.timeElapsed).toBeCloseTo((10 / 12) * 100, 10);
		expect(retail.status).toBe('amber'); // 79.3 % done at 83.3 % of the year
		expect(retail.trend.labels[0]).toBe('1–2月');
		expect(retail.trend.lastYear).toEqual([180, 270, 360, 450, 540, 630, 720, 810, 900, 990, 1080]); // 1–2月, 1–3月 … 1–12月
		const unemployment = r.indicators.find((i) => i.code === 'unemploymentRate')!;
		expect([unemployment.value, unemployment.target, unemployment.status]).toEqual([5.7, 5.5, 'amber']);
		const gdp = r.indicators.find((i) => i.code === 'gdp')!;
		expect([gdp.value, gdp.target, gdp.status]).toEqual([null, null, null]); // the broken target line was refused
	});

	it('refused the target row with a wrong type, with its reason', async () => {
		const rs = await db.warehouse.query({ query: "SELECT reason, detail FROM ingest_dead_letter WHERE raw LIKE 'gdp,%'", format: 'JSONEachRow' });
		const [dead] = await rs.json<{ reason: string; detail: string }>();
		expect(dead).toMatchObject({ reason: 'schema_violation' });
		expect(dead!.detail).toContain('value');
	});

	it('keeps to the caller’s scope', async () => {
		const err = await caller({ adcodes: [330000] })
			.economy.overview({ adcode: 440000, year: 2026 })
			.catch((e: TRPCError) => e);
		expect((err as TRPCError).code).toBe('FORBIDDEN');
	});
});
