/**
 * The embedded warehouse's door, against the real warehouse: who may come in
 * (accounts, no browsers, no foreign Host), what the reader and GET may do
 * (read, within limits), and the credentials file. Through @clickhouse/client
 * as the parts use it, and through raw HTTP as an attacker on the host would.
 */
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClickHouseError } from '@clickhouse/client';
import { createWarehouse, type Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { readCredentials, type Credentials } from '../../src/lib/server/warehouse/credentials.ts';
import { projectRoot, spawnWarehouse, tianshuBin } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { checkHealth } from '../../src/lib/server/health.ts';
import { freshDatabase, testConfig } from '../helpers/warehouse.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let reader: Warehouse;
let credentials: Credentials;
const scratch = mkdtempSync(path.join(tmpdir(), 'tianshu-door-'));

beforeAll(async () => {
	db = await freshDatabase('door');
	credentials = readCredentials(inject('warehouseDir'))!;
	await db.warehouse.command({ query: 'CREATE TABLE facts (n UInt32) ENGINE = MergeTree ORDER BY n' });
	await db.warehouse.insert({ table: 'facts', values: [{ n: 1 }, { n: 2 }, { n: 3 }], format: 'JSONEachRow' });
	reader = createWarehouse(testConfig(db.database, 'reader'));
});
afterAll(async () => {
	await reader.close();
	await db.drop();
	rmSync(scratch, { recursive: true, force: true });
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Answer {
	status: number;
	code: string | undefined;
	text: string;
}

/** One HTTP request with exactly the headers given (fetch cannot set Host). */
function raw(
	method: string,
	params: Record<string, string>,
	options: { body?: string; headers?: Record<string, string>; base?: string } = {}
): Promise<Answer> {
	const u = new URL(options.base ?? inject('warehouseUrl'));
	for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
	return new Promise((resolve, reject) => {
		const req = http.request(u, { method, headers: options.headers }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d) => (text += d));
			res.on('end', () => resolve({ status: res.statusCode!, code: res.headers['x-clickhouse-exception-code'] as string | undefined, text }));
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

const asWriter = () => ({ Authorization: basic(credentials.writer.user, credentials.writer.password) });
const asReader = () => ({ Authorization: basic(credentials.reader.user, credentials.reader.password) });

async function count(): Promise<number> {
	const rs = await db.warehouse.query({ query: 'SELECT count() AS n FROM facts', format: 'JSONEachRow' });
	return (await rs.json<{ n: number }>())[0]!.n;
}

/** Runs `query` as the reader and returns the ClickHouse error it raised (failing the test if it did not). */
async function readerError(query: string, settings?: Record<string, string | number>): Promise<ClickHouseError> {
	try {
		const rs = await reader.query({ query, format: 'JSONEachRow', clickhouse_settings: settings as never });
		await rs.json();
	} catch (e) {
		expect(e).toBeInstanceOf(ClickHouseError);
		return e as ClickHouseError;
	}
	throw new Error(`the reader ran: ${query}`);
}

describe('only holders of an account come in', () => {
	it('no password: refused with AUTHENTICATION_FAILED, by the client and over raw HTTP', async () => {
		const anonymous = createWarehouse({ ...testConfig(db.database), username: 'default', password: '' });
		await expect(anonymous.query({ query: 'SELECT 1' })).rejects.toMatchObject({ code: '516', type: 'AUTHENTICATION_FAILED' });
		await anonymous.close();
		const r = await raw('POST', {}, { body: 'SELECT 1' });
		expect(r.status).toBe(401);
		expect(r.code).toBe('516');
		expect(r.text).toMatch(/^Code: 516\. DB::Exception: default: Authentication failed/);
	});

	it('a wrong password, or one account’s password for the other, is refused', async () => {
		for (const [user, password] of [
			[credentials.writer.user, 'wrong'],
			[credentials.writer.user, credentials.reader.password],
			[credentials.reader.user, credentials.writer.password],
			['default', credentials.writer.password],
			[credentials.writer.user, `${credentials.writer.password}x`]
		] as const) {
			const client = createWarehouse({ ...testConfig(db.database), username: user, password });
			await expect(client.query({ query: 'SELECT 1' })).rejects.toMatchObject({ code: '516' });
			await client.close();
		}
	});

	it('accepts HTTP Basic, X-ClickHouse-User/Key and user/password URL parameters, one at a time', async () => {
		const { user, password } = credentials.writer;
		expect((await raw('POST', {}, { body: 'SELECT 41 + 1', headers: { Authorization: basic(user, password) } })).text).toBe('42\n');
		expect((await raw('POST', {}, { body: 'SELECT 41 + 1', headers: { 'X-ClickHouse-User': user, 'X-ClickHouse-Key': password } })).text).toBe('42\n');
		expect((await raw('POST', { user, password }, { body: 'SELECT 41 + 1' })).text).toBe('42\n');
		const both = await raw('POST', { user, password }, { body: 'SELECT 1', headers: { Authorization: basic(user, password) } });
		expect([both.status, both.code]).toEqual([401, '516']);
		expect((await raw('POST', {}, { body: 'SELECT 1', headers: { 'X-ClickHouse-User': user, 'X-ClickHouse-Key': 'nope' } })).status).toBe(401);
		expect((await raw('POST', { user, password: 'nope' }, { body: 'SELECT 1' })).status).toBe(401);
	});

	it('GET /ping needs no account; everything else does', async () => {
		expect(await raw('GET', {}, { base: new URL('/ping', inject('warehouseUrl')).href })).toMatchObject({ status: 200, text: 'Ok.\n' });
		expect((await raw('GET', {}, {})).status).toBe(401);
		expect((await raw('GET', {}, { base: new URL('/nope', inject('warehouseUrl')).href })).status).toBe(401);
		expect((await raw('GET', { query: 'SELECT 1' }, {})).status).toBe(401);
	});
});

describe('browsers and foreign names are turned away', () => {
	it('a request with Origin: http://evil.example is refused, even with the writer’s password', async () => {
		const r = await raw('POST', {}, { body: 'SELECT 1', headers: { ...asWriter(), Origin: 'http://evil.example' } });
		expect(r.status).toBe(403);
		expect(r.code).toBe('497');
		expect(r.text).toContain('Requests from a browser (Origin: "http://evil.example") are not served');
		// Any Origin at all, even the warehouse's own, and a browser's Sec-Fetch-Site.
		expect((await raw('POST', {}, { body: 'SELECT 1', headers: { ...asWriter(), Origin: inject('warehouseUrl') } })).status).toBe(403);
		expect((await raw('POST', {}, { body: 'SELECT 1', headers: { ...asWriter(), 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
		expect((await raw('GET', {}, { base: new URL('/ping', inject('warehouseUrl')).href, headers: { Origin: 'http://evil.example' } })).status).toBe(403);
	});

	it('a request with Host: evil.example (DNS rebinding) is refused', async () => {
		const port = new URL(inject('warehouseUrl')).port;
		const r = await raw('POST', {}, { body: 'SELECT 1', headers: { ...asWriter(), Host: 'evil.example' } });
		expect(r.status).toBe(403);
		expect(r.code).toBe('497');
		expect(r.text).toContain('Host "evil.example" is not served');
		expect((await raw('POST', {}, { body: 'SELECT 1', headers: { ...asWriter(), Host: `evil.example:${port}` } })).status).toBe(403);
		expect((await raw('POST', {}, { body: 'SELECT 1', headers: { ...asWriter(), Host: `127.0.0.1:${Number(port) + 1}` } })).status).toBe(403);
		// The loopback names on our port are served.
		for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`]) {
			expect(await raw('POST', {}, { body: 'SELECT 1', headers: { ...asWriter(), Host: host } })).toMatchObject({ status: 200, text: '1\n' });
		}
	});
});

describe('the reader reads, and only reads', () => {
	it('can SELECT', async () => {
		const rs = await reader.query({ query: 'SELECT sum(n) AS s, currentDatabase() AS d FROM facts', format: 'JSONEachRow' });
		expect(await rs.json()).toEqual([{ s: 6, d: db.database }]);
	});

	it.each([
		['DROP', 'DROP TABLE facts'],
		['TRUNCATE', 'TRUNCATE TABLE facts'],
		['ALTER', 'ALTER TABLE facts ADD COLUMN m UInt8'],
		['ALTER … DELETE', 'ALTER TABLE facts DELETE WHERE 1'],
		['CREATE', 'CREATE TABLE other (n UInt8) ENGINE = Memory'],
		['RENAME', 'RENAME TABLE facts TO gone'],
		['INSERT … SELECT', 'INSERT INTO facts SELECT 9'],
		['SYSTEM', 'SYSTEM FLUSH LOGS'],
		['SET', 'SET max_execution_time = 3600'],
		['KILL QUERY', 'KILL QUERY WHERE 1'],
		['OPTIMIZE', 'OPTIMIZE TABLE facts FINAL'],
		['two statements', 'SELECT 1; DROP TABLE facts']
	])('cannot %s', async (_label, query) => {
		const e = await readerError(query);
		expect(['164', '62']).toContain(e.code);
		expect(await count()).toBe(3);
	});

	it('cannot INSERT rows (the client’s insert)', async () => {
		await expect(reader.insert({ table: 'facts', values: [{ n: 7 }], format: 'JSONEachRow' })).rejects.toMatchObject({ code: '164', type: 'READONLY' });
		expect(await count()).toBe(3);
	});

	it('cannot lift its limits or leave read-only mode, in the query or as URL settings', async () => {
		// The engine refuses these (the statement check lets SELECT … SETTINGS through): readonly = 1 is on the connection.
		for (const q of ['SELECT 1 SETTINGS max_execution_time = 3600', 'SELECT 1 SETTINGS readonly = 0', 'SELECT 1 SETTINGS max_result_rows = 0']) {
			const e = await readerError(q);
			expect([e.code, e.message]).toEqual(['164', expect.stringMatching(/Cannot modify '\w+' setting in readonly mode/)]);
		}
		const attempts: Array<Record<string, string | number>> = [
			{ max_execution_time: 3600 },
			{ readonly: 0 },
			{ max_memory_usage: 0 },
			{ max_result_rows: 0 },
			{ result_overflow_mode: 'break' },
			{ output_format_schema: '/tmp/x' }
		];
		for (const settings of attempts) {
			const e = await readerError('SELECT 1', settings);
			expect([e.code, e.message]).toEqual(['164', expect.stringContaining(`Cannot modify '${Object.keys(settings)[0]}' setting in readonly mode`)]);
		}
	});

	it('runs under the configured limits', async () => {
		const rs = await reader.query({
			query:
				"SELECT getSetting('readonly') AS ro, getSetting('max_execution_time') AS t, getSetting('max_memory_usage') AS m, getSetting('max_result_rows') AS r",
			format: 'JSONEachRow'
		});
		// The defaults of the warehouse's configuration: 30 s, 4 GiB, 1 000 000 rows.
		expect(await rs.json()).toEqual([{ ro: 1, t: 30, m: 4294967296, r: 1000000 }]);
		// Checked on blocks, as in ClickHouse: the rows already sent are followed by the exception, and the stream ends.
		const r = await raw('POST', {}, { body: 'SELECT number FROM numbers(3000000) FORMAT TSV', headers: asReader() });
		expect(r.text).toMatch(/Code: 396\. DB::Exception: Limit for result exceeded, max rows: 1\.00 million.*\(TOO_MANY_ROWS_OR_BYTES\)/);
		expect(r.text.split('\n').length).toBeLessThan(1_000_000);
		expect(await (await reader.query({ query: 'SELECT count() AS c FROM (SELECT arrayJoin(range(1000000)))', format: 'JSONEachRow' })).json()).toEqual([
			{ c: 1000000 }
		]);
	});

	it('may still choose how results are written', async () => {
		const rs = await reader.query({
			query: 'SELECT toUInt64(1) AS v',
			format: 'JSONEachRow',
			clickhouse_settings: { output_format_json_quote_64bit_integers: 1 }
		});
		expect(await rs.json()).toEqual([{ v: '1' }]);
	});

	it.each([
		['file()', "SELECT * FROM file('/etc/hostname', 'LineAsString')"],
		['url()', "SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')"],
		['s3()', "SELECT * FROM s3('http://127.0.0.1:1/b/x.csv', 'CSV')"],
		['hdfs()', "SELECT * FROM hdfs('hdfs://127.0.0.1:1/x', 'CSV', 'x String')"],
		['remote()', "SELECT * FROM remote('127.0.0.1:9000', system.one)"],
		['executable()', "SELECT * FROM executable('true', 'LineAsString', 'x String')"],
		['mysql()', "SELECT * FROM mysql('127.0.0.1:1', 'd', 't', 'u', 'p')"],
		['postgresql()', "SELECT * FROM postgresql('127.0.0.1:1', 'd', 't', 'u', 'p')"],
		['sqlite()', "SELECT * FROM sqlite('/tmp/x.db', 't')"],
		['input()', "SELECT * FROM input('x String')"],
		['file() in a quoted name, behind a comment', "SELECT * FROM `file` /* ( */ ('/etc/hostname', 'LineAsString')"],
		['DESCRIBE over file()', "DESCRIBE TABLE file('/etc/passwd', 'CSV')"],
		['INSERT INTO FUNCTION file()', `INSERT INTO FUNCTION file('${scratch}/written.txt', 'LineAsString') SELECT 'x'`],
		['INTO OUTFILE', `SELECT 1 INTO OUTFILE '${scratch}/outfile.txt'`]
	])('cannot reach outside the warehouse: %s', async (_label, query) => {
		const e = await readerError(query);
		expect(e.code).toBe('164');
		expect(existsSync(path.join(scratch, 'written.txt')) || existsSync(path.join(scratch, 'outfile.txt'))).toBe(false);
	});

	it('is refused over raw HTTP with 403 READONLY', async () => {
		const r = await raw('POST', { database: db.database }, { body: 'DROP TABLE facts', headers: asReader() });
		expect([r.status, r.code]).toEqual([403, '164']);
		const i = await raw('POST', { query: `INSERT INTO ${db.database}.facts FORMAT JSONEachRow` }, { body: '{"n":8}\n', headers: asReader() });
		expect([i.status, i.code]).toEqual([403, '164']);
		expect(await count()).toBe(3);
	});
});

describe('GET only reads, for anyone', () => {
	it('the writer’s DDL and INSERT over GET are refused; its SELECT over GET works', async () => {
		for (const query of [
			`DROP TABLE ${db.database}.facts`,
			`CREATE TABLE ${db.database}.by_get (n UInt8) ENGINE = Memory`,
			`INSERT INTO ${db.database}.facts VALUES (5)`
		]) {
			const r = await raw('GET', { query }, { headers: asWriter() });
			expect([r.status, r.code]).toEqual([403, '164']);
		}
		expect(await count()).toBe(3);
		expect((await raw('GET', { query: `SELECT count() FROM ${db.database}.facts` }, { headers: asWriter() })).text).toBe('3\n');
		// ClickHouse's rule for GET, on the engine's side too (not only the statement check).
		expect((await raw('GET', { query: "SELECT getSetting('readonly')" }, { headers: asWriter() })).text).toBe('2\n');
		expect((await raw('POST', {}, { body: "SELECT getSetting('readonly')", headers: asWriter() })).text).toBe('0\n');
		// The writer's POST still writes.
		await db.warehouse.insert({ table: 'facts', values: [{ n: 4 }], format: 'JSONEachRow' });
		expect(await count()).toBe(4);
		await db.warehouse.command({ query: 'ALTER TABLE facts DELETE WHERE n = 4 SETTINGS mutations_sync = 1' });
		expect(await count()).toBe(3);
	});
});

describe('/healthz', () => {
	it('never shows the password, whether the warehouse answers or not', async () => {
		const { user, password } = credentials.reader;
		const port = new URL(inject('warehouseUrl')).port;
		const withPassword = `http://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/?password=${encodeURIComponent(password)}`;
		const up = createWarehouse({ ...testConfig(db.database, 'reader'), url: `http://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}` });
		const healthy = await checkHealth(up, withPassword);
		await up.close();
		expect(healthy.warehouse).toMatchObject({ reachable: true, url: `http://127.0.0.1:${port}` });
		expect(JSON.stringify(healthy)).not.toContain(password);
		expect(JSON.stringify(healthy)).not.toContain(user);

		const badUrl = `http://${user}:${encodeURIComponent(password)}@127.0.0.1:1`;
		const gone = createWarehouse({ ...testConfig(db.database, 'reader'), url: badUrl, password });
		const down = await checkHealth(gone, badUrl);
		await gone.close();
		expect(down.warehouse).toMatchObject({ reachable: false, url: 'http://127.0.0.1:1' });
		expect(JSON.stringify(down)).not.toContain(password);
	});
});

describe('the CLI says what is wrong with its account', () => {
	const tianshu = (env: Record<string, string>) => {
		const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CLICKHOUSE_') && k !== 'TIANSHU_WAREHOUSE_DATA'));
		return spawnSync(process.execPath, [tianshuBin, 'seed'], { cwd: projectRoot, encoding: 'utf8', env: { ...clean, ...env } });
	};

	it('a wrong password: exit 1 naming the account, not the password', () => {
		const r = tianshu({ CLICKHOUSE_URL: inject('warehouseUrl'), CLICKHOUSE_USER: 'tianshu_writer', CLICKHOUSE_PASSWORD: 'not-the-password' });
		expect(r.status).toBe(1);
		expect(r.stderr).toContain('refused the account tianshu_writer (CLICKHOUSE_USER / CLICKHOUSE_PASSWORD)');
		expect(r.stderr).toContain('Authentication failed');
		expect(r.stderr).not.toContain('not-the-password');
	});

	it('an embedded warehouse that never started: exit 2 saying where the credentials will be', () => {
		const empty = path.join(scratch, 'never-started');
		const r = tianshu({ TIANSHU_WAREHOUSE_DATA: empty, TIANSHU_WAREHOUSE_PORT: '1' });
		expect(r.status).toBe(2);
		expect(r.stderr).toContain(`no warehouse credentials at ${path.join(empty, 'credentials.json')}`);
	});
});

describe('the credentials file', () => {
	it('is owner-only, made once and reused on restart; refusals are logged', async () => {
		const dir = path.join(scratch, 'own');
		const first = await spawnWarehouse(dir, { env: { TIANSHU_WAREHOUSE_READER_MAX_RESULT_ROWS: '5', TIANSHU_WAREHOUSE_READER_MAX_EXECUTION_TIME: '1' } });
		let logs = '';
		first.child.stdout!.on('data', (d) => (logs += d));
		const file = path.join(dir, 'credentials.json');
		const made = readFileSync(file, 'utf8');
		const creds = readCredentials(dir)!;
		let stopped = false;
		try {
			expect(statSync(file).mode & 0o777).toBe(0o600);
			expect(creds.reader.password).not.toBe(credentials.reader.password);
			// This warehouse's limits are its own configuration.
			const small = createWarehouse({
				url: first.url,
				username: creds.reader.user,
				password: creds.reader.password,
				database: 'default',
				embedded: false,
				role: 'reader'
			});
			await expect(small.query({ query: 'SELECT number FROM numbers(6)', format: 'JSONEachRow' }).then((rs) => rs.json())).rejects.toMatchObject({
				code: '396'
			});
			await expect(
				small.query({ query: 'SELECT count() FROM numbers(10000000000) WHERE sleepEachRow(0) = 0', format: 'JSONEachRow' }).then((rs) => rs.json())
			).rejects.toMatchObject({ code: '159' });
			await small.close();
			const refused = await raw('POST', {}, { base: first.url, body: 'SELECT 1', headers: { Origin: 'http://evil.example' } });
			expect(refused.status).toBe(403);
			expect(await first.stop()).toBe(0);
			stopped = true;
		} finally {
			// A failed assertion must not leave the warehouse running.
			if (!stopped) await first.stop();
		}
		expect(logs).toContain('"msg":"request refused"');
		expect(logs).toContain('evil.example');

		const second = await spawnWarehouse(dir);
		try {
			expect(readFileSync(file, 'utf8')).toBe(made);
			expect(statSync(file).mode & 0o777).toBe(0o600);
			const again = createWarehouse({
				url: second.url,
				username: creds.writer.user,
				password: creds.writer.password,
				database: 'default',
				embedded: false,
				role: 'writer'
			});
			expect(await (await again.query({ query: 'SELECT 1 AS one', format: 'JSONEachRow' })).json()).toEqual([{ one: 1 }]);
			await again.close();
		} finally {
			expect(await second.stop()).toBe(0);
		}
	});
});
