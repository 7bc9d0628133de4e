import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppDbConfigError, appDbConfig, redactUrl } from './config.ts';

describe('the app database configuration', () => {
	it('takes DATABASE_URL as it is, and refuses what is not a postgres:// URL', () => {
		expect(appDbConfig({ DATABASE_URL: 'postgres://u:p@db.internal:5432/tianshu' })).toEqual({
			url: 'postgres://u:p@db.internal:5432/tianshu',
			embedded: false
		});
		expect(appDbConfig({ DATABASE_URL: 'postgresql://db/x' }).embedded).toBe(false);
		expect(() => appDbConfig({ DATABASE_URL: 'mysql://db/x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
		expect(() => appDbConfig({ DATABASE_URL: 'not a url' })).toThrow(AppDbConfigError);
	});

	it('finds the embedded one through its data directory: port from server.json, the password from its file', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'appdb-config-'));
		expect(() => appDbConfig({ TIANSHU_APPDB_DATA: dir })).toThrow(/is not running/);
		writeFileSync(path.join(dir, 'password'), 'p@ss/word\n');
		writeFileSync(path.join(dir, 'server.json'), JSON.stringify({ port: 5999, pid: process.pid }));
		expect(appDbConfig({ TIANSHU_APPDB_DATA: dir, DATABASE_URL: '' })).toEqual({
			url: 'postgres://postgres:p%40ss%2Fword@127.0.0.1:5999/postgres',
			embedded: true
		});
		writeFileSync(path.join(dir, 'server.json'), JSON.stringify({ port: 70000, pid: process.pid }));
		expect(() => appDbConfig({ TIANSHU_APPDB_DATA: dir })).toThrow(/no valid port/);
		// A pid that cannot exist: the server was killed and left its file behind.
		writeFileSync(path.join(dir, 'server.json'), JSON.stringify({ port: 5999, pid: 2 ** 22 + 1 }));
		expect(() => appDbConfig({ TIANSHU_APPDB_DATA: dir })).toThrow(/is gone/);
	});

	it('never shows a password in a URL meant for logs', () => {
		expect(redactUrl('postgres://postgres:s3cret@127.0.0.1:5439/postgres')).toBe('postgres://postgres:***@127.0.0.1:5439/postgres');
		expect(redactUrl('postgres://db/x')).toBe('postgres://db/x');
		expect(redactUrl('::')).not.toContain('::');
	});
});
