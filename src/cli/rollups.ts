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

/** Work tables are named after their table with this suffix; a rebuild that stopped half-way leaves them, and the next one starts them afresh. */
const ASIDE = '__rebuild';
/** A rebuild while ingest stores data would miss those rows: refused when ingest stored a batch this recently. */
const INGEST_QUIET_S = 30;

interface View {
	name: string;
	source: string;
	target: string;
	select: string;
}

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
	const views = await viewsOf(warehouse, database);
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

/** The materialized views of the database: each one's source, target and query. */
async function viewsOf(warehouse: Warehouse, database: string): Promise<View[]> {
	const rs = await warehouse.query({
		query: `SELECT v.name AS name, v.as_select AS select, v.create_table_query AS ddl, s.name AS source
		        FROM system.tables AS v
		        INNER JOIN (SELECT name, arrayJoin(dependencies_table) AS view FROM system.tables WHERE database = {db:String}) AS s ON s.view = v.name
		        WHERE v.database = {db:String} AND v.engine = 'MaterializedView'
		        ORDER BY v.name`,
		query_params: { db: database },
		format: 'JSONEachRow'
	});
	const rows = await rs.json<{ name: string; select: string; ddl: string; source: string }>();
	return rows.map((r) => {
		const target = new RegExp(`\\bTO\\s+(?:\`?${escape(database)}\`?\\.)?\`?(\\w+)\`?`).exec(r.ddl)?.[1];
		if (!target) throw new Error(`materialized view ${r.name} has no TO table: a rollup is always a view writing into a table of its own`);
		return { name: r.name, source: r.source, target, select: r.select };
	});
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
	const rs = await warehouse.query({
		query: 'SELECT toUInt64(count()) AS n FROM ingest_watermark WHERE updated_at > now64(3) - toIntervalSecond({s:UInt32})',
		query_params: { s: INGEST_QUIET_S },
		format: 'JSONEachRow'
	});
	const [row] = await rs.json<{ n: number }>();
	if (Number(row?.n ?? 0) > 0) {
		throw new RebuildRefused(
			`ingest stored data in the last ${INGEST_QUIET_S} s: stop the ingest worker first (rows stored during a rebuild would be missing from it), or pass --force`
		);
	}
}

/** Rewrites each partition of a raw table that holds an event id more than once, keeping one row per id. Returns the rows removed. */
async function dedupeRaw(warehouse: Warehouse, table: string, logger?: Logger): Promise<number> {
	const id = EVENT_ID_FIELDS[table];
	if (!id) return 0;
	const rs = await warehouse.query({
		query: `SELECT _partition_id AS partition, count() - uniqExact(${id}) AS extra FROM ${table} GROUP BY partition HAVING extra > 0 ORDER BY partition`,
		format: 'JSONEachRow'
	});
	const partitions = await rs.json<{ partition: string; extra: number }>();
	if (partitions.length === 0) return 0;
	const aside = `${table}${ASIDE}`;
	await warehouse.command({ query: `DROP TABLE IF EXISTS ${aside}` });
	await warehouse.command({ query: `CREATE TABLE ${aside} AS ${table}` });
	let removed = 0;
	try {
		for (const { partition, extra } of partitions) {
			await warehouse.command({
				query: `INSERT INTO ${aside} SELECT * FROM ${table} WHERE _partition_id = {p:String} ORDER BY ingested_at LIMIT 1 BY ${id}`,
				query_params: { p: partition },
				clickhouse_settings: { insert_deduplicate: 0 }
			});
			// Replacing a partition fires no view: the rollups are rebuilt next.
			await warehouse.command({ query: `ALTER TABLE ${table} REPLACE PARTITION ID {p:String} FROM ${aside}`, query_params: { p: partition } });
			await warehouse.command({ query: `TRUNCATE TABLE ${aside}` });
			removed += Number(extra);
			logger?.info({ table, partition, removed: Number(extra) }, 'duplicate raw rows removed');
		}
	} finally {
		await warehouse.command({ query: `DROP TABLE IF EXISTS ${aside}` });
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
	const aside = `${target}${ASIDE}`;
	await warehouse.command({ query: `DROP TABLE IF EXISTS ${aside}` });
	await warehouse.command({ query: `CREATE TABLE ${aside} AS ${target}` });
	const ttlDays = await ttlDaysOf(warehouse, target);
	const keep = ttlDays === undefined ? '' : ` WHERE bucket >= now() - toIntervalDay(${ttlDays})`;
	for (const view of views.filter((v) => v.target === target)) {
		// By name: a view's columns are its query's, which need not be in the table's order.
		const columns = (await columnsOf(warehouse, view.name)).map((c) => `\`${c}\``).join(', ');
		if (targets.has(view.source)) {
			await insertAside(warehouse, `INSERT INTO ${aside} (${columns}) SELECT * FROM (${view.select})${keep}`, {});
			continue;
		}
		const from = new RegExp(`\\bFROM\\s+(?:\\w+\\.)?\`?${escape(view.source)}\`?(?=\\s|$)`);
		if (!from.test(view.select)) throw new Error(`cannot find the source of view ${view.name} in its query`);
		const partOf = `FROM (SELECT * FROM ${view.source} WHERE _partition_id = {p:String}) AS ${view.source}`;
		for (const partition of await partitionsOf(warehouse, view.source)) {
			await insertAside(warehouse, `INSERT INTO ${aside} (${columns}) SELECT * FROM (${view.select.replace(from, partOf)})${keep}`, { p: partition });
		}
	}
}

function insertAside(warehouse: Warehouse, query: string, params: Record<string, string>): Promise<unknown> {
	// Blocks of a rebuild are not replays: never drop one as a duplicate of another.
	return warehouse.command({ query, query_params: params, clickhouse_settings: { insert_deduplicate: 0 } });
}

async function columnsOf(warehouse: Warehouse, table: string): Promise<string[]> {
	const rs = await warehouse.query({
		query: 'SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {t:String} ORDER BY position',
		query_params: { t: table },
		format: 'JSONEachRow'
	});
	return (await rs.json<{ name: string }>()).map((r) => r.name);
}

/** Replaces the rollup's partitions with the rebuilt ones, one atomic swap per partition; drops partitions left empty. */
async function swapIn(warehouse: Warehouse, target: string): Promise<void> {
	const aside = `${target}${ASIDE}`;
	const rebuilt = new Set(await partitionsOf(warehouse, aside));
	for (const partition of rebuilt)
		await warehouse.command({ query: `ALTER TABLE ${target} REPLACE PARTITION ID {p:String} FROM ${aside}`, query_params: { p: partition } });
	for (const partition of await partitionsOf(warehouse, target)) {
		if (!rebuilt.has(partition)) await warehouse.command({ query: `ALTER TABLE ${target} DROP PARTITION ID {p:String}`, query_params: { p: partition } });
	}
	await warehouse.command({ query: `DROP TABLE IF EXISTS ${aside}` });
}

async function partitionsOf(warehouse: Warehouse, table: string): Promise<string[]> {
	const rs = await warehouse.query({
		query: 'SELECT DISTINCT partition_id FROM system.parts WHERE database = currentDatabase() AND table = {t:String} AND active ORDER BY partition_id',
		query_params: { t: table },
		format: 'JSONEachRow'
	});
	return (await rs.json<{ partition_id: string }>()).map((r) => r.partition_id);
}

async function ttlDaysOf(warehouse: Warehouse, table: string): Promise<number | undefined> {
	const rs = await warehouse.query({
		query: 'SELECT create_table_query AS ddl FROM system.tables WHERE database = currentDatabase() AND name = {t:String}',
		query_params: { t: table },
		format: 'JSONEachRow'
	});
	const [row] = await rs.json<{ ddl: string }>();
	const days = /\bTTL\s+bucket\s*\+\s*toIntervalDay\((\d+)\)/.exec(row?.ddl ?? '')?.[1];
	return days === undefined ? undefined : Number(days);
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
