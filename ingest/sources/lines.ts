/**
 * The one line splitter every source uses: bytes in (chunks of a file, a pipe or a
 * pushed body), lines out with the byte offsets a checkpoint needs. A line longer
 * than `maxLineBytes` is delivered once, marked too long, with its head only:
 * memory stays bounded whatever the input. A trailing CR is dropped (CRLF files);
 * blank lines are counted but not delivered.
 */

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
	/** 1-based among every line the splitter saw, blank ones included (a pushed body's rejected lines are named by it). */
	number?: number;
}

/** What a dead letter keeps of a line. */
export const DEAD_LETTER_HEAD_BYTES = 64 * 1024;

export class LineSplitter {
	private pending: Buffer[] = []; // bytes of the current partial line
	private pendingLength = 0;
	private overflow = false; // the current line passed maxLineBytes; only its head is kept
	private lineStart: number;
	private lineNumber = 0;
	/** Byte offset just past the last byte pushed. */
	offset: number;

	constructor(
		private readonly maxLineBytes: number,
		start = 0
	) {
		this.lineStart = this.offset = start;
	}

	/** The lines this chunk completes. Lines are views into `data`, not copies: pass a buffer nobody overwrites. */
	push(data: Buffer): Line[] {
		const lines: Line[] = []; // an array, not a generator: no generator step per line on the hot path
		const base = this.offset;
		this.offset += data.length;
		let from = 0;
		for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, from)) {
			const line = this.take(data.subarray(from, nl), base + nl + 1);
			from = nl + 1;
			if (line) lines.push(line);
		}
		const rest = data.subarray(from);
		if (!rest.length) return lines;
		if (this.overflow) {
			this.pendingLength += rest.length;
			return lines;
		}
		this.pending.push(rest);
		this.pendingLength += rest.length;
		if (this.pendingLength > this.maxLineBytes) {
			// Keep the head for the dead letter, count the rest without keeping it.
			this.pending = [Buffer.concat(this.pending).subarray(0, DEAD_LETTER_HEAD_BYTES)];
			this.overflow = true;
		}
		return lines;
	}

	/** The last line when it has no newline (at the end of the input), if any. */
	finish(): Line | undefined {
		return this.pendingLength > 0 ? this.take(Buffer.alloc(0), this.offset) : undefined;
	}

	private take(tail: Buffer, end: number): Line | undefined {
		const length = this.pendingLength + tail.length;
		let bytes = this.pendingLength ? Buffer.concat([...this.pending, tail]) : tail;
		if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
		const tooLong = this.overflow || length > this.maxLineBytes;
		const line: Line = {
			start: this.lineStart,
			end,
			bytes: tooLong ? bytes.subarray(0, DEAD_LETTER_HEAD_BYTES) : bytes,
			tooLong,
			length,
			number: ++this.lineNumber
		};
		this.pending = [];
		this.pendingLength = 0;
		this.overflow = false;
		this.lineStart = end;
		return bytes.length === 0 && !tooLong ? undefined : line;
	}
}

/** Every line of a buffer held whole (a pushed body). */
export function splitLines(body: Buffer, maxLineBytes: number): Line[] {
	const splitter = new LineSplitter(maxLineBytes);
	const lines = splitter.push(body);
	const last = splitter.finish();
	if (last) lines.push(last);
	return lines;
}

/** A complete line held in memory: marked too long past `maxLineBytes`, head kept. */
export function lineOf(bytes: Buffer, start: number, end: number, maxLineBytes: number): Line {
	const tooLong = bytes.length > maxLineBytes;
	return { start, end, bytes: tooLong ? bytes.subarray(0, DEAD_LETTER_HEAD_BYTES) : bytes, tooLong, length: bytes.length };
}

/** The first `max` bytes of `bytes`, cut back to a UTF-8 character boundary. */
export function utf8Head(bytes: Buffer, max = DEAD_LETTER_HEAD_BYTES): Buffer {
	if (bytes.length <= max) return bytes;
	let end = max;
	while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
	return bytes.subarray(0, end);
}
