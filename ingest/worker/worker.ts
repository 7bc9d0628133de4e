/**
 * The ingestion worker: reads its sources, runs every line through the steps,
 * buffers rows per table and stores them exactly once (see batch-writer.ts and
 * checkpoints.ts). Bad lines go to `ingest_dead_letter` with their reason; the
 * worker never stops on input.
 */
import { open, readdir, rename, stat, mkdir } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { process as runSteps, chTime, Refusal, type Routed, type StepContext } from '../pipeline/steps.ts';
import type { RegionIndex } from '../pipeline/regions.ts';
import { BatchWriter, type SourceState } from './batch-writer.ts';
import { Checkpoints } from './checkpoints.ts';
import { lineOf, readLines, utf8Head, type Line } from './line-reader.ts';
import { DeadlinePolicy } from '../pipeline/deadlines.ts';

export interface WorkerOptions {
	warehouse: Warehouse;
	regions: RegionIndex;
	logger: Logger;
	/** A name for this worker in metrics. */
	name?: string;
	maxLineBytes?: number;
	maxBatchRows?: number;
	maxBatchBytes?: number;
	flushIntervalMs?: number;
	metricsIntervalMs?: number;
	/** Poll interval when following files and drop-boxes. */
	pollMs?: number;
	now?: () => number;
	/** Regional deadlines; ingest/config/deadlines.json (or TIANSHU_DEADLINES) when not given. */
	deadlines?: DeadlinePolicy;
}

export interface Metrics {
	linesRead: number;
	stored: number;
	dropped: number;
	dropsByReason: Record<string, number>;
	/** Rows not stored because their event id was stored already (another batch, or earlier in the same one). */
	duplicates: number;
	byTable: Record<string, number>;
	newestEventMs: number;
}

interface Tally {
	rows: number;
	byTable: Record<string, number>;
	newest: number;
}

interface FileSourceState extends SourceState {
	path: string;
	/** Bytes on disk, for lag. */
	size: number;
}

const INDICATOR_CSV_COLUMNS = ['indicator', 'adcode', 'period', 'value', 'unit', 'release_ts'];
const TARGET_CSV_COLUMNS = ['indicator', 'adcode', 'year', 'value', 'unit', 'release_ts'];

export class IngestWorker {
	readonly writer: BatchWriter;
	private readonly checkpoints: Checkpoints;
	private readonly metrics: Metrics = { linesRead: 0, stored: 0, dropped: 0, dropsByReason: {}, duplicates: 0, byTable: {}, newestEventMs: 0 };
	/** Counts of rows buffered per source since its last cut. */
	private readonly pendingStored = new Map<string, Tally>();
	/** Counts of cuts being stored, in order (flushes are sequential). */
	private readonly cutTallies: Tally[] = [];
	private stopping = false;
	private readonly timers: NodeJS.Timeout[] = [];
	private readonly running = new Set<Promise<void>>();
	private readonly fileStates = new Set<FileSourceState>();
	private readonly knownItems = new Map<string, string>();
	private lastMetrics = { at: Date.now(), lines: 0 };
	readonly name: string;

	private readonly deadlines: DeadlinePolicy;

	constructor(private readonly options: WorkerOptions) {
		this.name = options.name ?? `ingest-${process.pid}`;
		this.deadlines = options.deadlines ?? DeadlinePolicy.load();
		this.checkpoints = new Checkpoints(options.warehouse, options.logger);
		this.writer = new BatchWriter({
			warehouse: options.warehouse,
			checkpoints: this.checkpoints,
			logger: options.logger,
			maxRows: options.maxBatchRows,
			maxBytes: options.maxBatchBytes,
			onCut: (ids) => this.onCut(ids),
			onDuplicates: (rows, batch) => {
				this.metrics.duplicates += rows;
				this.options.logger.info({ batch, rows }, 'rows whose event id was stored already were left out');
			},
			onFlushed: () => {
				this.onFlushed();
				void this.markStored();
			}
		});
		// 0: no timer, batches cut by size and at the end only, so cuts depend on the content alone.
		const interval = options.flushIntervalMs ?? 1000;
		if (interval > 0)
			this.timers.push(
				setInterval(() => {
					if (!this.writer.isFlushing && this.writer.buffered.rows > 0) void this.writer.flush();
				}, interval)
			);
		this.timers.push(setInterval(() => void this.reportMetrics(), options.metricsIntervalMs ?? 10_000));
	}

	get snapshot(): Metrics & { bufferRows: number; bufferBytes: number; lagBytes: number } {
		const lagBytes = [...this.fileStates].reduce((s, f) => s + Math.max(0, f.size - f.position), 0);
		return {
			...this.metrics,
			dropsByReason: { ...this.metrics.dropsByReason },
			byTable: { ...this.metrics.byTable },
			bufferRows: this.writer.buffered.rows,
			bufferBytes: this.writer.buffered.bytes,
			lagBytes
		};
	}

	/** Reads a file to its end (and, with follow, as it grows and across rotation). */
	async ingestFile(file: string, options: { follow?: boolean; onProgress?: (position: number, size: number) => void } = {}): Promise<void> {
		const task = this.fileTask(path.resolve(file), options);
		this.running.add(task);
		try {
			await task;
		} finally {
			this.running.delete(task);
		}
	}

	private async fileTask(file: string, options: { follow?: boolean; onProgress?: (position: number, size: number) => void }): Promise<void> {
		const pollMs = this.options.pollMs ?? 250;
		for (;;) {
			let fh;
			try {
				fh = await open(file, 'r');
			} catch (e) {
				if (options.follow && (e as NodeJS.ErrnoException).code === 'ENOENT' && !this.stopping) {
					await sleep(pollMs);
					continue;
				}
				throw e;
			}
			let rotated = false;
			try {
				const info = await fh.stat();
				const id = `file:${realpathSync(file)}#${info.ino}`;
				const state: FileSourceState = { id, path: file, position: 0, committed: 0, size: info.size };
				const checkpoint = await this.checkpoints.read(id);
				state.position = state.committed = Math.min(checkpoint.committed, info.size);
				const replayUntil = checkpoint.pendingEnd > checkpoint.committed ? checkpoint.pendingEnd : undefined;
				if (checkpoint.committed > 0) this.options.logger.info({ source: id, resumeAt: state.committed, replayUntil }, 'resuming from checkpoint');
				this.writer.register(state);
				this.fileStates.add(state);
				const csv = /\.csv$/i.test(file);
				const header = csv ? await readCsvHeader(fh) : undefined;
				if (header && state.position < header.end) state.position = state.committed = header.end;
				const atEnd = async (): Promise<boolean> => {
					if (!options.follow || this.stopping) return false;
					await sleep(pollMs);
					const now = await stat(file).catch(() => undefined);
					const mine = await fh!.stat();
					state.size = mine.size;
					if (!now || now.ino !== info.ino) {
						// Rotated: finish this file (read what is left), then follow the new one.
						if (mine.size > state.position) return true;
						rotated = true;
						return false;
					}
					if (now.size < state.position) {
						this.options.logger.warn(
							{ source: id, size: now.size, position: state.position },
							'file truncated in place: ignored; rotate files instead of truncating them'
						);
					}
					return !this.stopping;
				};
				const consume = async (from: number, stopAt: number | undefined) => {
					for await (const line of readLines(fh!, from, {
						maxLineBytes: this.options.maxLineBytes ?? 1024 * 1024,
						stopAt,
						atEnd: stopAt === undefined ? atEnd : async () => false,
						stopped: () => this.stopping && stopAt === undefined
					})) {
						this.handleLine(state, line, header?.columns);
						// A replay is stored as one batch at its end: no cut in between.
						if (stopAt === undefined && this.writer.full) await this.writer.makeRoom();
						options.onProgress?.(state.position, state.size);
					}
				};
				if (replayUntil !== undefined) {
					// Replay exactly the range a crash left pending, as one batch, so its dedup tokens match.
					this.writer.beginReplay(state);
					await consume(state.position, replayUntil);
					await this.writer.endReplay(state);
				}
				await consume(state.position, undefined);
				await this.writer.flush();
				this.writer.unregister(state);
				this.fileStates.delete(state);
			} finally {
				await fh.close();
			}
			if (!rotated || this.stopping) return;
			this.options.logger.info({ file }, 'file rotated; following the new one');
		}
	}

	/** Processes every file that appears in `dir` once, then moves it to `dir/done`. Names starting with '.' are skipped (write there, then rename). */
	async watchDropBox(dir: string): Promise<void> {
		const done = path.join(dir, 'done');
		await mkdir(done, { recursive: true });
		const task = (async () => {
			while (!this.stopping) {
				const names = (await readdir(dir)).filter((n) => /\.(ndjson|jsonl|json|csv)$/i.test(n) && !n.startsWith('.')).sort();
				for (const name of names) {
					if (this.stopping) break;
					await this.ingestFile(path.join(dir, name));
					if (!this.stopping) await rename(path.join(dir, name), path.join(done, name));
				}
				await sleep(this.options.pollMs ?? 1000);
			}
		})();
		this.running.add(task);
		await task.finally(() => this.running.delete(task));
	}

	/** Reads standard input to its end. A crash cannot be resumed (the pipe is gone): the sender replays. */
	async ingestStream(stream: NodeJS.ReadableStream, id: string): Promise<void> {
		const state: SourceState = { id, position: 0, committed: 0 };
		this.writer.register(state);
		let partial: Buffer[] = [];
		let lineStart = 0;
		let offset = 0;
		const max = this.options.maxLineBytes ?? 1024 * 1024;
		const emit = (bytes: Buffer, end: number) => {
			const line = lineOf(bytes, lineStart, end, max);
			lineStart = end;
			if (line.bytes.length > 0 || line.tooLong) this.handleLine(state, line, undefined);
			else state.position = end;
		};
		for await (const chunk of stream) {
			const data = chunk as Buffer;
			let from = 0;
			for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, from)) {
				const piece = data.subarray(from, nl);
				emit(partial.length ? Buffer.concat([...partial, piece]) : Buffer.from(piece), offset + nl + 1);
				partial = [];
				from = nl + 1;
			}
			if (from < data.length) partial.push(Buffer.from(data.subarray(from)));
			offset += data.length;
			if (this.writer.full) await this.writer.makeRoom();
		}
		if (partial.length) emit(Buffer.concat(partial), offset);
		await this.writer.flush();
		this.writer.unregister(state);
	}

	/** Runs the steps on one line: the rows it yields (table, JSON), and the refusal if refused. */
	evaluate(
		sourceId: string,
		line: Line,
		csvHeader: string[] | undefined,
		allowedTypes?: StepContext['allowedTypes']
	): { rows: Array<[string, string]>; refusal?: Refusal; routed?: Routed } {
		const ctx: StepContext = { regions: this.options.regions, now: this.options.now ?? Date.now, source: sourceId, deadlines: this.deadlines, allowedTypes };
		let outcome: Routed | Refusal;
		if (line.tooLong) outcome = new Refusal('parse', 'line_too_long', `${line.length} bytes; lines are limited to ${this.options.maxLineBytes ?? 1024 * 1024}`);
		else if (csvHeader) outcome = runSteps(csvLineAsEvent(line.bytes, csvHeader), ctx);
		else outcome = runSteps(line.bytes, ctx);
		if (outcome instanceof Refusal) {
			const deadLetter = JSON.stringify({
				ingested_at: chTime(Date.now()),
				source: sourceId,
				position: line.start,
				step: outcome.step,
				reason: outcome.reason,
				detail: outcome.detail,
				type_hint: outcome.typeHint,
				raw: utf8Head(line.bytes).toString('utf8'),
				raw_bytes: line.length
			});
			return { rows: [['ingest_dead_letter', deadLetter]], refusal: outcome };
		}
		const rows: Array<[string, string]> = [[outcome.table, JSON.stringify(outcome.row)]];
		if (outcome.item && this.knownItems.get(outcome.item.item_code) !== outcome.item.item_name) {
			// The catalogue learns items and departments from the data.
			this.knownItems.set(outcome.item.item_code, outcome.item.item_name);
			rows.push(['service_items', JSON.stringify({ ...outcome.item, last_seen: chTime(outcome.ts) })]);
		}
		return { rows, routed: outcome };
	}

	/** Counts a line's outcome in the metrics (as read; as stored once its batch is). */
	count(sourceId: string, result: ReturnType<IngestWorker['evaluate']>, stored: boolean): void {
		this.metrics.linesRead++;
		if (result.refusal) {
			this.metrics.dropped++;
			this.metrics.dropsByReason[result.refusal.reason] = (this.metrics.dropsByReason[result.refusal.reason] ?? 0) + 1;
			return;
		}
		const routed = result.routed!;
		const tally: Tally = stored ? { rows: 0, byTable: {}, newest: 0 } : this.pendingFor(sourceId);
		tally.rows++;
		tally.byTable[routed.table] = (tally.byTable[routed.table] ?? 0) + 1;
		if (routed.ts > tally.newest) tally.newest = routed.ts;
		if (stored) this.addStored(tally);
	}

	/** Runs the steps on one line and buffers the outcome. Synchronous: the position moves with the rows. */
	handleLine(state: SourceState, line: Line, csvHeader: string[] | undefined): void {
		const result = this.evaluate(state.id, line, csvHeader);
		for (const [table, json] of result.rows) this.writer.add(state, table, json);
		this.count(state.id, result, false);
		state.position = line.end;
	}

	private pendingFor(id: string): Tally {
		let p = this.pendingStored.get(id);
		if (!p) this.pendingStored.set(id, (p = { rows: 0, byTable: {}, newest: 0 }));
		return p;
	}

	private onCut(ids: string[]): void {
		const tally: Tally = { rows: 0, byTable: {}, newest: 0 };
		for (const id of ids) {
			const p = this.pendingStored.get(id);
			if (!p) continue;
			this.pendingStored.delete(id);
			tally.rows += p.rows;
			for (const [t, n] of Object.entries(p.byTable)) tally.byTable[t] = (tally.byTable[t] ?? 0) + n;
			tally.newest = Math.max(tally.newest, p.newest);
		}
		this.cutTallies.push(tally);
	}

	/** Moves the ingest watermark: screens learn that new data is stored. */
	async markStored(): Promise<void> {
		try {
			await this.options.warehouse.insert({
				table: 'ingest_watermark',
				values: [{ worker: this.name, version: Date.now() * 1000 + (this.watermarkSeq++ % 1000), updated_at: Date.now() }],
				format: 'JSONEachRow'
			});
		} catch (e) {
			this.options.logger.warn({ err: (e as Error).message }, 'could not move the ingest watermark');
		}
	}

	private watermarkSeq = 0;

	private onFlushed(): void {
		const tally = this.cutTallies.shift();
		if (tally) this.addStored(tally);
	}

	private addStored(tally: Tally): void {
		this.metrics.stored += tally.rows;
		for (const [t, n] of Object.entries(tally.byTable)) this.metrics.byTable[t] = (this.metrics.byTable[t] ?? 0) + n;
		if (tally.newest > this.metrics.newestEventMs) this.metrics.newestEventMs = tally.newest;
	}

	private async reportMetrics(): Promise<void> {
		const s = this.snapshot;
		const now = Date.now();
		const rate = ((s.linesRead - this.lastMetrics.lines) * 1000) / Math.max(1, now - this.lastMetrics.at);
		this.lastMetrics = { at: now, lines: s.linesRead };
		const lagS = s.newestEventMs ? Math.max(0, (now - s.newestEventMs) / 1000) : 0;
		this.options.logger.info(
			{
				eventsPerS: Math.round(rate),
				read: s.linesRead,
				stored: s.stored,
				dropped: s.dropped,
				drops: s.dropsByReason,
				duplicates: s.duplicates,
				bufferRows: s.bufferRows,
				lagBytes: s.lagBytes,
				lagS: Math.round(lagS)
			},
			'ingest metrics'
		);
		try {
			await this.options.warehouse.insert({
				table: 'ingest_metrics',
				values: [
					{
						ts: now,
						worker: this.name,
						events_total: s.linesRead,
						stored_total: s.stored,
						dropped_total: s.dropped,
						drops: s.dropsByReason,
						events_per_s: rate,
						buffer_rows: s.bufferRows,
						buffer_bytes: s.bufferBytes,
						lag_bytes: s.lagBytes,
						lag_s: lagS
					}
				],
				format: 'JSONEachRow'
			});
		} catch (e) {
			this.options.logger.warn({ err: (e as Error).message }, 'could not store ingest metrics');
		}
	}

	/** Stops reading, stores what is buffered, and records final metrics. */
	async stop(): Promise<void> {
		this.stopping = true;
		for (const t of this.timers) clearInterval(t);
		await Promise.allSettled([...this.running]);
		await this.writer.flush();
		await this.reportMetrics();
	}
}

/** The header line of a CSV table of indicator values or targets: its columns and where the data starts. */
async function readCsvHeader(fh: import('node:fs/promises').FileHandle): Promise<{ columns: string[]; end: number }> {
	const head = Buffer.alloc(4096);
	const { bytesRead } = await fh.read(head, 0, head.length, 0);
	const nl = head.subarray(0, bytesRead).indexOf(0x0a);
	const text = head
		.subarray(0, nl < 0 ? bytesRead : nl)
		.toString('utf8')
		.replace(/^\uFEFF/, '')
		.trim();
	const columns = text.split(',').map((h) => h.trim());
	// A table of targets has a year; a table of values a period.
	const expected = columns.includes('year') ? TARGET_CSV_COLUMNS : INDICATOR_CSV_COLUMNS;
	const missing = expected.filter((c) => !columns.includes(c));
	if (missing.length)
		throw new Error(
			`CSV table without column(s) ${missing.join(', ')}: expected a header ${INDICATOR_CSV_COLUMNS.join(',')} (values) or ${TARGET_CSV_COLUMNS.join(',')} (targets)`
		);
	return { columns, end: nl < 0 ? bytesRead : nl + 1 };
}

/** A CSV table row as an indicator or target event. */
function csvLineAsEvent(bytes: Buffer, header: string[]): Buffer {
	let record: string[];
	try {
		record = (parseCsv(bytes, { relax_quotes: false }) as string[][])[0] ?? [];
	} catch {
		return bytes; // not JSON either: the parse step refuses it with the raw line
	}
	const o: Record<string, unknown> = { type: header.includes('year') ? 'target' : 'indicator' };
	header.forEach((h, i) => {
		const v = record[i];
		const numeric = (h === 'value' || h === 'year') && v !== undefined && v !== '' && !Number.isNaN(Number(v));
		o[h] = numeric ? Number(v) : h === 'adcode' && /^\d+$/.test(v ?? '') ? Number(v) : v;
	});
	return Buffer.from(JSON.stringify(o));
}

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
