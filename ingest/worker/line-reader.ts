/**
 * Lines of a file from a byte offset, with the offsets a checkpoint needs.
 * A line longer than `maxLineBytes` is delivered once, marked too long, with its
 * head only: memory stays bounded whatever the input.
 */
import type { FileHandle } from 'node:fs/promises';

export interface Line {
	/** Byte offset of the line's first byte. */
	start: number;
	/** Byte offset just past the line's newline: where to resume after it. */
	end: number;
	/** The line without its newline (the head only when too long). */
	bytes: Buffer;
	tooLong: boolean;
	/** The line's full length in bytes. */
	length: number;
}

export interface ReadOptions {
	maxLineBytes: number;
	chunkBytes?: number;
	/** Stop before reading past this offset (a replay of a pending range). */
	stopAt?: number;
	/**
	 * Called at end of file. Resolve true to look for more data (follow mode),
	 * false to finish; a last line without a newline is delivered only on finish.
	 */
	atEnd: () => Promise<boolean>;
	/** Called when a read returns data, to check the source was not stopped. */
	stopped?: () => boolean;
}

export const DEAD_LETTER_HEAD_BYTES = 64 * 1024;

/** A complete line held in memory (stdin, a pushed body): marked too long past `maxLineBytes`, head kept. */
export function lineOf(bytes: Buffer, start: number, end: number, maxLineBytes: number): Line {
	const tooLong = bytes.length > maxLineBytes;
	return { start, end, bytes: tooLong ? bytes.subarray(0, DEAD_LETTER_HEAD_BYTES) : bytes, tooLong, length: bytes.length };
}

export async function* readLines(fh: FileHandle, from: number, options: ReadOptions): AsyncGenerator<Line> {
	const chunkBytes = options.chunkBytes ?? 1024 * 1024;
	let position = from; // next byte to read
	let lineStart = from;
	let pending: Buffer[] = []; // bytes of the current partial line
	let pendingLength = 0;
	let overflow = false; // the current line passed maxLineBytes; only its head is kept

	const takeLine = (tail: Buffer, end: number): Line => {
		const length = pendingLength + tail.length;
		let bytes = pendingLength ? Buffer.concat([...pending, tail]) : tail;
		if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
		const line: Line = {
			start: lineStart,
			end,
			bytes: overflow ? bytes.subarray(0, DEAD_LETTER_HEAD_BYTES) : bytes,
			tooLong: overflow || length > options.maxLineBytes,
			length
		};
		pending = [];
		pendingLength = 0;
		overflow = false;
		lineStart = end;
		return line;
	};

	for (;;) {
		if (options.stopped?.()) return;
		// A fresh buffer per read: lines are views into it, not copies.
		const chunk = Buffer.allocUnsafe(chunkBytes);
		let want = chunk.length;
		if (options.stopAt !== undefined) {
			want = Math.min(want, options.stopAt - position);
			if (want <= 0) return;
		}
		const { bytesRead } = await fh.read(chunk, 0, want, position);
		if (bytesRead === 0) {
			if (await options.atEnd()) continue;
			if (pendingLength > 0) yield takeLine(Buffer.alloc(0), position);
			return;
		}
		const data = chunk.subarray(0, bytesRead);
		let from0 = 0;
		for (let nl = data.indexOf(0x0a, from0); nl >= 0; nl = data.indexOf(0x0a, from0)) {
			const line = takeLine(data.subarray(from0, nl), position + nl + 1);
			from0 = nl + 1;
			if (line.bytes.length === 0 && !line.tooLong) continue; // blank line
			yield line;
		}
		const rest = data.subarray(from0);
		if (rest.length) {
			if (!overflow) {
				pending.push(rest);
				pendingLength += rest.length;
				if (pendingLength > options.maxLineBytes) {
					// Keep the head for the dead letter, count the rest without keeping it.
					const head = Buffer.concat(pending).subarray(0, DEAD_LETTER_HEAD_BYTES);
					pending = [head];
					overflow = true;
				}
			} else {
				pendingLength += rest.length;
			}
		}
		position += bytesRead;
	}
}

/** The first `max` bytes of `bytes`, cut back to a UTF-8 character boundary. */
export function utf8Head(bytes: Buffer, max = DEAD_LETTER_HEAD_BYTES): Buffer {
	if (bytes.length <= max) return bytes;
	let end = max;
	while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
	return bytes.subarray(0, end);
}
