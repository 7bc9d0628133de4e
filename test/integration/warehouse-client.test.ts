/**
 * The official @clickhouse/client against the embedded warehouse: everything
 * Tianshu relies on, through the real HTTP interface and the real engine.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseError } from '@clickhouse/client';
import { createWarehouse, type Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { freshDatabase } from '../helpers/warehouse.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let wh: Warehouse;

beforeAll(async () => {
	db = await freshDatabase('client');
	wh = db.warehouse;
});
afterAll(async () => db.drop());

async function one<T>(query: string, query_params?: Record<string, unknown>): Promise<T> {
	const rs = await wh.query({ query, query_params, format: 'JSONEachRow' });
	const rows = await rs.json<T>();
	expect(rows).toHaveLength(1);
	return rows[0]!;
}

describe('connection', () => {
	it('answers ping', async () => {
		expect(await wh.ping()).toEqual({ success: true });
	});

	it('runs DDL and reports the database it was given', async () => {
		await wh.command({ query: 'CREATE TABLE IF NOT EXISTS ddl_probe (a UInt8) ENGINE = MergeTree ORDER BY a' });
		const row = await one<{ db: string; n: number }>(
			"SELECT currentDatabase() AS db, count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'ddl_probe'"
		);
		expect(row).toEqual({ db: db.database, n: 1 });
	});
});

describe('bound parameters reach the engine exactly as ClickHouse binds them', () => {
	const hostile = `it's a "quote" \\ back\\slash\ttab\nnew line\r 中文 😀 \\N '; DROP TABLE x; --`;

	it.each([
		['UInt32', 4294967295, 4294967295],
		['Int64 (negative)', -9007199254740991, -9007199254740991],
		['Float64', 3.14159, 3.14159],
		['String with quotes, backslashes, tabs, newlines, Chinese and emoji', hostile, hostile],
		['String that is empty', '', '']
	])('%s', async (_label, value, expected) => {
		const type = _label.split(' ')[0]!;
		const row = await one<{ v: unknown; t: string }>(`SELECT {v:${type}} AS v, toTypeName(v) AS t`, { v: value });
		expect(row.v).toEqual(expected);
		expect(row.t).toBe(type);
	});

	it('Int64 beyond 2^53 keeps every digit', async () => {
		const row = await one<{ s: string }>('SELECT toString({v:Int64}) AS s', { v: '9223372036854775807' });
		expect(row.s).toBe('9223372036854775807');
	});

	it('Nullable(String) NULL and a non-NULL value', async () => {
		const row = await one<{ a: string | null; b: string | null; an: number }>('SELECT {a:Nullable(String)} AS a, {b:Nullable(String)} AS b, isNull(a) AS an', {
			a: null,
			b: 'x'
		});
		expect(row).toEqual({ a: null, b: 'x', an: 1 });
	});

	it('Bool', async () => {
		const row = await one<{ t: boolean; f: boolean }>('SELECT {t:Bool} AS t, {f:Bool} AS f', { t: true, f: false });
		expect(row).toEqual({ t: true, f: false });
	});

	it('Date given as YYYY-MM-DD', async () => {
		const row = await one<{ d: string; dow: number }>('SELECT {d:Date} AS d, toDayOfWeek(d) AS dow', { d: '2026-11-22' });
		expect(row).toEqual({ d: '2026-11-22', dow: 7 });
	});

	it('DateTime64 in Beijing time', async () => {
		const row = await one<{ ms: number }>("SELECT toUnixTimestamp64Milli({t:DateTime64(3, 'Asia/Shanghai')}) AS ms", {
			t: '2026-11-22 14:32:05.123'
		});
		expect(row.ms).toBe(Date.UTC(2026, 10, 22, 6, 32, 5, 123));
	});

	it('Array(String) with quotes and backslashes', async () => {
		const value = ["a'b", 'c\\d', 'e"f', '中文', ''];
		const row = await one<{ v: string[]; n: number }>('SELECT {v:Array(String)} AS v, length(v) AS n', { v: value });
		expect(row).toEqual({ v: value, n: 5 });
	});

	it('Array(UInt32)', async () => {
		const row = await one<{ s: number }>('SELECT arraySum({v:Array(UInt32)}) AS s', { v: [1, 2, 4294967295] });
		expect(row.s).toBe(4294967298);
	});

	it('Map(String, UInt64)', async () => {
		const row = await one<{ m: Record<string, number> }>('SELECT {m:Map(String, UInt64)} AS m', { m: { 广东: 1, "o'k": 2 } });
		expect(row.m).toEqual({ 广东: 1, "o'k": 2 });
	});

	it('a hostile string is data, never SQL', async () => {
		await wh.command({ query: 'CREATE TABLE IF NOT EXISTS injection_probe (s String) ENGINE = MergeTree ORDER BY s' });
		const row = await one<{ n: number }>('SELECT count() AS n FROM injection_probe WHERE s = {s:String}', { s: "' OR 1=1 --" });
		expect(row.n).toBe(0);
		const tables = await one<{ n: number }>("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'injection_probe'");
		expect(tables.n).toBe(1);
	});
});

describe('output formats', () => {
	const sql = "SELECT number AS n, concat('行', toString(number)) AS s FROM numbers(3)";

	it('JSON', async () => {
		const r = await (await wh.query({ query: sql, format: 'JSON' })).json<{ n: number; s: string }>();
		expect(r.data).toEqual([
			{ n: 0, s: '行0' },
			{ n: 1, s: '行1' },
			{ n: 2, s: '行2' }
		]);
		expect(r.meta).toEqual([
			{ name: 'n', type: 'UInt64' },
			{ name: 's', type: 'String' }
		]);
		expect(r.rows).toBe(3);
	});

	it('JSONEachRow', async () => {
		expect(await (await wh.query({ query: sql, format: 'JSONEachRow' })).json()).toEqual([
			{ n: 0, s: '行0' },
			{ n: 1, s: '行1' },
			{ n: 2, s: '行2' }
		]);
	});

	it('JSONCompactEachRow', async () => {
		expect(await (await wh.query({ query: sql, format: 'JSONCompactEachRow' })).json()).toEqual([
			[0, '行0'],
			[1, '行1'],
			[2, '行2']
		]);
	});

	it('CSV', async () => {
		expect(await (await wh.query({ query: sql, format: 'CSV' })).text()).toBe('0,"行0"\n1,"行1"\n2,"行2"\n');
	});

	it('64-bit integers have one shape: JSON numbers, whatever the server default', async () => {
		const row = await one<{ n: unknown }>('SELECT toUInt64(42) AS n');
		expect(row.n).toBe(42);
	});
});

describe('settings sent with a query apply to that query only', () => {
	it('max_threads for one query, the default for the next', async () => {
		const set = await (
			await wh.query({ query: "SELECT getSetting('max_threads') AS m", format: 'JSONEachRow', clickhouse_settings: { max_threads: 1 } })
		).json<{ m: number }>();
		const after = await one<{ m: number }>("SELECT getSetting('max_threads') AS m");
		expect(set[0]!.m).toBe(1);
		expect(after.m).not.toBe(1);
	});

	it('an unknown setting is refused with UNKNOWN_SETTING', async () => {
		const err = await wh.query({ query: 'SELECT 1', clickhouse_settings: { no_such_setting: 1 } as never }).then(
			() => undefined,
			(e: unknown) => e
		);
		expect(err).toBeInstanceOf(ClickHouseError);
		expect((err as ClickHouseError).code).toBe('115');
		expect((err as ClickHouseError).type).toBe('UNKNOWN_SETTING');
	});

	it('max_execution_time stops a long query with TIMEOUT_EXCEEDED', async () => {
		const err = await wh.query({ query: 'SELECT count() FROM numbers(100000000000)', clickhouse_settings: { max_execution_time: 0.3 } }).then(
			() => undefined,
			(e: unknown) => e
		);
		expect((err as ClickHouseError).code).toBe('159');
		expect((await one<{ x: number }>('SELECT 1 AS x')).x).toBe(1);
	});
});

describe('errors come back as ClickHouseError with the right code, and the next query works', () => {
	it.each([
		['a syntax error', 'SELEC 1', '62', 'SYNTAX_ERROR'],
		['an unknown table', 'SELECT * FROM no_such_table', '60', 'UNKNOWN_TABLE'],
		['an unknown function', 'SELECT no_such_function(1)', '46', 'UNKNOWN_FUNCTION'],
		['a missing parameter', 'SELECT {p:String}', '456', 'UNKNOWN_QUERY_PARAMETER']
	])('%s', async (_label, query, code, type) => {
		const err = await wh.query({ query }).then(
			() => undefined,
			(e: unknown) => e
		);
		expect(err).toBeInstanceOf(ClickHouseError);
		expect((err as ClickHouseError).code).toBe(code);
		expect((err as ClickHouseError).type).toBe(type);
		expect((await one<{ ok: number }>('SELECT 1 AS ok')).ok).toBe(1);
	});

	it('an unknown database is refused with UNKNOWN_DATABASE', async () => {
		const other = createWarehouse({ ...db.config, database: 'no_such_database' });
		const err = await other.query({ query: 'SELECT 1' }).then(
			() => undefined,
			(e: unknown) => e
		);
		await other.close();
		expect((err as ClickHouseError).code).toBe('81');
	});
});

describe('volume', () => {
	it('streams a SELECT of 1 M rows', async () => {
		const rs = await wh.query({ query: 'SELECT number AS n FROM numbers(1000000)', format: 'JSONEachRow' });
		let rows = 0;
		let sum = 0;
		for await (const batch of rs.stream<{ n: number }>()) {
			for (const row of batch) {
				rows++;
				sum += row.json().n;
			}
		}
		expect(rows).toBe(1_000_000);
		expect(sum).toBe((999_999 * 1_000_000) / 2);
	});

	// 100 000 rows (about 6 MiB: several of the suite's 1 MiB chunks); the 1 M-row run is `npm run bench warehouse`.
	it('inserts 100 000 rows streamed as gzip-compressed JSONEachRow, and a replay with the same token adds nothing', async () => {
		await wh.command({
			query: `CREATE TABLE IF NOT EXISTS bulk (id UInt32, region UInt32, name String, value Float64)
			        ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100`
		});
		const ROWS = 100_000;
		const gzipClient = createWarehouse(db.config, { compressRequest: true });
		const rows = () =>
			Readable.from(
				(function* () {
					for (let i = 0; i < ROWS; i++) yield { id: i, region: 440000 + (i % 100), name: `办件${i}`, value: i / 10 };
				})()
			);
		const first = await gzipClient.insert({
			table: 'bulk',
			values: rows(),
			format: 'JSONEachRow',
			clickhouse_settings: { insert_deduplication_token: 'bulk-1' }
		});
		expect(Number(first.summary?.written_rows)).toBe(ROWS);
		await gzipClient.insert({ table: 'bulk', values: rows(), format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: 'bulk-1' } });
		await gzipClient.close();
		const row = await one<{ n: number; ids: number; s: number }>('SELECT count() AS n, uniqExact(id) AS ids, sum(value) AS s FROM bulk');
		expect(row.n).toBe(ROWS);
		expect(row.ids).toBe(ROWS);
		expect(row.s).toBeCloseTo(((ROWS - 1) * ROWS) / 2 / 10, 0);
	});

	it('inserts CSV and TabSeparated bodies', async () => {
		await wh.command({ query: 'CREATE TABLE IF NOT EXISTS text_in (a UInt32, s String) ENGINE = MergeTree ORDER BY a' });
		await wh.insert({ table: 'text_in', values: Readable.from(['1,"逗号, 和 ""引号"""\n2,"多\n行"\n'], { objectMode: false }), format: 'CSV' });
		await wh.insert({ table: 'text_in', values: Readable.from(['3\t制表\\t符\n'], { objectMode: false }), format: 'TabSeparated' });
		const rows = await (await wh.query({ query: 'SELECT a, s FROM text_in ORDER BY a', format: 'JSONEachRow' })).json();
		expect(rows).toEqual([
			{ a: 1, s: '逗号, 和 "引号"' },
			{ a: 2, s: '多\n行' },
			{ a: 3, s: '制表\t符' }
		]);
	});

	it('reports written rows in X-ClickHouse-Summary', async () => {
		await wh.command({ query: 'CREATE TABLE IF NOT EXISTS summary_probe (a UInt32) ENGINE = MergeTree ORDER BY a' });
		const r = await wh.insert({ table: 'summary_probe', values: [{ a: 1 }, { a: 2 }, { a: 3 }], format: 'JSONEachRow' });
		expect(r.summary?.written_rows).toBe('3');
		expect(r.executed).toBe(true);
	});

	it('answers 20 concurrent queries, each correctly', async () => {
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				wh
					.query({ query: 'SELECT {i:UInt32} AS i, sum(number) AS s FROM numbers({n:UInt64})', query_params: { i, n: 100_000 + i }, format: 'JSONEachRow' })
					.then((rs) => rs.json<{ i: number; s: number }>())
			)
		);
		results.forEach((rows, i) => {
			const n = 100_000 + i;
			expect(rows).toEqual([{ i, s: (n * (n - 1)) / 2 }]);
		});
	});
});
