/**
 * Stores one batch of one table so that every event id counts once, in the raw
 * table and in every rollup fed from it (README, "Exactly once"):
 *
 * 1. a batch already stored whole (`ingest_batches`) is skipped;
 * 2. rows of a table with event ids keep the first row of each id in the batch,
 *    claim those ids in `event_claims` under the batch's token, and keep only the
 *    ids this batch claimed first (the claim committed first: lowest block number);
 * 3. the rows are inserted under the batch's token with view deduplication on, so
 *    a replay is dropped by the raw table and by every view target alike;
 * 4. the batch is marked stored — unless it had claimed before (a replay after a
 *    crash), which settleResumed finishes: the raw table is checked id by id and the
 *    rollups are recounted from it first.
 *
 * A replay of a crashed batch re-sends the same claims (deduplicated), finds the
 * same first claims and so inserts byte-identical rows: the warehouse's per-block
 * (and the embedded warehouse's per-chunk) tokens drop what had landed.
 */
import type { Logger } from 'pino';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import {
	batchClaimedBefore,
	batchStored,
	claimedFirstElsewhere,
	currentDatabase,
	claimedIdsMissingFrom,
	insertLinesOnce,
	recordBatch,
	warehouseStartedSinceClaims
} from '../../src/lib/server/queries/ingest/exactly-once.ts';
import { materializedViews } from '../../src/lib/server/queries/rollups/rebuild.ts';

/** Raw tables whose rows are claimed, and their event id field. The others (replacing tables, dead letters) have no rollups to double. */
export const EVENT_ID_FIELDS: Readonly<Record<string, string>> = {
	case_events: 'event_id',
	hotline_events: 'event_id',
	reviews: 'review_id',
	review_actions: 'action_id',
	risk_warnings: 'warning_id'
};

export interface StoreResult {
	/** Rows inserted (or replayed into the warehouse's deduplication). */
	stored: number;
	/** Rows dropped: an id seen earlier in the batch, or claimed first by another batch. */
	duplicates: number;
	/** The whole batch had been stored before. */
	replayed: boolean;
	/**
	 * The batch had claimed its ids before a warehouse restart (a crash of the
	 * warehouse cut it short after that): it is stored but NOT yet recorded; the caller passes it to settleResumed, which
	 * recounts the rollups of its table and then records it.
	 */
	resumed: boolean;
}

/** Tests only: a crash injected at an exact step of storeBatch (throw from it). */
export interface StoreHooks {
	/** After the rows are inserted, before the batch is recorded. */
	afterInsert?: (table: string, batch: string) => Promise<void>;
}

/**
 * Stores `lines` (JSON rows of `table`) exactly once under the token `batch`. Safe to call again after any failure.
 * A resumed batch (see StoreResult) is left for settleResumed.
 */
export async function storeBatch(warehouse: Warehouse, table: string, lines: string[], batch: string, hooks: StoreHooks = {}): Promise<StoreResult> {
	if (lines.length === 0) return { stored: 0, duplicates: 0, replayed: false, resumed: false };
	if (await batchStored({ warehouse }, batch)) return { stored: 0, duplicates: 0, replayed: true, resumed: false };
	let rows = lines;
	let resumed = false;
	const field = EVENT_ID_FIELDS[table];
	if (field) {
		const { unique, ids } = firstOfEachId(lines, field);
		// A replay after a crash that the warehouse itself went through (it restarted since the batch's claims).
		resumed = (await batchClaimedBefore({ warehouse }, table, batch)) && (await warehouseStartedSinceClaims({ warehouse }, table, batch));
		const claims = ids.map((id) => JSON.stringify({ kind: table, id, batch }));
		await insertLinesOnce({ warehouse }, 'event_claims', claims, batch);
		// The same ids keyed by batch: the check below reads this batch's ids from here (migration 0009).
		await insertLinesOnce({ warehouse }, 'event_claim_batches', claims, batch);
		const lost = await claimedFirstElsewhere({ warehouse }, table, batch);
		const kept = lost.size === 0 ? ids : ids.filter((id) => !lost.has(id));
		rows = lost.size === 0 ? unique : unique.filter((_, i) => !lost.has(ids[i]!));
		if (rows.length > 0) await insertLinesOnce({ warehouse }, table, rows, batch);
		if (resumed && rows.length > 0) {
			// A warehouse killed between writing a block's id to a table's deduplication log and committing the part
			// keeps the id without the rows: that table drops every replay of the block as a duplicate, for good.
			// The raw table is checked id by id and given what it lacks under a new token; the rollups are recounted
			// from it by settleResumed.
			const missing = await claimedIdsMissingFrom({ warehouse }, table, field, batch);
			if (missing.size > 0)
				await insertLinesOnce(
					{ warehouse },
					table,
					rows.filter((_, i) => missing.has(kept[i]!)),
					`${batch}:again`
				);
		}
	} else if (rows.length > 0) await insertLinesOnce({ warehouse }, table, rows, batch);
	await hooks.afterInsert?.(table, batch);
	if (!resumed) await recordBatch({ warehouse }, batch);
	return { stored: rows.length, duplicates: lines.length - rows.length, replayed: false, resumed };
}

/**
 * Finishes resumed batches: recounts every rollup fed (directly or through other rollups) by their tables from the
 * raw tables, then records the batches. A rollup that dropped a replayed block it never held (see storeBatch) is
 * right again; a crash during the recount leaves the batches unrecorded, so the next replay recounts again.
 * Run it with no other insert of this worker in flight: rows stored into a rollup while it is rebuilt would be
 * replaced by the rebuilt partition.
 */
export async function settleResumed(warehouse: Warehouse, resumed: Array<{ table: string; batch: string }>, logger?: Logger): Promise<void> {
	if (resumed.length === 0) return;
	const database = await currentDatabase({ warehouse });
	const raw = new Set(resumed.map((r) => r.table));
	const rollups = [...new Set((await materializedViews({ warehouse }, database)).filter((v) => raw.has(v.source)).map((v) => v.target))];
	if (rollups.length > 0) {
		// Loaded here: the rebuild command imports EVENT_ID_FIELDS from this module.
		const { rebuildRollups } = await import('../../src/cli/rollups.ts');
		const result = await rebuildRollups(warehouse, { database, tables: rollups, force: true, logger });
		logger?.warn({ tables: [...raw], rollups: result.rollups }, 'a batch cut short by a crash was replayed: its rollups were recounted from the raw tables');
	}
	for (const r of resumed) await recordBatch({ warehouse }, r.batch);
}

/** The first row of each id, in order, with the ids. A row without an id (impossible after validation) is kept under its own text. */
export function firstOfEachId(lines: string[], field: string): { unique: string[]; ids: string[] } {
	const seen = new Set<string>();
	const unique: string[] = [];
	const ids: string[] = [];
	for (const line of lines) {
		const value = (JSON.parse(line) as Record<string, unknown>)[field];
		const id = typeof value === 'string' ? value : line;
		if (seen.has(id)) continue;
		seen.add(id);
		unique.push(line);
		ids.push(id);
	}
	return { unique, ids };
}
