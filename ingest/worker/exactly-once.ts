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
import { Readable } from 'node:stream';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';

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
	if (await batchStored(warehouse, batch)) return { stored: 0, duplicates: 0, replayed: true };
	let rows = lines;
	const field = EVENT_ID_FIELDS[table];
	if (field) {
		const { unique, ids } = firstOfEachId(lines, field);
		const claims = ids.map((id) => JSON.stringify({ kind: table, id, batch }));
		await insertLines(warehouse, 'event_claims', claims, batch);
		// The same ids keyed by batch: the check below reads this batch's ids from here (migration 0009).
		await insertLines(warehouse, 'event_claim_batches', claims, batch);
		const lost = await claimedFirstElsewhere(warehouse, table, batch);
		rows = lost.size === 0 ? unique : unique.filter((_, i) => !lost.has(ids[i]!));
	}
	if (rows.length > 0) await insertLines(warehouse, table, rows, batch);
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

async function batchStored(warehouse: Warehouse, batch: string): Promise<boolean> {
	const rs = await warehouse.query({
		query: 'SELECT count() AS n FROM ingest_batches WHERE batch = {batch:String}',
		query_params: { batch },
		format: 'JSONEachRow'
	});
	const [row] = await rs.json<{ n: number | string }>();
	return Number(row?.n ?? 0) > 0;
}

/**
 * The ids this batch claimed whose first claim is another batch's. The inner
 * query reads the batch's ids from event_claim_batches by its primary key (kind,
 * batch); the outer one reads only their claims through event_claims' (kind, id).
 * No projection is involved: reading the batch's ids through one once missed a
 * whole part under load (migration 0009).
 */
async function claimedFirstElsewhere(warehouse: Warehouse, kind: string, batch: string): Promise<Set<string>> {
	const rs = await warehouse.query({
		query: `SELECT id FROM event_claims
		        WHERE kind = {kind:String} AND id IN (SELECT id FROM event_claim_batches WHERE kind = {kind:String} AND batch = {batch:String})
		        GROUP BY id
		        HAVING argMin(batch, (_block_number, batch)) != {batch:String}`,
		query_params: { kind, batch },
		format: 'JSONEachRow'
	});
	return new Set((await rs.json<{ id: string }>()).map((r) => r.id));
}

/** One insert of JSON rows under a deduplication token, which every view target honours too. */
async function insertLines(warehouse: Warehouse, table: string, lines: string[], token: string): Promise<void> {
	const result = await warehouse.exec({
		query: `INSERT INTO ${table} FORMAT JSONEachRow`,
		values: Readable.from([lines.join('\n')], { objectMode: false }),
		clickhouse_settings: { insert_deduplication_token: token, insert_deduplicate: 1, deduplicate_blocks_in_dependent_materialized_views: 1 }
	});
	// The reply body is empty; consume it so the socket returns to the pool.
	for await (const _ of result.stream) {
		// drain
	}
}
