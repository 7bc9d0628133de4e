/**
 * One buffer per table, filled from every source, flushed on size, on a timer and
 * at shutdown. A flush cuts every source at its current position and stores, per
 * source and table, the rows of that byte range as one batch with the token
 * `source:table:start-end` (exactly-once.ts: claims, then rows, each event id
 * once), between an intent and a commit checkpoint.
 * At most one flush runs while the next batch fills; a source that finds both
 * full waits (back-pressure), so memory stays bounded: while the warehouse is
 * away the flush retries with back-off and the sources hold back.
 */
import type { Logger } from 'pino';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { settleResumed, storeBatch, type StoreHooks } from './exactly-once.ts';
import { checkReviewActions } from './review-check.ts';
import type { Checkpoints } from './checkpoints.ts';

export type Table = string;

/** A source as the writer sees it: where it is and what is stored. */
export interface SourceState {
	id: string;
	/** Offset just past the last line taken into the buffers. */
	position: number;
	/** Offset up to which everything is stored. */
	committed: number;
}

interface SourceBatch {
	state: SourceState;
	start: number;
	end: number;
	tables: Map<Table, string[]>;
}

export interface BatchWriterOptions {
	warehouse: Warehouse;
	checkpoints: Checkpoints;
	logger: Logger;
	/** Flush when this many rows are buffered. */
	maxRows?: number;
	/** Flush when this many bytes are buffered (rows as JSON). */
	maxBytes?: number;
	/** Parallel inserts within a flush. */
	insertConcurrency?: number;
	/** Called synchronously when a cut is taken (the sources it covers). */
	onCut?: (sources: string[]) => void;
	/** Called after each stored flush. */
	onFlushed?: () => void;
	/** Called with the number of rows a stored batch dropped as duplicates of events already stored. */
	onDuplicates?: (rows: number, batch: string) => void;
	/** Tests only: a crash injected at an exact step of storing a batch. */
	storeHooks?: StoreHooks;
}

export function dedupToken(source: string, table: Table, start: number, end: number): string {
	return `${source}:${table}:${start}-${end}`;
}

interface SourceBuffer {
	tables: Map<Table, string[]>;
	rows: number;
	bytes: number;
}

export class BatchWriter {
	private buffers = new Map<SourceState, SourceBuffer>();
	private rowsBuffered = 0;
	private bytesBuffered = 0;
	private flushing: Promise<void> | undefined;
	private readonly sources = new Set<SourceState>();
	/** Sources replaying a pending range: cut only at the range's end, by endReplay. */
	private readonly replaying = new Set<SourceState>();
	readonly maxRows: number;
	readonly maxBytes: number;
	private failures = 0;

	constructor(private readonly options: BatchWriterOptions) {
		this.maxRows = options.maxRows ?? 50_000;
		this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
	}

	register(state: SourceState): void {
		this.sources.add(state);
	}

	unregister(state: SourceState): void {
		this.sources.delete(state);
		this.replaying.delete(state);
	}

	/** From now until endReplay, `state` is cut only at the end of its replay. */
	beginReplay(state: SourceState): void {
		this.replaying.add(state);
	}

	/** Stores the replayed range as one batch, exactly as it was cut before the crash. */
	endReplay(state: SourceState): Promise<void> {
		this.replaying.delete(state);
		return this.flush(state);
	}

	get buffered(): { rows: number; bytes: number } {
		return { rows: this.rowsBuffered, bytes: this.bytesBuffered };
	}

	get isFlushing(): boolean {
		return this.flushing !== undefined;
	}

	/** Adds one JSON row for `table` from `state`'s current line. Synchronous: callers advance the position right after. */
	add(state: SourceState, table: Table, json: string): void {
		let buffer = this.buffers.get(state);
		if (!buffer) this.buffers.set(state, (buffer = { tables: new Map(), rows: 0, bytes: 0 }));
		let rows = buffer.tables.get(table);
		if (!rows) buffer.tables.set(table, (rows = []));
		rows.push(json);
		buffer.rows++;
		buffer.bytes += json.length + 1;
		this.rowsBuffered++;
		this.bytesBuffered += json.length + 1;
	}

	get full(): boolean {
		return this.rowsBuffered >= this.maxRows || this.bytesBuffered >= this.maxBytes;
	}

	/** Back-pressure: when the buffers are full, start a flush, waiting first for one already running. */
	async makeRoom(): Promise<void> {
		if (!this.full) return;
		if (this.flushing) await this.flushing;
		if (this.full) void this.flush();
	}

	/**
	 * Cuts every source (or only `only`) at its current position and stores the cut.
	 * Runs after a flush in progress; resolves when stored.
	 */
	flush(only?: SourceState): Promise<void> {
		if (this.flushing) return this.flushing.then(() => this.flush(only));
		const batches: SourceBatch[] = [];
		for (const state of only ? [only] : this.sources) {
			if (state.position <= state.committed || (!only && this.replaying.has(state))) continue;
			const buffer = this.buffers.get(state);
			this.buffers.delete(state);
			if (buffer) {
				this.rowsBuffered -= buffer.rows;
				this.bytesBuffered -= buffer.bytes;
			}
			batches.push({ state, start: state.committed, end: state.position, tables: buffer?.tables ?? new Map() });
		}
		if (batches.length === 0) return Promise.resolve();
		this.options.onCut?.(batches.map((b) => b.state.id));
		this.flushing = this.store(batches).finally(() => {
			this.flushing = undefined;
		});
		return this.flushing;
	}

	/** Stores a cut; retries until the warehouse takes it (the tokens make retries safe). */
	private async store(batches: SourceBatch[]): Promise<void> {
		for (;;) {
			try {
				await this.storeOnce(batches);
				this.failures = 0;
				return;
			} catch (e) {
				this.failures++;
				const wait = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
				this.options.logger.warn({ err: (e as Error).message, retryInMs: wait, attempt: this.failures }, 'storing a batch failed; retrying');
				await new Promise((r) => setTimeout(r, wait));
			}
		}
	}

	private async storeOnce(batches: SourceBatch[]): Promise<void> {
		const { checkpoints } = this.options;
		const withRows = batches.filter((b) => b.tables.size > 0);
		await checkpoints.write(withRows.map((b) => ({ source: b.state.id, committed: b.start, pendingEnd: b.end })));
		// 差评 handling actions their review's state refuses become dead letters (in place, so a retry stores the same rows).
		await checkReviewActions(
			this.options.warehouse,
			withRows.map((b) => ({ source: b.state.id, position: b.start, tables: b.tables }))
		);
		const inserts: Array<() => Promise<void>> = [];
		// Decisions on 差评 after the flush's reviews: migration 0013's views count an upheld appeal with its 差评
		// when either finds the other stored, so a 差评 and its decision in one flush are not stored at once.
		const actionInserts: Array<() => Promise<void>> = [];
		const resumed: Array<{ table: string; batch: string }> = [];
		for (const b of withRows) {
			for (const [table, lines] of b.tables) {
				const token = dedupToken(b.state.id, table, b.start, b.end);
				(table === 'review_actions' ? actionInserts : inserts).push(async () => {
					const result = await storeBatch(this.options.warehouse, table, lines, token, this.options.storeHooks);
					if (result.duplicates > 0) this.options.onDuplicates?.(result.duplicates, token);
					if (result.resumed) resumed.push({ table, batch: token });
				});
			}
		}
		await runLimited(inserts, this.options.insertConcurrency ?? 4);
		await runLimited(actionInserts, this.options.insertConcurrency ?? 4);
		// Batches a crash had cut short: their rollups recounted once every insert of this flush is done.
		await settleResumed(this.options.warehouse, resumed, this.options.logger);
		await checkpoints.write(batches.map((b) => ({ source: b.state.id, committed: b.end, pendingEnd: b.end })));
		for (const b of batches) b.state.committed = b.end;
		this.options.onFlushed?.();
	}
}

async function runLimited(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
	let next = 0;
	const workers = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
		while (next < tasks.length) await tasks[next++]!();
	});
	await Promise.all(workers);
}
