import { describe, expect, it } from 'vitest';
import { DEFAULT_READER_LIMITS, readOnlyViolation, readerLimitsFromEnv, sessionSettings } from './read-only.ts';
import { WarehouseError } from './errors.ts';

describe('the read-only statement check', () => {
	it.each([
		'SELECT 1',
		'  select count() FROM cases WHERE region = {r:UInt32} FORMAT JSONEachRow',
		'WITH x AS (SELECT 1) SELECT * FROM x',
		'(SELECT 1) UNION ALL (SELECT 2)',
		'SELECT 1;',
		'SELECT 1 ;  ;\n',
		"SELECT 'file(' AS s, 'a; DROP TABLE t' AS t -- file('/etc/passwd') ; KILL",
		'SELECT number FROM numbers(10)',
		"SELECT * FROM merge(currentDatabase(), '^a')",
		'SHOW TABLES',
		'DESCRIBE TABLE cases',
		'EXISTS TABLE cases',
		'SELECT 1 SETTINGS max_threads = 1', // the engine, in readonly mode, refuses this one
		'SELECT "file" FROM t', // a column named file, not a call
		'SELECT profile_url FROM t'
	])('lets a plain read through: %s', (sql) => {
		expect(readOnlyViolation(sql)).toBeUndefined();
	});

	it.each([
		['INSERT INTO t VALUES (1)', 164],
		['DROP TABLE t', 164],
		['KILL QUERY WHERE 1', 164],
		['SET readonly = 0', 164],
		['SYSTEM SHUTDOWN', 164],
		['/* SELECT */ DROP TABLE t', 164],
		['-- SELECT\nDROP TABLE t', 164],
		['SELECT 1; DROP TABLE t', 62],
		['SELECT 1; SELECT 2', 62],
		["SELECT 1 INTO OUTFILE '/tmp/x'", 164],
		["SELECT * FROM file('/etc/passwd')", 164],
		["SELECT * FROM FILE ('/etc/passwd')", 164],
		["SELECT * FROM `file`('/etc/passwd')", 164],
		['SELECT * FROM "url"(\'http://x\')', 164],
		["SELECT * FROM file/* c */('/etc/passwd')", 164],
		["SELECT * FROM s3Cluster('c', 'http://x')", 164],
		["SELECT * FROM remoteSecure('h', system.one)", 164],
		["SELECT * FROM postgresql('h', 'd', 't', 'u', 'p')", 164],
		["SELECT * FROM icebergS3('http://x')", 164],
		["DESCRIBE file('/etc/passwd', 'CSV')", 164],
		["SELECT 2file('/etc/passwd')", 164],
		["DESCRIBE file\u00a0('/etc/passwd', 'CSV')", 164],
		["SELECT * FROM file\u3000('/etc/passwd')", 164],
		// An escaped quote does not end the string: the call after the string is seen.
		["SELECT 'it\\'s', file('/etc/passwd')", 164],
		["SELECT 'it''s', file('/etc/passwd')", 164],
		// Nested comments are not understood, so what follows the first */ is checked.
		["SELECT 1 /* /* */ , file('/etc/passwd') */", 164],
		// A # line is not taken for a comment.
		["SELECT 1 # \n, file('/etc/passwd')", 164],
		["SELECT 'open", 62],
		['SELECT 1 /* open', 62],
		['', 62],
		[' ; ', 62]
	])('refuses %s', (sql, code) => {
		const v = readOnlyViolation(sql);
		expect(v).toBeInstanceOf(WarehouseError);
		expect(v!.code).toBe(code);
	});
});

describe('session settings', () => {
	const limits = DEFAULT_READER_LIMITS;

	it('give the reader its limits and readonly = 1, last', () => {
		const s = sessionSettings('reader', 'POST', { output_format_json_quote_64bit_integers: '0', date_time_output_format: 'iso' }, limits);
		expect(s).toEqual({
			output_format_json_quote_64bit_integers: '0',
			date_time_output_format: 'iso',
			max_execution_time: '30',
			max_memory_usage: String(4 * 1024 ** 3),
			max_result_rows: '1000000',
			result_overflow_mode: 'throw',
			allow_ddl: '0',
			allow_introspection_functions: '0',
			readonly: '1'
		});
		expect(Object.keys(s).at(-1)).toBe('readonly');
	});

	it.each(['max_execution_time', 'max_memory_usage', 'max_result_rows', 'readonly', 'result_overflow_mode', 'output_format_schema', 'max_threads'])(
		'refuse the reader a URL setting %s',
		(name) => {
			const s = sessionSettings('reader', 'POST', { [name]: '0' }, limits);
			expect(s).toBeInstanceOf(WarehouseError);
			expect((s as WarehouseError).code).toBe(164);
		}
	);

	it('leave the writer’s POST alone and make its GET read-only, readonly last', () => {
		expect(sessionSettings('writer', 'POST', { max_threads: '2' }, limits)).toEqual({ max_threads: '2' });
		const get = sessionSettings('writer', 'GET', { readonly: '0', max_threads: '2' }, limits);
		expect(get).toEqual({ max_threads: '2', readonly: '2' });
		expect(Object.keys(get).at(-1)).toBe('readonly');
		expect(sessionSettings('writer', 'GET', { readonly: '1' }, limits)).toEqual({ readonly: '1' });
	});
});

describe('reader limits from the environment', () => {
	it('default to 30 s, 4 GiB and 1 000 000 rows', () => {
		expect(readerLimitsFromEnv({})).toEqual({ maxExecutionTime: 30, maxMemoryUsage: 4294967296, maxResultRows: 1000000 });
	});

	it('are read and checked', () => {
		expect(readerLimitsFromEnv({ TIANSHU_WAREHOUSE_READER_MAX_EXECUTION_TIME: '5', TIANSHU_WAREHOUSE_READER_MAX_RESULT_ROWS: '10' })).toMatchObject({
			maxExecutionTime: 5,
			maxResultRows: 10
		});
		expect(() => readerLimitsFromEnv({ TIANSHU_WAREHOUSE_READER_MAX_EXECUTION_TIME: '0' })).toThrow(
			/TIANSHU_WAREHOUSE_READER_MAX_EXECUTION_TIME: must be above 0/
		);
		expect(() => readerLimitsFromEnv({ TIANSHU_WAREHOUSE_READER_MAX_MEMORY_USAGE: 'lots' })).toThrow(/TIANSHU_WAREHOUSE_READER_MAX_MEMORY_USAGE/);
	});
});
