import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, warehouseConfig } from './config.ts';
import { ensureCredentials } from './credentials.ts';

const dirs: string[] = [];
function dataDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-config-'));
	dirs.push(dir);
	return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('warehouseConfig', () => {
	it('means the embedded warehouse when no URL is set', () => {
		const dir = dataDir();
		expect(warehouseConfig({ TIANSHU_WAREHOUSE_DATA: dir })).toMatchObject({
			url: 'http://127.0.0.1:8123',
			database: 'tianshu',
			embedded: true,
			role: 'writer'
		});
		expect(warehouseConfig({ TIANSHU_WAREHOUSE_PORT: '9000', TIANSHU_WAREHOUSE_DATA: dir }).url).toBe('http://127.0.0.1:9000');
	});

	it('takes a server or cluster from CLICKHOUSE_*', () => {
		expect(warehouseConfig({ CLICKHOUSE_URL: 'https://ch.example:8443', CLICKHOUSE_USER: 'ts', CLICKHOUSE_PASSWORD: 'p', CLICKHOUSE_DATABASE: 'gov' })).toEqual(
			{ url: 'https://ch.example:8443', username: 'ts', password: 'p', database: 'gov', embedded: false, role: 'writer' }
		);
		// A server with no account named: ClickHouse's default user, as before.
		expect(warehouseConfig({ CLICKHOUSE_URL: 'https://ch.example:8443' }, 'reader')).toMatchObject({ username: 'default', password: '' });
	});

	it('treats empty variables as unset', () => {
		expect(warehouseConfig({ CLICKHOUSE_URL: '', CLICKHOUSE_DATABASE: '', TIANSHU_WAREHOUSE_DATA: dataDir() }).embedded).toBe(true);
	});

	it.each([
		[{ CLICKHOUSE_URL: 'ftp://x' }, /CLICKHOUSE_URL: must be an http:\/\/ or https:\/\/ URL/],
		[{ CLICKHOUSE_URL: 'not a url' }, /CLICKHOUSE_URL/],
		[{ CLICKHOUSE_DATABASE: 'drop table; x' }, /CLICKHOUSE_DATABASE: must be a plain identifier/],
		[{ TIANSHU_WAREHOUSE_PORT: '70000' }, /TIANSHU_WAREHOUSE_PORT: must be 1–65535/],
		[{ TIANSHU_WAREHOUSE_PORT: 'abc' }, /TIANSHU_WAREHOUSE_PORT/]
	])('names the variable when %o is bad', (env, message) => {
		expect(() => warehouseConfig(env)).toThrow(ConfigError);
		expect(() => warehouseConfig(env)).toThrow(message);
	});
});

describe('accounts of the embedded warehouse', () => {
	it('reads the role asked for from the credentials file of the data directory', () => {
		const dir = dataDir();
		const { credentials } = ensureCredentials(dir);
		const writer = warehouseConfig({ TIANSHU_WAREHOUSE_DATA: dir });
		const reader = warehouseConfig({ TIANSHU_WAREHOUSE_DATA: dir }, 'reader');
		expect([writer.username, writer.password]).toEqual([credentials.writer.user, credentials.writer.password]);
		expect([reader.username, reader.password]).toEqual([credentials.reader.user, credentials.reader.password]);
		expect(reader.password).not.toBe(writer.password);
		expect(writer.credentialsFile).toBe(path.join(dir, 'credentials.json'));
		expect(writer.credentialsMissing).toBeUndefined();
	});

	it('uses the file for an embedded warehouse on a URL of its own when TIANSHU_WAREHOUSE_DATA names it', () => {
		const dir = dataDir();
		const { credentials } = ensureCredentials(dir);
		const c = warehouseConfig({ CLICKHOUSE_URL: 'http://127.0.0.1:4318', TIANSHU_WAREHOUSE_DATA: dir }, 'reader');
		expect(c).toMatchObject({ url: 'http://127.0.0.1:4318', embedded: false, username: 'tianshu_reader', password: credentials.reader.password });
	});

	it('lets CLICKHOUSE_USER and CLICKHOUSE_PASSWORD win over the file', () => {
		const dir = dataDir();
		ensureCredentials(dir);
		expect(warehouseConfig({ TIANSHU_WAREHOUSE_DATA: dir, CLICKHOUSE_USER: 'ops', CLICKHOUSE_PASSWORD: 'secret' }, 'reader')).toMatchObject({
			username: 'ops',
			password: 'secret'
		});
	});

	it('says where the credentials will be when the warehouse has never started', () => {
		const dir = dataDir();
		const c = warehouseConfig({ TIANSHU_WAREHOUSE_DATA: dir });
		expect(c.password).toBe('');
		expect(c.credentialsMissing).toContain(`no warehouse credentials at ${path.join(dir, 'credentials.json')}`);
	});

	it('refuses a credentials file others can read', () => {
		const dir = dataDir();
		ensureCredentials(dir);
		chmodSync(path.join(dir, 'credentials.json'), 0o644);
		expect(() => warehouseConfig({ TIANSHU_WAREHOUSE_DATA: dir })).toThrow(/TIANSHU_WAREHOUSE_DATA: .*readable by others \(mode 644\); run `chmod 600/);
	});
});
