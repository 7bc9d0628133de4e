/**
 * The analysts' workbench's browser test data: a planted incident pushed through
 * the product's own ingest path (a push source, `tianshu ingest --http`), and the
 * independent recount of the on-time rate from the raw events in the warehouse.
 */
import { expect } from '@playwright/test';
import { createWarehouse } from '../../../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../../../src/lib/server/warehouse/config.ts';
import { warehouseData } from '../cockpit-helpers.ts';
import { openPushSource } from './push.ts';

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
	const run = Date.now().toString(36);
	await pushEvents(`e2e-analyze-${run}`, `e2e-an-${run}-`, incidentEvents(run));
}

/**
 * The incident's item in 天河区 before the incident: 10 completions a day, all on time, on the 28 days
 * up to a week before yesterday (days −35 … −8): the weeks and days the anomaly baselines need.
 */
export function steadyHistoryEvents(run: string) {
	const events: string[] = [];
	for (let day = -35; day <= -8; day++)
		for (let i = 0; i < 10; i++) {
			const date = beijingDay(day);
			const id = `e2e-hist-${run}-${day}-${i}`;
			events.push(
				JSON.stringify({
					type: 'case',
					event_id: id,
					case_id: id,
					status: 'completed',
					ts: `${date}T11:00:00+08:00`,
					submitted_ts: `${date}T09:00:00+08:00`,
					adcode: BDC.adcode,
					department: BDC.department,
					item_code: BDC.item,
					item_name: BDC.itemName,
					channel: CHANNELS[i % 3],
					promised_days: 3,
					trips: 0,
					cross_province: false
				})
			);
		}
	return events;
}

/** Plants the steady history (once per run of the product: it is looked for first) and the incident if it is not there yet. */
export async function plantIncidentWithHistory(): Promise<void> {
	const count = async (where: string) => Number((await raw<{ n: number }>(`SELECT count() AS n FROM case_events WHERE ${where}`))[0]!.n);
	if (!(await count("startsWith(event_id, 'e2e-an-')"))) await plantIncident();
	if (!(await count("startsWith(event_id, 'e2e-hist-')"))) {
		const run = Date.now().toString(36);
		await pushEvents(`e2e-history-${run}`, `e2e-hist-${run}-`, steadyHistoryEvents(run));
	}
}

/** Pushes events through a new push source of the run's product and waits until the warehouse holds all those with the id prefix. */
async function pushEvents(source: string, prefix: string, events: string[]): Promise<void> {
	const push = await openPushSource(source, 'case');
	try {
		for (let i = 0; i < events.length; i += 1000) {
			const batch = events.slice(i, i + 1000);
			expect((await push.post(batch)).accepted).toBe(batch.length);
		}
		await expect
			.poll(
				async () => Number((await raw<{ n: number }>(`SELECT count() AS n FROM case_events WHERE startsWith(event_id, {p:String})`, { p: prefix }))[0]!.n),
				{
					timeout: 60_000
				}
			)
			.toBe(events.length);
	} finally {
		push.stop();
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
