/**
 * The ingest tab of /admin against a real warehouse: a few refused lines per
 * reason with their raw heads (cut, newest first) and the hourly throughput
 * summed over workers; and only for a caller who sees the whole nation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterHeads, hourlyThroughput, HEADS_PER_REASON } from '../../src/lib/server/queries/admin/ingest.ts';
import { ingestDatabase } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
const whole = { all: true as const };
/** Whole minutes ago, as the warehouse's UTC DateTime64 text. */
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace('T', ' ').replace('Z', '');

beforeAll(async () => {
	db = await ingestDatabase('admin_ingest');
	const line = (reason: string, minutes: number, raw: string) => ({
		ingested_at: ago(minutes),
		source: 'file:/data/cases.jsonl',
		position: minutes,
		step: 'parse',
		reason,
		detail: `detail of ${reason}`,
		type_hint: '',
		raw,
		raw_bytes: Buffer.byteLength(raw)
	});
	await db.warehouse.insert({
		table: 'ingest_dead_letter',
		format: 'JSONEachRow',
		values: [
			...[1, 2, 3, 4, 5].map((m) => line('invalid_json', m, `{"broken": ${m}`)),
			line('schema_violation', 10, 'x'.repeat(500)),
			line('invalid_json', 60 * 30, 'older than a day')
		]
	});
	// Two workers over the last two hours: rates 2 and 4 in one hour (mean 3) plus 10, so the hour sums 13.
	const metric = (worker: string, minutes: number, eps: number) => ({
		ts: ago(minutes),
		worker,
		events_total: 0,
		stored_total: 0,
		dropped_total: 0,
		drops: {},
		events_per_s: eps,
		buffer_rows: 0,
		buffer_bytes: 0,
		lag_bytes: 0,
		lag_s: 1
	});
	const hourStart = Math.floor(Date.now() / 3600_000) * 3600_000;
	const minutesIntoHour = Math.floor((Date.now() - hourStart) / 60_000);
	// Three hours back, all inside that earlier hour whatever the current minute.
	const base = minutesIntoHour + 150;
	await db.warehouse.insert({
		table: 'ingest_metrics',
		format: 'JSONEachRow',
		values: [metric('a', base, 2), metric('a', base + 1, 4), metric('b', base + 2, 10)]
	});
}, 180_000);

afterAll(async () => {
	await db?.drop();
});

describe('/admin ingest health', () => {
	it('shows the newest refused lines of each reason, their heads cut, nothing older than a day', async () => {
		const heads = await deadLetterHeads({ warehouse: db.warehouse, scope: whole }, 160);
		const json = heads.filter((h) => h.reason === 'invalid_json');
		expect(HEADS_PER_REASON).toBe(3);
		expect(json.map((h) => h.head)).toEqual(['{"broken": 1', '{"broken": 2', '{"broken": 3']);
		const schema = heads.filter((h) => h.reason === 'schema_violation');
		expect(schema).toHaveLength(1);
		expect(schema[0]!.head).toBe('x'.repeat(160));
		expect(schema[0]!.raw_bytes).toBe(500);
		expect(heads.some((h) => h.head === 'older than a day')).toBe(false);
	});

	it('sums each worker’s mean rate per hour', async () => {
		const hours = await hourlyThroughput({ warehouse: db.warehouse, scope: whole });
		expect(hours.map((h) => h.events_per_s)).toEqual([13]);
	});

	it('refuses a caller who does not see the whole nation, before reading', async () => {
		await expect(deadLetterHeads({ warehouse: db.warehouse, scope: { adcodes: [440300] } }, 160)).rejects.toThrow('无权查看全部数据接入状态');
		await expect(hourlyThroughput({ warehouse: db.warehouse, scope: { adcodes: [440300] } })).rejects.toThrow('无权查看全部数据接入状态');
	});
});
