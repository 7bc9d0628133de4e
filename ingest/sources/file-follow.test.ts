import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLines } from './file-follow.ts';
import type { Line } from './lines.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lines(content: Buffer | string, options: { from?: number; stopAt?: number; maxLineBytes?: number; chunkBytes?: number } = {}): Promise<Line[]> {
	const file = path.join(dir, `f${Math.random()}`);
	writeFileSync(file, content);
	const fh = await open(file, 'r');
	const out: Line[] = [];
	for await (const l of readLines(fh, options.from ?? 0, {
		maxLineBytes: options.maxLineBytes ?? 100,
		chunkBytes: options.chunkBytes ?? 7,
		stopAt: options.stopAt,
		atEnd: async () => false
	}))
		out.push(l);
	await fh.close();
	return out;
}

describe('readLines', () => {
	it('gives each line with the offsets to resume after it, across read chunks', async () => {
		const got = await lines('alpha\nbeta\r\n\ngamma');
		expect(got.map((l) => [l.bytes.toString(), l.start, l.end])).toEqual([
			['alpha', 0, 6],
			['beta', 6, 12],
			['gamma', 13, 18] // blank line skipped; a last line without newline at the end
		]);
	});

	it('resumes at an offset and stops at a replay boundary', async () => {
		const got = await lines('one\ntwo\nthree\nfour\n', { from: 4, stopAt: 14 });
		expect(got.map((l) => l.bytes.toString())).toEqual(['two', 'three']);
	});

	it('delivers an over-long line once, marked, with its head only', async () => {
		const long = 'x'.repeat(1000);
		const got = await lines(`ok\n${long}\nafter\n`, { maxLineBytes: 100 });
		expect(got.map((l) => [l.bytes.toString().slice(0, 5), l.tooLong, l.length])).toEqual([
			['ok', false, 2],
			['xxxxx', true, 1000],
			['after', false, 5]
		]);
		expect(got[2]!.start).toBe(1004);
	});
});
