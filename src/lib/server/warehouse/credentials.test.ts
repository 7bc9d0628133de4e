import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialsError, ensureCredentials, readCredentials } from './credentials.ts';

const dirs: string[] = [];
function dataDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-credentials-'));
	dirs.push(dir);
	return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('warehouse credentials', () => {
	it('are made once, owner-only, and the same on every later start', () => {
		const dir = dataDir();
		const first = ensureCredentials(dir);
		expect(first.created).toBe(true);
		expect(statSync(path.join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
		expect(first.credentials.reader.user).toBe('tianshu_reader');
		expect(first.credentials.writer.user).toBe('tianshu_writer');
		// 32 random bytes each, base64url.
		expect(first.credentials.reader.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(first.credentials.writer.password).not.toBe(first.credentials.reader.password);
		const again = ensureCredentials(dir);
		expect(again).toEqual({ credentials: first.credentials, created: false });
		// No temporary file is left behind.
		expect(readdirSync(dir)).toEqual(['credentials.json']);
	});

	it('differ between data directories', () => {
		expect(ensureCredentials(dataDir()).credentials.writer.password).not.toBe(ensureCredentials(dataDir()).credentials.writer.password);
	});

	it('are absent, not an error, before the first start', () => {
		expect(readCredentials(dataDir())).toBeUndefined();
	});

	it('refuse a damaged file with a message saying what to do', () => {
		const dir = dataDir();
		writeFileSync(path.join(dir, 'credentials.json'), '{"version":1,"reader":', { mode: 0o600 });
		expect(() => ensureCredentials(dir)).toThrow(CredentialsError);
		expect(() => ensureCredentials(dir)).toThrow(/is damaged; delete it/);
	});

	it('refuse a file that group or others can read', () => {
		const dir = dataDir();
		ensureCredentials(dir);
		chmodSync(path.join(dir, 'credentials.json'), 0o640);
		expect(() => readCredentials(dir)).toThrow(/readable by others \(mode 640\)/);
	});
});
