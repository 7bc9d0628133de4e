import { describe, expect, it } from 'vitest';
import { LineChunker, chunkStatement, contentTypeOf, outputFormatOf, parseClickHouseRequest, parseInsertStatement } from './http-request.ts';
import { WarehouseError } from './errors.ts';

const parse = (qs: string) => parseClickHouseRequest(new URL(`http://x/?${qs}`), () => 'generated-id');

describe('parseClickHouseRequest', () => {
	it('separates parameters, settings and transport options', () => {
		const r = parse(
			'query=SELECT%201&database=tianshu&query_id=q1&param_s=it%5C%27s&param_n=%5CN&max_threads=2&enable_http_compression=1&wait_end_of_query=1&user=u&password=p'
		);
		expect(r).toEqual({
			query: 'SELECT 1',
			database: 'tianshu',
			queryId: 'q1',
			defaultFormat: undefined,
			params: { s: "it\\'s", n: '\\N' },
			settings: { max_threads: '2' },
			compressResponse: true
		});
	});

	it('defaults the database and generates a query id', () => {
		const r = parse('');
		expect(r.database).toBe('default');
		expect(r.queryId).toBe('generated-id');
	});

	it('refuses sessions instead of ignoring them', () => {
		expect(() => parse('session_id=abc')).toThrow(WarehouseError);
	});
});

describe('parseInsertStatement', () => {
	it('recognises INSERT … FORMAT and whether rows can be split at newlines', () => {
		expect(parseInsertStatement('INSERT INTO t (a, b) FORMAT JSONEachRow')).toEqual({
			statement: 'INSERT INTO t (a, b) FORMAT JSONEachRow',
			format: 'JSONEachRow',
			lineDelimited: true
		});
		expect(parseInsertStatement('insert into db.t format CSV')!.lineDelimited).toBe(false);
		expect(parseInsertStatement('INSERT INTO t FORMAT TabSeparatedWithNames')!.lineDelimited).toBe(false);
		expect(parseInsertStatement('INSERT INTO t VALUES (1)')).toBeUndefined();
		expect(parseInsertStatement('SELECT 1 FORMAT JSON')).toBeUndefined();
	});

	it('suffixes the deduplication token with the chunk index, as ClickHouse does per block', () => {
		const insert = parseInsertStatement('INSERT INTO t FORMAT JSONEachRow')!;
		expect(chunkStatement(insert, "tok'1", 3)).toBe("INSERT INTO t SETTINGS insert_deduplication_token = 'tok\\'1_3' FORMAT JSONEachRow");
		expect(chunkStatement(insert, 'tok', undefined)).toBe('INSERT INTO t FORMAT JSONEachRow');
		expect(chunkStatement(insert, undefined, 2)).toBe('INSERT INTO t FORMAT JSONEachRow');
	});
});

describe('LineChunker', () => {
	const payload = Buffer.from(Array.from({ length: 200 }, (_, i) => `{"row":${i}}\n`).join(''));

	function chunks(pieces: Buffer[], size: number): string[] {
		const c = new LineChunker(size);
		const out = pieces.flatMap((p) => c.push(p));
		out.push(c.finish());
		return out.filter((b) => b.length).map((b) => b.toString());
	}

	it('cuts only after a newline, at or after every N bytes', () => {
		const out = chunks([payload], 100);
		expect(out.join('')).toBe(payload.toString());
		for (const c of out.slice(0, -1)) {
			expect(c.endsWith('\n')).toBe(true);
			expect(c.length).toBeGreaterThanOrEqual(100);
		}
	});

	it('cuts the same way however the network split the bytes', () => {
		const whole = chunks([payload], 100);
		const split = [3, 7, 150, 1, 999].reduce<Buffer[]>((acc, n, i, all) => {
			const start = all.slice(0, i).reduce((s, x) => s + x, 0);
			acc.push(payload.subarray(start, start + n));
			return acc;
		}, []);
		split.push(payload.subarray(3 + 7 + 150 + 1 + 999));
		expect(chunks(split, 100)).toEqual(whole);
		const bytewise = Array.from({ length: payload.length }, (_, i) => payload.subarray(i, i + 1));
		expect(chunks(bytewise, 100)).toEqual(whole);
	});

	it('keeps a row longer than the chunk size whole', () => {
		const long = Buffer.from(`{"s":"${'x'.repeat(500)}"}\n{"s":"y"}\n`);
		const out = chunks([long], 100);
		expect(out[0]).toBe(`{"s":"${'x'.repeat(500)}"}\n`);
		expect(out.join('')).toBe(long.toString());
	});
});

describe('response labelling', () => {
	it('finds the output format of a query', () => {
		expect(outputFormatOf('SELECT 1\nFORMAT JSONEachRow', undefined)).toBe('JSONEachRow');
		expect(outputFormatOf('SELECT 1 FORMAT CSV SETTINGS max_threads = 1', undefined)).toBe('CSV');
		expect(outputFormatOf('SELECT 1', 'JSON')).toBe('JSON');
		expect(outputFormatOf('SELECT 1', undefined)).toBe('TabSeparated');
		expect(contentTypeOf('JSON')).toMatch(/^application\/json/);
		expect(contentTypeOf('JSONEachRow')).toMatch(/^application\/x-ndjson/);
		expect(contentTypeOf('CSVWithNames')).toMatch(/^text\/csv/);
	});
});
