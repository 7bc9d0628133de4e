import { describe, expect, it } from 'vitest';
import { LineSplitter, splitLines, utf8Head, type Line } from './lines.ts';

/** Feeds `text` to a splitter in chunks of `size` bytes. */
function inChunks(text: string | Buffer, size: number, max = 100): Line[] {
	const bytes = Buffer.from(text);
	const splitter = new LineSplitter(max);
	const out: Line[] = [];
	for (let i = 0; i < bytes.length; i += size) out.push(...splitter.push(bytes.subarray(i, i + size)));
	const last = splitter.finish();
	if (last) out.push(last);
	return out;
}

const view = (lines: Line[]) => lines.map((l) => [l.bytes.toString(), l.start, l.end, l.number]);

describe('LineSplitter', () => {
	it('gives the same lines, offsets and line numbers whatever the chunk size', () => {
		const text = 'alpha\r\n\nbeta\n\r\ngamma';
		const expected = [
			['alpha', 0, 7, 1],
			['beta', 8, 13, 3],
			['gamma', 15, 20, 5]
		];
		for (const size of [1, 2, 3, 7, 100]) expect(view(inChunks(text, size))).toEqual(expected);
	});

	it('delivers an over-long line once, marked, with its full length, and keeps going', () => {
		const got = inChunks(`ok\n${'y'.repeat(500)}\nafter`, 16, 100);
		expect(got.map((l) => [l.tooLong, l.length, l.start])).toEqual([
			[false, 2, 0],
			[true, 500, 3],
			[false, 5, 504]
		]);
		// Memory stays bounded: past the limit only what was held then (at most the limit plus one chunk) is kept.
		expect(got[1]!.bytes.length).toBeLessThanOrEqual(100 + 16);
		expect(got[1]!.bytes.toString()).toMatch(/^y+$/);
	});

	it('counts offsets from where it starts (a resumed file)', () => {
		const splitter = new LineSplitter(100, 40);
		expect(splitter.push(Buffer.from('a\nb\n')).map((l) => [l.start, l.end])).toEqual([
			[40, 42],
			[42, 44]
		]);
		expect(splitter.offset).toBe(44);
		expect(splitter.finish()).toBeUndefined();
	});
});

describe('splitLines', () => {
	it('splits a whole body; an empty body has no lines', () => {
		expect(splitLines(Buffer.from(''), 10)).toEqual([]);
		expect(view(splitLines(Buffer.from('{"a":1}\n\n{"b":2}\n'), 10))).toEqual([
			['{"a":1}', 0, 8, 1],
			['{"b":2}', 9, 17, 3]
		]);
	});
});

describe('utf8Head', () => {
	it('never cuts a character in half', () => {
		const text = Buffer.from('中文'); // 6 bytes
		expect(utf8Head(text, 4).toString()).toBe('中');
		expect(utf8Head(text, 6).toString()).toBe('中文');
	});
});
