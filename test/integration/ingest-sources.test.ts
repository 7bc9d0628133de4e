/**
 * The worker's other sources with the real warehouse: standard input, a
 * drop-box directory, and a file followed as it grows and across rotation.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;

beforeAll(async () => {
	db = await ingestDatabase('sources');
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-sources-'));
});
afterAll(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

/** NDJSON warnings with ids `${prefix}-${i}`. */
function warnings(prefix: string, n: number): string {
	let out = '';
	for (let i = 0; i < n; i++) {
		out += `${JSON.stringify({ type: 'warning', warning_id: `${prefix}-${i}`, ts: '2026-11-21T09:00:00+08:00', adcode: 440305, source: '测试', severity: 'low', title: `测试预警 ${i}` })}\n`;
	}
	return out;
}

async function count(prefix: string): Promise<{ n: number; u: number }> {
	const rs = await db.warehouse.query({
		query: 'SELECT count() AS n, uniqExact(warning_id) AS u FROM risk_warnings WHERE startsWith(warning_id, {p:String})',
		query_params: { p: `${prefix}-` },
		format: 'JSONEachRow'
	});
	return (await rs.json<{ n: number; u: number }>())[0]!;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`timed out waiting for ${what}`);
}

describe('ingest sources', () => {
	it('reads standard input to its end', async () => {
		const run = runIngest(db.database, ['--stdin']);
		run.child.stdin!.end(warnings('stdin', 500));
		const result = await run.done;
		expect(result.code, result.stderr).toBe(0);
		expect(await count('stdin')).toEqual({ n: 500, u: 500 });
	});

	it('takes files dropped into a directory once, then moves them to done/', async () => {
		const box = path.join(dir, 'box');
		mkdirSync(box);
		const run = runIngest(db.database, ['--dir', box]);
		try {
			// Written under a hidden name, then renamed: never read half-written.
			writeFileSync(path.join(box, '.a.ndjson'), warnings('box-a', 300));
			renameSync(path.join(box, '.a.ndjson'), path.join(box, 'a.ndjson'));
			writeFileSync(path.join(box, 'b.ndjson'), warnings('box-b', 200));
			await until(async () => (await count('box-a')).n === 300 && (await count('box-b')).n === 200, 'the dropped files');
			await until(async () => existsSync(path.join(box, 'done', 'a.ndjson')) && existsSync(path.join(box, 'done', 'b.ndjson')), 'the files to move to done/');
			expect(existsSync(path.join(box, 'a.ndjson'))).toBe(false);
		} finally {
			run.child.kill('SIGTERM');
			expect((await run.done).code).toBe(0);
		}
		expect(await count('box-a')).toEqual({ n: 300, u: 300 });
	});

	it('follows a file as it grows and across rotation, storing each line once', async () => {
		const file = path.join(dir, 'feed.ndjson');
		writeFileSync(file, warnings('follow-1', 100));
		const run = runIngest(db.database, ['--file', file]);
		try {
			await until(async () => (await count('follow-1')).n === 100, 'the first lines');
			appendFileSync(file, warnings('follow-2', 40));
			// Rotation as a logging system does it: rename, then a new file under the old name.
			renameSync(file, `${file}.1`);
			appendFileSync(`${file}.1`, warnings('follow-3', 10)); // late writes to the old file still count
			writeFileSync(file, warnings('follow-4', 60));
			await until(
				async () => (await count('follow-2')).n === 40 && (await count('follow-3')).n === 10 && (await count('follow-4')).n === 60,
				'the rotated lines'
			);
			appendFileSync(file, warnings('follow-5', 25));
			await until(async () => (await count('follow-5')).n === 25, 'lines appended to the new file');
		} finally {
			run.child.kill('SIGTERM');
			expect((await run.done).code).toBe(0);
		}
		for (const [p, n] of [
			['follow-1', 100],
			['follow-2', 40],
			['follow-3', 10],
			['follow-4', 60],
			['follow-5', 25]
		] as const)
			expect(await count(p)).toEqual({ n, u: n });
	});
});
