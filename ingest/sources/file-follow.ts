/**
 * A file source: read from its checkpoint to the end and, when following, as it
 * grows and across rotation (rename, then a new file at the same path). A range
 * that a crash left pending is replayed first, as one batch, so its
 * deduplication tokens match the ones already sent.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { readCsvHeader } from './csv.ts';
import { sleep, type FileSourceState, type SourceHost } from './host.ts';
import { LineSplitter, type Line } from './lines.ts';

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

/** Lines of a file from a byte offset, with the offsets a checkpoint needs. */
export async function* readLines(fh: FileHandle, from: number, options: ReadOptions): AsyncGenerator<Line> {
	const chunkBytes = options.chunkBytes ?? 1024 * 1024;
	const splitter = new LineSplitter(options.maxLineBytes, from);
	for (;;) {
		if (options.stopped?.()) return;
		// A fresh buffer per read: lines are views into it, not copies.
		const chunk = Buffer.allocUnsafe(chunkBytes);
		let want = chunk.length;
		if (options.stopAt !== undefined) {
			want = Math.min(want, options.stopAt - splitter.offset);
			if (want <= 0) return;
		}
		const { bytesRead } = await fh.read(chunk, 0, want, splitter.offset);
		if (bytesRead === 0) {
			if (await options.atEnd()) continue;
			const last = splitter.finish();
			if (last) yield last;
			return;
		}
		for (const line of splitter.push(chunk.subarray(0, bytesRead))) yield line;
	}
}

export interface FollowOptions {
	follow?: boolean;
	pollMs: number;
	onProgress?: (position: number, size: number) => void;
}

/** Reads `file` (an absolute path) to its end, or follows it until the host stops. */
export async function followFile(host: SourceHost, file: string, options: FollowOptions): Promise<void> {
	for (;;) {
		let fh: FileHandle;
		try {
			fh = await open(file, 'r');
		} catch (e) {
			if (options.follow && (e as NodeJS.ErrnoException).code === 'ENOENT' && !host.stopping()) {
				await sleep(options.pollMs);
				continue;
			}
			throw e;
		}
		let rotated = false;
		try {
			rotated = await readOpenFile(host, file, fh, options);
		} finally {
			await fh.close();
		}
		if (!rotated || host.stopping()) return;
		host.logger.info({ file }, 'file rotated; following the new one');
	}
}

/** Reads one open file; true when it was rotated away (the caller opens the new one). */
async function readOpenFile(host: SourceHost, file: string, fh: FileHandle, options: FollowOptions): Promise<boolean> {
	let rotated = false;
	const info = await fh.stat();
	const id = `file:${realpathSync(file)}#${info.ino}`;
	const state: FileSourceState = { id, path: file, position: 0, committed: 0, size: info.size };
	const checkpoint = await host.checkpoints.read(id);
	state.position = state.committed = Math.min(checkpoint.committed, info.size);
	const replayUntil = checkpoint.pendingEnd > checkpoint.committed ? checkpoint.pendingEnd : undefined;
	if (checkpoint.committed > 0) host.logger.info({ source: id, resumeAt: state.committed, replayUntil }, 'resuming from checkpoint');
	host.writer.register(state);
	host.files.add(state);
	const header = /\.csv$/i.test(file) ? await readCsvHeader(fh) : undefined;
	if (header && state.position < header.end) state.position = state.committed = header.end;
	const atEnd = async (): Promise<boolean> => {
		if (!options.follow || host.stopping()) return false;
		await sleep(options.pollMs);
		const now = await stat(file).catch(() => undefined);
		const mine = await fh.stat();
		state.size = mine.size;
		if (!now || now.ino !== info.ino) {
			// Rotated: finish this file (read what is left), then follow the new one.
			if (mine.size > state.position) return true;
			rotated = true;
			return false;
		}
		if (now.size < state.position) {
			host.logger.warn({ source: id, size: now.size, position: state.position }, 'file truncated in place: ignored; rotate files instead of truncating them');
		}
		return !host.stopping();
	};
	const consume = async (from: number, stopAt: number | undefined) => {
		for await (const line of readLines(fh, from, {
			maxLineBytes: host.maxLineBytes,
			stopAt,
			atEnd: stopAt === undefined ? atEnd : async () => false,
			stopped: () => host.stopping() && stopAt === undefined
		})) {
			host.handleLine(state, line, header?.columns);
			// A replay is stored as one batch at its end: no cut in between.
			if (stopAt === undefined && host.writer.full) await host.writer.makeRoom();
			options.onProgress?.(state.position, state.size);
		}
	};
	if (replayUntil !== undefined) {
		// Replay exactly the range a crash left pending, as one batch, so its dedup tokens match.
		host.writer.beginReplay(state);
		await consume(state.position, replayUntil);
		await host.writer.endReplay(state);
	}
	await consume(state.position, undefined);
	await host.writer.flush();
	host.writer.unregister(state);
	host.files.delete(state);
	return rotated;
}
