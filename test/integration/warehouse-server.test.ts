/**
 * The embedded warehouse as a server: bad requests get clear 4xx answers in
 * ClickHouse's shape and never take it down; the data directory has one owner.
 */
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot, tianshuBin } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { readCredentials } from '../../src/lib/server/warehouse/credentials.ts';

const url = () => inject('warehouseUrl');
/** The writer's HTTP Basic header: these tests are about the HTTP interface, not the door (warehouse-door.test.ts). */
const auth = () => {
	const { user, password } = readCredentials(inject('warehouseDir'))!.writer;
	return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
};

async function post(query: string, body: BodyInit | undefined, init: { params?: Record<string, string>; headers?: Record<string, string> } = {}) {
	const u = new URL(url());
	if (query) u.searchParams.set('query', query);
	for (const [k, v] of Object.entries(init.params ?? {})) u.searchParams.set(k, v);
	const res = await fetch(u, { method: 'POST', body, headers: { ...auth(), ...init.headers } });
	return { status: res.status, code: res.headers.get('x-clickhouse-exception-code'), text: await res.text(), headers: res.headers };
}

async function stillAnswers() {
	const r = await post('', 'SELECT 40 + 2');
	expect(r.status).toBe(200);
	expect(r.text).toBe('42\n');
}

describe('bad requests get a clear error and the next request works', () => {
	it('an empty query is a SYNTAX_ERROR', async () => {
		const r = await post('', '');
		expect(r.status).toBe(400);
		expect(r.code).toBe('62');
		expect(r.text).toMatch(/^Code: 62\. DB::Exception: Empty query\. \(SYNTAX_ERROR\) \(version [\d.]+\)/);
		await stillAnswers();
	});

	it('a body that claims gzip but is not is refused with ZLIB_INFLATE_FAILED', async () => {
		const r = await post('', 'SELECT 1 not gzip', { headers: { 'Content-Encoding': 'gzip' } });
		expect(r.status).toBe(400);
		expect(r.code).toBe('354');
		expect(r.text).toContain('Cannot decompress the request body');
		await stillAnswers();
	});

	it('a gzip body is read', async () => {
		const r = await post('', gzipSync('SELECT 7'), { headers: { 'Content-Encoding': 'gzip' } });
		expect(r.text).toBe('7\n');
	});

	it('an unknown Content-Encoding is refused', async () => {
		const r = await post('', 'SELECT 1', { headers: { 'Content-Encoding': 'zstd-wat' } });
		expect(r.status).toBe(400);
		expect(r.text).toContain("Unknown Content-Encoding 'zstd-wat'");
		await stillAnswers();
	});

	it('rows that do not parse fail the INSERT and store nothing of that batch', async () => {
		await post('', 'CREATE TABLE IF NOT EXISTS default.bad_rows (a UInt32) ENGINE = MergeTree ORDER BY a');
		const r = await post('INSERT INTO default.bad_rows FORMAT JSONEachRow', '{"a":1}\n{"a":"not a number"}\n');
		expect(r.status).toBeGreaterThanOrEqual(400);
		expect(r.text).toMatch(/^Code: \d+\. DB::Exception: /);
		const n = await post('', 'SELECT count() FROM default.bad_rows');
		expect(n.text).toBe('0\n');
		await stillAnswers();
	});

	it('an INSERT with no rows writes nothing and answers at once', async () => {
		await post('', 'CREATE TABLE IF NOT EXISTS default.no_rows (a UInt32) ENGINE = MergeTree ORDER BY a');
		const r = await post('INSERT INTO default.no_rows FORMAT JSONEachRow', '');
		expect(r.status).toBe(200);
		expect(JSON.parse(r.headers.get('x-clickhouse-summary')!).written_rows).toBe('0');
	});

	it('sessions are refused with NOT_IMPLEMENTED rather than silently ignored', async () => {
		const r = await post('', 'SELECT 1', { params: { session_id: 'abc' } });
		expect(r.status).toBe(501);
		expect(r.code).toBe('48');
		await stillAnswers();
	});

	it('a setting with an invalid value is refused by the engine', async () => {
		const r = await post('', 'SELECT 1', { params: { max_threads: 'many' } });
		expect(r.status).toBeGreaterThanOrEqual(400);
		expect(r.text).toMatch(/^Code: \d+\. DB::Exception: /);
		await stillAnswers();
	});

	it('unknown paths and methods get 404 and 405', async () => {
		expect((await fetch(new URL('/nope', url()), { headers: auth() })).status).toBe(404);
		expect((await fetch(url(), { method: 'PUT', body: 'x', headers: auth() })).status).toBe(405);
		const ping = await fetch(new URL('/ping', url()));
		expect(ping.status).toBe(200);
		expect(await ping.text()).toBe('Ok.\n');
	});

	it('a client that disconnects mid-stream releases its connection', async () => {
		// More abandoned streams than the pool has connections (4): a leaked one would starve the queries after.
		for (let i = 0; i < 6; i++) {
			const controller = new AbortController();
			const res = await fetch(url(), {
				method: 'POST',
				body: 'SELECT number FROM numbers(100000000000) FORMAT TSV',
				headers: auth(),
				signal: controller.signal
			});
			await res.body!.getReader().read();
			controller.abort();
		}
		const results = await Promise.all(Array.from({ length: 8 }, () => post('', 'SELECT 1')));
		expect(results.map((r) => r.text)).toEqual(Array(8).fill('1\n'));
	});
});

describe('one owner per data directory', () => {
	it('a second warehouse on the same directory exits non-zero naming the lock and its holder', async () => {
		const dir = inject('warehouseDir');
		const holder = inject('warehousePid');
		const child = spawn(process.execPath, [tianshuBin, 'warehouse', '--data', dir, '--port', '0'], { cwd: projectRoot });
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
		expect(code).toBe(1);
		expect(stderr).toContain(`warehouse data directory ${dir} is locked by process ${holder}`);
		expect(stderr).toContain(`${dir}/status`);
		await stillAnswers();
	});

	it('refuses to listen on anything but loopback', async () => {
		const child = spawn(process.execPath, [tianshuBin, 'warehouse', '--data', '/nonexistent', '--host', '0.0.0.0'], { cwd: projectRoot });
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
		expect(code).toBe(2);
		expect(stderr).toContain('--host must be a loopback address');
	});
});
