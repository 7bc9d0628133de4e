/**
 * The analysts' workbench's browser test data: a planted incident pushed through
 * the product's own ingest path (a push source, `tianshu ingest --http`), and the
 * independent recount of the on-time rate from the raw events in the warehouse.
 */
import { spawnSync } from 'node:child_process';
import { expect } from '@playwright/test';
import { createWarehouse } from '../../../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../../../src/lib/server/warehouse/config.ts';
import { startProcess, warehouseData } from '../cockpit-helpers.ts';

const DAY = 86_400_000;
const CHANNELS = ['web', 'counter', 'mobile'];
/** A Beijing calendar date `days` from today (computed here, not with the product's calendar). */
export function beijingDay(days: number, yearsBack = 0): string {
	const d = new Date(Date.now() + 8 * 3_600_000 + days * DAY);
	d.setUTCFullYear(d.getUTCFullYear() - yearsBack);
	return d.toISOString().slice(0, 10);
}

export const INCIDENT = {
	province: 440000,
	city: 440100,
	county: 440106, // 天河区
	item: 'E2E-BDC-01',
	itemName: '不动产登记（演练）'
};

interface Unit {
	adcode: number;
	item: string;
	itemName: string;
	department: string;
}
const BDC: Unit = { adcode: INCIDENT.county, item: INCIDENT.item, itemName: INCIDENT.itemName, department: '自然资源局' };
const HJ = (adcode: number): Unit => ({ adcode, item: 'E2E-HJ-01', itemName: '户籍迁移（演练）', department: '公安局' });

/**
 * The plan: for the three days before yesterday ("current") the on-time rate of one
 * item in 天河区 falls from 100 % to 25 % (40 completions a day); everything else
 * (another item in 天河区, a county beside it, one in 深圳) stays at 95 % over the
 * three days before ("base") and now. The same dates a year earlier hold 90 %.
 * Yesterday and today are left alone: the product's simulator fills them.
 */
export function incidentEvents(run: string) {
	const events: string[] = [];
	let n = 0;
	const completed = (u: Unit, date: string, onTime: boolean) => {
		const id = `e2e-an-${run}-${n++}`;
		events.push(
			JSON.stringify({
				type: 'case',
				event_id: id,
				case_id: id,
				status: 'completed',
				ts: `${date}T10:00:00+08:00`,
				// On time: submitted an hour before, three days promised. Late: a month before, one day promised.
				submitted_ts: onTime ? `${date}T09:00:00+08:00` : `${shift(date, -30)}T09:00:00+08:00`,
				adcode: u.adcode,
				department: u.department,
				item_code: u.item,
				item_name: u.itemName,
				// Three channels in turn: no channel alone explains the fall.
				channel: CHANNELS[n % 3],
				promised_days: onTime ? 3 : 1,
				trips: 0,
				cross_province: false
			})
		);
	};
	const days = (from: number, years = 0) => [0, 1, 2].map((i) => beijingDay(from + i, years));
	const steady = [HJ(INCIDENT.county), HJ(440104), HJ(440304)];
	for (const date of [...days(-7), ...days(-4)]) for (const u of steady) for (let i = 0; i < 40; i++) completed(u, date, i < 38);
	for (const date of days(-7)) for (let i = 0; i < 40; i++) completed(BDC, date, true);
	for (const date of days(-4)) for (let i = 0; i < 40; i++) completed(BDC, date, i < 10);
	for (const date of days(-4, 1)) for (const u of [BDC, ...steady]) for (let i = 0; i < 40; i++) completed(u, date, i < 36);
	return events;
}

function shift(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Pushes the incident through a push source of the run's product and waits until the warehouse holds all of it. */
export async function plantIncident(): Promise<void> {
	const appdb = { TIANSHU_APPDB_DATA: `${process.env.TIANSHU_E2E_DATA}/appdb` };
	const run = Date.now().toString(36);
	const issued = spawnSync(process.execPath, ['bin/tianshu.js', 'source', 'add', `e2e-analyze-${run}`, '--types', 'case'], {
		env: { ...process.env, ...appdb },
		encoding: 'utf8'
	});
	expect(issued.status, issued.stderr).toBe(0);
	const worker = startProcess(['ingest', '--http', '0'], appdb);
	try {
		const endpoint = JSON.parse(await worker.line(/push endpoint ready/)).url as string;
		const events = incidentEvents(run);
		for (let i = 0; i < events.length; i += 1000) {
			const batch = events.slice(i, i + 1000);
			const res = await fetch(endpoint, { method: 'POST', body: batch.join('\n'), headers: { Authorization: `Bearer ${issued.stdout.trim()}` } });
			expect((await res.json()).accepted).toBe(batch.length);
		}
		await expect
			.poll(async () => Number((await raw<{ n: number }>(`SELECT count() AS n FROM case_events WHERE startsWith(event_id, 'e2e-an-${run}-')`))[0]!.n), {
				timeout: 60_000
			})
			.toBe(events.length);
	} finally {
		worker.child.kill('SIGTERM');
	}
}

/** A statement against the run's warehouse (the test's own SQL: the oracle). */
export async function raw<T>(sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
	const warehouse = createWarehouse(
		warehouseConfig({ TIANSHU_WAREHOUSE_DATA: warehouseData, TIANSHU_WAREHOUSE_PORT: process.env.TIANSHU_E2E_WAREHOUSE_PORT! })
	);
	try {
		return await (await warehouse.query({ query: sql, query_params: params, format: 'JSONEachRow' })).json<T>();
	} finally {
		await warehouse.close();
	}
}

/** The on-time rate (%) of the cases completed in a province over Beijing dates [from, to), each event once, from the raw table. */
export async function rawOnTimeRate(province: number, from: string, to: string): Promise<number | null> {
	const [r] = await raw<{ hits: number; total: number }>(
		`SELECT countIf(on_time) AS hits, count() AS total FROM (
		   SELECT event_id, any(on_time) AS on_time FROM case_events
		   WHERE status = 'completed' AND intDiv(adcode, 10000) = {p:UInt32}
		     AND ts >= toDateTime64({from:String}, 3, 'Asia/Shanghai') AND ts < toDateTime64({to:String}, 3, 'Asia/Shanghai')
		   GROUP BY event_id)`,
		{ p: province / 10000, from: `${from} 00:00:00`, to: `${to} 00:00:00` }
	);
	return Number(r!.total) ? (100 * Number(r!.hits)) / Number(r!.total) : null;
}
