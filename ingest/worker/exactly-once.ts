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
 * 4. the batch is marked stored.
 *
 * A replay of a crashed batch re-sends the same claims (deduplicated), finds the
 * same first claims and so inserts byte-identical rows: the warehouse's per-block
 * (and the embedded warehouse's per-chunk) tokens drop what had landed.
 */
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { batchStored, claimedFirstElsewhere, insertLinesOnce } from '../../src/lib/server/queries/ingest/exactly-once.ts';

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
}

/** Stores `lines` (JSON rows of `table`) exactly once under the token `batch`. Safe to call again after any failure. */
export async function storeBatch(warehouse: Warehouse, table: string, lines: string[], batch: string): Promise<StoreResult> {
	if (lines.length === 0) return { stored: 0, duplicates: 0, replayed: false };
	if (await batchStored({ warehouse }, batch)) return { stored: 0, duplicates: 0, replayed: true };
	let rows = lines;
	const field = EVENT_ID_FIELDS[table];
	if (field) {
		const { unique, ids } = firstOfEachId(lines, field);
		const claims = ids.map((id) => JSON.stringify({ kind: table, id, batch }));
		await insertLinesOnce({ warehouse }, 'event_claims', claims, batch);
		// The same ids keyed by batch: the check below reads this batch's ids from here (migration 0009).
		await insertLinesOnce({ warehouse }, 'event_claim_batches', claims, batch);
		const lost = await claimedFirstElsewhere({ warehouse }, table, batch);
		rows = lost.size === 0 ? unique : unique.filter((_, i) => !lost.has(ids[i]!));
	}
	if (rows.length > 0) await insertLinesOnce({ warehouse }, table, rows, batch);
	await warehouse.insert({ table: 'ingest_batches', values: [{ batch }], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: batch } });
	return { stored: rows.length, duplicates: lines.length - rows.length, replayed: false };
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
