/**
 * Where each source is, kept in the warehouse next to the data. A flush first
 * records its intent — the byte range [committed, pending_end) it is about to
 * store — then stores it, then commits. A restart replays exactly a pending range,
 * so the batches come out identical and their dedup tokens make the warehouse
 * drop what had already landed.
 */
import type { Logger } from 'pino';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { latestCheckpoint } from '../../src/lib/server/queries/ingest/checkpoints.ts';

export interface Checkpoint {
	committed: number;
	pendingEnd: number;
}

let lastVersion = 0;
/** Strictly increasing across calls in this process (ms × 1000 + sequence). */
function nextVersion(): number {
	lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
	return lastVersion;
}

export class Checkpoints {
	constructor(
		private readonly warehouse: Warehouse,
		private readonly logger?: Logger
	) {}

	/** Where `source` is. While the warehouse is away, waits for it (with back-off): a source cannot start without its checkpoint. */
	async read(source: string): Promise<Checkpoint> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await this.readOnce(source);
			} catch (e) {
				const wait = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
				this.logger?.warn({ err: (e as Error).message, source, retryInMs: wait, attempt }, 'reading a checkpoint failed; retrying');
				await new Promise((r) => setTimeout(r, wait));
			}
		}
	}

	private async readOnce(source: string): Promise<Checkpoint> {
		const row = await latestCheckpoint({ warehouse: this.warehouse }, source);
		return row ? { committed: row.committed, pendingEnd: Math.max(row.pending_end, row.committed) } : { committed: 0, pendingEnd: 0 };
	}

	async write(entries: Array<{ source: string; committed: number; pendingEnd: number }>): Promise<void> {
		if (entries.length === 0) return;
		const now = Date.now();
		await this.warehouse.insert({
			table: 'ingest_checkpoints',
			values: entries.map((e) => ({ source: e.source, committed: e.committed, pending_end: e.pendingEnd, version: nextVersion(), updated_at: now })),
			format: 'JSONEachRow'
		});
	}
}
