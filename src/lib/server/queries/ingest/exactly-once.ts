/**
 * The statements of exactly-once storage (ingest/worker/exactly-once.ts): whether
 * a batch was stored whole, which of a batch's claimed ids another batch claimed
 * first, and the insert under a batch's token. Ingest's own bookkeeping: no
 * region's data is read, so no scope applies.
 */
import { Readable } from 'node:stream';
import type { Warehouse } from '../../warehouse/client.ts';
import { identifier, rows } from '../statement.ts';

type Ctx = { warehouse: Warehouse };

/** Whether the batch `batch` is recorded in ingest_batches (stored whole). */
export async function batchStored(ctx: Ctx, batch: string): Promise<boolean> {
	const [row] = await rows<{ n: number | string }>(ctx, 'SELECT count() AS n FROM ingest_batches WHERE batch = {batch:String}', { batch });
	return Number(row?.n ?? 0) > 0;
}

/** Whether `batch` claimed ids of `kind` before: a replay of a batch that a crash cut short after its claims. */
export async function batchClaimedBefore(ctx: Ctx, kind: string, batch: string): Promise<boolean> {
	const [row] = await rows<{ n: number | string }>(ctx, 'SELECT count() AS n FROM event_claim_batches WHERE kind = {kind:String} AND batch = {batch:String}', {
		kind,
		batch
	});
	return Number(row?.n ?? 0) > 0;
}

/**
 * Whether the warehouse started after `batch` claimed its ids (its uptime is shorter than their age): only a
 * warehouse that stopped uncleanly since can have lost a block whose id its deduplication log kept. No claims
 * found counts as before (the caller then recounts, the safe side).
 */
export async function warehouseStartedSinceClaims(ctx: Ctx, kind: string, batch: string): Promise<boolean> {
	const [row] = await rows<{ before: number | string }>(
		ctx,
		`SELECT min(claimed_at) <= now64(3) - toIntervalSecond(uptime()) AS before FROM event_claims
		 WHERE kind = {kind:String} AND batch = {batch:String}
		   AND id IN (SELECT id FROM event_claim_batches WHERE kind = {kind:String} AND batch = {batch:String})`,
		{ kind, batch }
	);
	return Number(row?.before ?? 1) === 1;
}

/** The ids `batch` claimed (event_claim_batches) that have no row in the raw table `table` (id column `idField`). */
export async function claimedIdsMissingFrom(ctx: Ctx, table: string, idField: string, batch: string): Promise<Set<string>> {
	const missing = await rows<{ id: string }>(
		ctx,
		`SELECT id FROM event_claim_batches WHERE kind = {kind:String} AND batch = {batch:String}
		 AND id NOT IN (SELECT ${identifier(idField)} FROM ${identifier(table)}
		                WHERE ${identifier(idField)} IN (SELECT id FROM event_claim_batches WHERE kind = {kind:String} AND batch = {batch:String}))`,
		{ kind: table, batch }
	);
	return new Set(missing.map((r) => r.id));
}

/** The warehouse database this connection works in. */
export async function currentDatabase(ctx: Ctx): Promise<string> {
	const [row] = await rows<{ db: string }>(ctx, 'SELECT currentDatabase() AS db', {});
	return row!.db;
}

/** Records `batch` as stored whole. */
export async function recordBatch(ctx: Ctx, batch: string): Promise<void> {
	await ctx.warehouse.insert({
		table: 'ingest_batches',
		values: [{ batch }],
		format: 'JSONEachRow',
		clickhouse_settings: { insert_deduplication_token: batch }
	});
}

/**
 * The ids this batch claimed whose first claim is another batch's. The inner
 * query reads the batch's ids from event_claim_batches by its primary key (kind,
 * batch); the outer one reads only their claims through event_claims' (kind, id).
 * No projection is involved: reading the batch's ids through one once missed a
 * whole part under load (migration 0009).
 */
export async function claimedFirstElsewhere(ctx: Ctx, kind: string, batch: string): Promise<Set<string>> {
	const ids = await rows<{ id: string }>(
		ctx,
		`SELECT id FROM event_claims
		 WHERE kind = {kind:String} AND id IN (SELECT id FROM event_claim_batches WHERE kind = {kind:String} AND batch = {batch:String})
		 GROUP BY id
		 HAVING argMin(batch, (_block_number, batch)) != {batch:String}`,
		{ kind, batch }
	);
	return new Set(ids.map((r) => r.id));
}

/**
 * One insert of JSON rows into `table` (one of Tianshu's own tables) under a
 * deduplication token, which every view target honours too.
 */
export async function insertLinesOnce(ctx: Ctx, table: string, lines: string[], token: string): Promise<void> {
	const result = await ctx.warehouse.exec({
		query: `INSERT INTO ${identifier(table)} FORMAT JSONEachRow`,
		values: Readable.from([lines.join('\n')], { objectMode: false }),
		clickhouse_settings: { insert_deduplication_token: token, insert_deduplicate: 1, deduplicate_blocks_in_dependent_materialized_views: 1 }
	});
	// The reply body is empty; consume it so the socket returns to the pool.
	for await (const _ of result.stream) {
		// drain
	}
}
