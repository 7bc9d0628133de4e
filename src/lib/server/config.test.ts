import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, SETTING_NAMES, config, setting } from './config.ts';
import { tianshuBin } from './warehouse/embedded/spawn.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The variable names in the first column of the README's "## Configuration" table. */
function readmeVariables(): string[] {
	const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
	const section = readme.split(/^## Configuration$/m)[1]?.split(/^##+ /m)[0];
	if (!section) throw new Error('README.md has no "## Configuration" section');
	const rows = section.split('\n').filter((l) => l.startsWith('| `'));
	return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!));
}

/** Every .ts file under dir, tests left out. */
function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
		const p = path.join(dir, d.name);
		if (d.isDirectory()) return d.name === 'node_modules' ? [] : sources(p);
		return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
	});
}

describe('configuration', () => {
	it('the README table lists exactly the variables the module knows', () => {
		const table = readmeVariables();
		expect(table.length).toBeGreaterThan(20);
		expect(new Set(table).size).toBe(table.length);
		expect([...table].sort()).toEqual([...SETTING_NAMES].sort());
	});

	it('only the config module reads process.env in src and ingest', () => {
		const readers = [...sources(path.join(root, 'src')), ...sources(path.join(root, 'ingest'))]
			.filter((f) => readFileSync(f, 'utf8').includes('process.env'))
			.map((f) => path.relative(root, f));
		expect(readers).toEqual(['src/lib/server/config.ts']);
	});

	it('gives the documented defaults when nothing is set, and treats an empty variable as unset', () => {
		expect(setting('LOG_LEVEL', {})).toBe('info');
		expect(setting('TIANSHU_APPDB_POOL', { TIANSHU_APPDB_POOL: '' })).toBe(4);
		expect(setting('TIANSHU_LIVE_FLOOR_MS', {})).toBe(1000);
		expect(setting('TIANSHU_LIVE_CEILING_MS', {})).toBe(15000);
		expect(setting('TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB', {})).toBe(64);
		expect(setting('TIANSHU_COCKPIT_REGION', {})).toBe('0');
		expect(setting('TIANSHU_SESSION_IDLE_MINUTES', {})).toBe(120);
		expect(config({})).toMatchObject({ LOG_LEVEL: 'info', TIANSHU_APPDB_POOL: 4, TIANSHU_LIVE_FLOOR_MS: 1000 });
	});

	it('takes a given value, converted', () => {
		expect(setting('TIANSHU_APPDB_POOL', { TIANSHU_APPDB_POOL: '12' })).toBe(12);
		expect(setting('LOG_LEVEL', { LOG_LEVEL: 'warn' })).toBe('warn');
		expect(setting('TIANSHU_WAREHOUSE_PORT', { TIANSHU_WAREHOUSE_PORT: '9000' })).toBe(9000);
		expect(setting('TIANSHU_DEADLINES', { TIANSHU_DEADLINES: '/etc/tianshu/deadlines.json' })).toBe('/etc/tianshu/deadlines.json');
	});

	it('refuses a bad value with a message naming the variable and the value', () => {
		expect(() => setting('TIANSHU_APPDB_POOL', { TIANSHU_APPDB_POOL: 'many' })).toThrow(/TIANSHU_APPDB_POOL: .*'many'/);
		expect(() => setting('TIANSHU_APPDB_POOL', { TIANSHU_APPDB_POOL: '0' })).toThrow(ConfigError);
		expect(() => setting('LOG_LEVEL', { LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: must be one of/);
		expect(() => setting('TIANSHU_LIVE_FLOOR_MS', { TIANSHU_LIVE_FLOOR_MS: '1.5' })).toThrow(/TIANSHU_LIVE_FLOOR_MS: must be a whole number/);
		expect(() => setting('TIANSHU_WAREHOUSE_PORT', { TIANSHU_WAREHOUSE_PORT: '70000' })).toThrow(/TIANSHU_WAREHOUSE_PORT: must be 1–65535/);
		expect(() => setting('ORIGIN', { ORIGIN: 'ftp://wall.example' })).toThrow(/ORIGIN: /);
		expect(() => setting('TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB', { TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB: '-1' })).toThrow(/TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB/);
	});

	it('checks the sign-in limits: whole minutes and counts within bounds', () => {
		expect(setting('TIANSHU_LOGIN_MAX_FAILURES', { TIANSHU_LOGIN_MAX_FAILURES: '3' })).toBe(3);
		for (const bad of ['0', '-1', '1.5', 'many', '101'])
			expect(() => setting('TIANSHU_LOGIN_MAX_FAILURES', { TIANSHU_LOGIN_MAX_FAILURES: bad }), bad).toThrow(/TIANSHU_LOGIN_MAX_FAILURES: must/);
		expect(() => setting('TIANSHU_SESSION_IDLE_MINUTES', { TIANSHU_SESSION_IDLE_MINUTES: '20000' })).toThrow(/TIANSHU_SESSION_IDLE_MINUTES: must be at most/);
	});

	it('never repeats a value that may hold a password', () => {
		expect(() => setting('CLICKHOUSE_URL', { CLICKHOUSE_URL: 'ftp://ts:hunter2@ch.example' })).toThrow(/CLICKHOUSE_URL: must be an http/);
		expect(() => config({ CLICKHOUSE_URL: 'ftp://ts:hunter2@ch.example', ORIGIN: 'gopher://u:hunter2@wall' })).toThrow(/^(?![\s\S]*hunter2)/);
	});

	it('names every bad variable at once, and leaves unknown variables alone', () => {
		let message = '';
		try {
			config({ LOG_LEVEL: 'loud', TIANSHU_LIVE_CEILING_MS: 'soon', HOME: '/root', TIANSHU_APPDB_POOL: '2' });
		} catch (e) {
			expect(e).toBeInstanceOf(ConfigError);
			message = (e as Error).message;
		}
		expect(message).toMatch(/LOG_LEVEL: .*'loud'/);
		expect(message).toMatch(/TIANSHU_LIVE_CEILING_MS: .*'soon'/);
		expect(message).not.toMatch(/HOME|TIANSHU_APPDB_POOL/);
	});

	it('a bad variable stops `tianshu web` at start: exit 1, the variable named, no stack trace', () => {
		// A ClickHouse server's account is given so the warehouse check passes without one running; nothing is served.
		const env = { PATH: process.env.PATH, HOME: process.env.HOME, CLICKHOUSE_URL: 'http://127.0.0.1:1', CLICKHOUSE_USER: 'x', TIANSHU_LIVE_FLOOR_MS: 'soon' };
		const r = spawnSync(process.execPath, [tianshuBin, 'web', '--port', '1'], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
		expect(r.status).toBe(1);
		expect(r.stderr).toContain("TIANSHU_LIVE_FLOOR_MS: must be a number of milliseconds (got 'soon')");
		expect(r.stderr).not.toMatch(/\n\s+at /);
	}, 90_000);
});
