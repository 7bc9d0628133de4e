/**
 * The ingestion worker: runs its sources (ingest/sources/), every line through
 * the steps, buffers rows per table and stores them exactly once (see
 * batch-writer.ts and checkpoints.ts). Bad lines go to `ingest_dead_letter` with
 * their reason; the worker never stops on input.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { process as runSteps, Refusal, type Routed, type StepContext } from '../pipeline/steps.ts';
import { clickhouseDateTime64 as chTime } from '../../src/lib/time/clickhouse-params.ts';
import type { RegionIndex } from '../pipeline/regions.ts';
import { BatchWriter, type SourceState } from './batch-writer.ts';
import { Checkpoints } from './checkpoints.ts';
import { DeadlinePolicy } from '../pipeline/deadlines.ts';
import { utf8Head, type Line } from '../sources/lines.ts';
import { csvLineAsEvent } from '../sources/csv.ts';
import type { FileSourceState, SourceHost } from '../sources/host.ts';
import { followFile } from '../sources/file-follow.ts';
import { watchDropBox } from '../sources/drop-box.ts';
import { readStream } from '../sources/stdin.ts';
import { storedText } from '../../src/lib/privacy/mask.ts';
import { setting } from '../../src/lib/server/config.ts';

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
	/** Store free texts as sent; TIANSHU_KEEP_RAW_TEXT when not given (default: mask personal data). */
	keepRawText?: boolean;
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
	/** What the sources see of this worker. */
	private readonly host: SourceHost;
	private readonly knownItems = new Map<string, string>();
	private lastMetrics = { at: Date.now(), lines: 0 };
	readonly name: string;

	private readonly deadlines: DeadlinePolicy;
	private readonly keepRawText: boolean;

	constructor(private readonly options: WorkerOptions) {
		this.name = options.name ?? `ingest-${process.pid}`;
		this.deadlines = options.deadlines ?? DeadlinePolicy.load();
		this.keepRawText = options.keepRawText ?? setting('TIANSHU_KEEP_RAW_TEXT');
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
		this.host = {
			writer: this.writer,
			checkpoints: this.checkpoints,
			logger: options.logger,
			maxLineBytes: options.maxLineBytes ?? 1024 * 1024,
			stopping: () => this.stopping,
			handleLine: (state, line, csvHeader) => this.handleLine(state, line, csvHeader),
			files: this.fileStates
		};
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
		await this.track(followFile(this.host, path.resolve(file), { ...options, pollMs: this.options.pollMs ?? 250 }));
	}

	/** Processes every file that appears in `dir` once, then moves it to `dir/done`. Names starting with '.' are skipped (write there, then rename). */
	async watchDropBox(dir: string): Promise<void> {
		await this.track(watchDropBox(dir, { pollMs: this.options.pollMs ?? 1000, stopping: () => this.stopping, ingestFile: (file) => this.ingestFile(file) }));
	}

	/** Reads standard input to its end. A crash cannot be resumed (the pipe is gone): the sender replays. */
	async ingestStream(stream: NodeJS.ReadableStream, id: string): Promise<void> {
		await readStream(this.host, stream, id);
	}

	/** Runs a source until it ends; stop() waits for it. */
	private async track(task: Promise<void>): Promise<void> {
		this.running.add(task);
		try {
			await task;
		} finally {
			this.running.delete(task);
		}
	}

	/** Runs the steps on one line: the rows it yields (table, JSON), and the refusal if refused. */
	evaluate(
		sourceId: string,
		line: Line,
		csvHeader: string[] | undefined,
		allowedTypes?: StepContext['allowedTypes']
	): { rows: Array<[string, string]>; refusal?: Refusal; routed?: Routed } {
		const ctx: StepContext = {
			regions: this.options.regions,
			now: this.options.now ?? Date.now,
			source: sourceId,
			deadlines: this.deadlines,
			allowedTypes,
			keepRawText: this.keepRawText
		};
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
				// A refused line's head and the parser's message quote the line: masked as stored texts are.
				detail: storedText(outcome.detail, this.keepRawText),
				type_hint: outcome.typeHint,
				raw: storedText(utf8Head(line.bytes).toString('utf8'), this.keepRawText),
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
