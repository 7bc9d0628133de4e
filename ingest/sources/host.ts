/**
 * What a source needs from the worker that runs it: where lines go, the batch
 * writer and checkpoints for exactly-once, and whether to stop. Sources read and
 * split; the worker evaluates, buffers and counts.
 */
import type { Logger } from 'pino';
import type { BatchWriter, SourceState } from '../worker/batch-writer.ts';
import type { Checkpoints } from '../worker/checkpoints.ts';
import type { Line } from './lines.ts';

/** A source read from a file: its size on disk gives the lag. */
export interface FileSourceState extends SourceState {
	path: string;
	/** Bytes on disk, for lag. */
	size: number;
}

export interface SourceHost {
	readonly writer: BatchWriter;
	readonly checkpoints: Checkpoints;
	readonly logger: Logger;
	readonly maxLineBytes: number;
	/** True once the worker is stopping: followers finish, loops end. */
	stopping(): boolean;
	/** Runs the steps on one line and buffers the outcome (synchronous: the position moves with the rows). */
	handleLine(state: SourceState, line: Line, csvHeader: string[] | undefined): void;
	/** File sources in progress, for the lag in the metrics. */
	readonly files: Set<FileSourceState>;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
