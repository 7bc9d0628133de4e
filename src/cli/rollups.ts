/**
 * `tianshu rollups rebuild`: recomputes the rollups (the tables materialized
 * views feed) from the raw tables, each event id counted once. The views are read
 * from the warehouse itself, so a rollup added by a later migration is covered
 * without a change here.
 */
import type { Logger } from 'pino';
import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions } from './args.ts';
import { configOrExit, connectOrExit } from './warehouse-connect.ts';
import { createLogger } from '../lib/server/log/logger.ts';
import type { Warehouse } from '../lib/server/warehouse/client.ts';
import { EVENT_ID_FIELDS } from '../../ingest/worker/exactly-once.ts';
import {
	activePartitions,
	columnsOf,
	copyFirstOfEachId,
	createTableLike,
	dropPartition,
	dropTableIfExists,
	insertViewQuery,
	materializedViews,
	partitionsWithRepeatedIds,
	replacePartition,
	truncateTable,
	ttlDaysOf,
	watermarkUpdatesWithin,
	type View
} from '../lib/server/queries/rollups/rebuild.ts';

/** Work tables are named after their table with this suffix; a rebuild that stopped half-way leaves them, and the next one starts them afresh. */
const ASIDE = '__rebuild';
/** A rebuild while ingest stores data would miss those rows: refused when ingest stored a batch this recently. */
const INGEST_QUIET_S = 30;

export class RebuildRefused extends Error {}

export interface RebuildOptions {
	database: string;
	/** Rollups to rebuild (with those chained on them); all when empty. */
	tables?: string[];
	force?: boolean;
	logger?: Logger;
}

export async function rebuildRollups(warehouse: Warehouse, options: RebuildOptions): Promise<{ rollups: string[]; duplicatesRemoved: number }> {
	const { database, logger } = options;
	const views = await materializedViews({ warehouse }, database);
	const targets = new Set(views.map((v) => v.target));
	const unknown = (options.tables ?? []).filter((t) => !targets.has(t));
	if (unknown.length) throw new RebuildRefused(`not a rollup: ${unknown.join(', ')} (rollups: ${[...targets].sort().join(', ')})`);
	if (!options.force) await refuseWhileIngesting(warehouse);

	const chosen = withDownstream(options.tables?.length ? options.tables : [...targets], views);
	const order = upstreamFirst(chosen, views);
	const raw = new Set(order.flatMap((t) => views.filter((v) => v.target === t && !targets.has(v.source)).map((v) => v.source)));
	let duplicatesRemoved = 0;
	for (const table of raw) duplicatesRemoved += await dedupeRaw(warehouse, table, logger);
	for (const target of order) {
		await buildAside(warehouse, target, views, targets);
		await swapIn(warehouse, target);
		logger?.info({ rollup: target }, 'rollup rebuilt');
	}
	return { rollups: order, duplicatesRemoved };
}

/** The chosen rollups and every rollup fed, directly or not, from them. */
function withDownstream(chosen: string[], views: View[]): Set<string> {
	const out = new Set(chosen);
	let size = -1;
	while (out.size !== size) {
		size = out.size;
		for (const v of views) if (out.has(v.source)) out.add(v.target);
	}
	return out;
}

/** Rollups ordered so that a rollup comes after every rollup its views read. */
function upstreamFirst(chosen: Set<string>, views: View[]): string[] {
	const order: string[] = [];
	const visit = (t: string, path: string[]) => {
		if (order.includes(t)) return;
		if (path.includes(t)) throw new Error(`rollups feed each other in a cycle: ${[...path, t].join(' → ')}`);
		for (const v of views) if (v.target === t && chosen.has(v.source)) visit(v.source, [...path, t]);
		order.push(t);
	};
	for (const t of [...chosen].sort()) visit(t, []);
	return order;
}

async function refuseWhileIngesting(warehouse: Warehouse): Promise<void> {
	if ((await watermarkUpdatesWithin({ warehouse }, INGEST_QUIET_S)) > 0) {
		throw new RebuildRefused(
			`ingest stored data in the last ${INGEST_QUIET_S} s: stop the ingest worker first (rows stored during a rebuild would be missing from it), or pass --force`
		);
	}
}

/** Rewrites each partition of a raw table that holds an event id more than once, keeping one row per id. Returns the rows removed. */
async function dedupeRaw(warehouse: Warehouse, table: string, logger?: Logger): Promise<number> {
	const id = EVENT_ID_FIELDS[table];
	if (!id) return 0;
	const ctx = { warehouse };
	const partitions = await partitionsWithRepeatedIds(ctx, table, id);
	if (partitions.length === 0) return 0;
	const aside = `${table}${ASIDE}`;
	await dropTableIfExists(ctx, aside);
	await createTableLike(ctx, aside, table);
	let removed = 0;
	try {
		for (const { partition, extra } of partitions) {
			await copyFirstOfEachId(ctx, { into: aside, from: table, idField: id, partition });
			// Replacing a partition fires no view: the rollups are rebuilt next.
			await replacePartition(ctx, table, partition, aside);
			await truncateTable(ctx, aside);
			removed += Number(extra);
			logger?.info({ table, partition, removed: Number(extra) }, 'duplicate raw rows removed');
		}
	} finally {
		await dropTableIfExists(ctx, aside);
	}
	return removed;
}

/**
 * Fills `<target>__rebuild` from the queries of the views writing into `target`:
 * over the raw table a partition at a time (bounded memory), or, for a view
 * chained on another rollup, over that rollup (rebuilt already when it was
 * chosen: upstream rollups come first). A TTL of N days keeps only its last N days.
 */
async function buildAside(warehouse: Warehouse, target: string, views: View[], targets: Set<string>): Promise<void> {
	const ctx = { warehouse };
	const aside = `${target}${ASIDE}`;
	await dropTableIfExists(ctx, aside);
	await createTableLike(ctx, aside, target);
	const keepDays = await ttlDaysOf(ctx, target);
	for (const view of views.filter((v) => v.target === target)) {
		const columns = await columnsOf(ctx, view.name);
		if (targets.has(view.source)) {
			await insertViewQuery(ctx, { into: aside, columns, view, keepDays });
			continue;
		}
		for (const partition of await activePartitions(ctx, view.source)) {
			await insertViewQuery(ctx, { into: aside, columns, view, keepDays, partition });
		}
	}
}

/** Replaces the rollup's partitions with the rebuilt ones, one atomic swap per partition; drops partitions left empty. */
async function swapIn(warehouse: Warehouse, target: string): Promise<void> {
	const ctx = { warehouse };
	const aside = `${target}${ASIDE}`;
	const rebuilt = new Set(await activePartitions(ctx, aside));
	for (const partition of rebuilt) await replacePartition(ctx, target, partition, aside);
	for (const partition of await activePartitions(ctx, target)) {
		if (!rebuilt.has(partition)) await dropPartition(ctx, target, partition);
	}
	await dropTableIfExists(ctx, aside);
}

export const rollupsCommand: Command = {
	name: 'rollups',
	summary: 'rebuild rollups from the raw tables',
	usage: `Usage: tianshu rollups rebuild [--table NAME]... [--force]

Recomputes rollups (the tables the materialized views feed) from the raw event
tables, each event id counted once:

  1. raw tables: a partition holding the same event id more than once (stored
     before migration 0008) is rewritten with one row per id;
  2. each rollup is built aside from its views' queries, region rollups before
     the city rollups chained on them, then swapped in partition by partition
     (a screen sees the old or the new figures of a month, never half of them).

Stop ingestion first: rows stored while a rollup is rebuilt would be missing
from it. The command refuses when ingest stored a batch in the last ${INGEST_QUIET_S} s.

Options:
  --table NAME  rebuild this rollup (and the rollups chained on it) only; may repeat
  --force       rebuild even though ingest looks active`,
	async run(args) {
		const [sub, ...rest] = args;
		if (sub !== 'rebuild') throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'name a subcommand: rebuild');
		const o = parseOptions(rest, { table: { type: 'string', multiple: true, default: [] }, force: { type: 'boolean', default: false } });
		const logger = createLogger('cli').child({ command: 'rollups' });
		const config = configOrExit();
		const warehouse = await connectOrExit(config);
		try {
			const result = await rebuildRollups(warehouse, { database: config.database, tables: o.table, force: o.force, logger });
			console.log(`rebuilt ${result.rollups.length} rollups (${result.rollups.join(', ')}); duplicate raw rows removed: ${result.duplicatesRemoved}`);
			return 0;
		} catch (e) {
			if (e instanceof RebuildRefused) {
				console.error(`tianshu rollups: ${e.message}`);
				return 1;
			}
			throw e;
		} finally {
			await warehouse.close();
		}
	}
};
