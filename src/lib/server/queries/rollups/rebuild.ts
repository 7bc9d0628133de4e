/**
 * The statements of `tianshu rollups rebuild` (src/cli/rollups.ts): reading the
 * materialized views, rewriting raw partitions with one row per event id, and
 * building a rollup aside and swapping it in. Values are bound parameters; table
 * and column names cannot be bound in DDL (CREATE … AS, REPLACE PARTITION … FROM,
 * column lists), so they pass through identifier(), which refuses anything but a
 * plain name. A view's own query comes from the warehouse and is run as written.
 */
import type { Warehouse } from '../../warehouse/client.ts';
import { identifier, rows } from '../statement.ts';

type Ctx = { warehouse: Warehouse };

export interface View {
	name: string;
	/** The table the view reads. */
	source: string;
	/** The table the view writes (its TO table). */
	target: string;
	/** The view's query. */
	select: string;
}

/** The materialized views of `database`: each one's source, target and query. */
export async function materializedViews(ctx: Ctx, database: string): Promise<View[]> {
	const views = await rows<{ name: string; select: string; ddl: string; source: string }>(
		ctx,
		`SELECT v.name AS name, v.as_select AS select, v.create_table_query AS ddl, s.name AS source
		 FROM system.tables AS v
		 INNER JOIN (SELECT name, arrayJoin(dependencies_table) AS view FROM system.tables WHERE database = {db:String}) AS s ON s.view = v.name
		 WHERE v.database = {db:String} AND v.engine = 'MaterializedView'
		 ORDER BY v.name`,
		{ db: database }
	);
	return views.map((r) => {
		const target = new RegExp(`\\bTO\\s+(?:\`?${escape(database)}\`?\\.)?\`?(\\w+)\`?`).exec(r.ddl)?.[1];
		if (!target) throw new Error(`materialized view ${r.name} has no TO table: a rollup is always a view writing into a table of its own`);
		return { name: r.name, source: r.source, target, select: r.select };
	});
}

/** How many batches ingest recorded in the last `seconds`. */
export async function watermarkUpdatesWithin(ctx: Ctx, seconds: number): Promise<number> {
	const [row] = await rows<{ n: number | string }>(
		ctx,
		'SELECT toUInt64(count()) AS n FROM ingest_watermark WHERE updated_at > now64(3) - toIntervalSecond({s:UInt32})',
		{ s: seconds }
	);
	return Number(row?.n ?? 0);
}

/** The partitions of a raw table holding an event id more than once, with how many rows too many. */
export function partitionsWithRepeatedIds(ctx: Ctx, table: string, idField: string): Promise<Array<{ partition: string; extra: number }>> {
	return rows(
		ctx,
		`SELECT _partition_id AS partition, count() - uniqExact(${identifier(idField)}) AS extra FROM ${identifier(table)} GROUP BY partition HAVING extra > 0 ORDER BY partition`,
		{}
	);
}

export async function dropTableIfExists(ctx: Ctx, table: string): Promise<void> {
	await ctx.warehouse.command({ query: `DROP TABLE IF EXISTS ${identifier(table)}` });
}

/** An empty table with the structure and engine of `like`. */
export async function createTableLike(ctx: Ctx, table: string, like: string): Promise<void> {
	await ctx.warehouse.command({ query: `CREATE TABLE ${identifier(table)} AS ${identifier(like)}` });
}

export async function truncateTable(ctx: Ctx, table: string): Promise<void> {
	await ctx.warehouse.command({ query: `TRUNCATE TABLE ${identifier(table)}` });
}

/** Copies one partition of `from` into `into`, the first stored row of each id only. */
export async function copyFirstOfEachId(ctx: Ctx, o: { into: string; from: string; idField: string; partition: string }): Promise<void> {
	await ctx.warehouse.command({
		query: `INSERT INTO ${identifier(o.into)} SELECT * FROM ${identifier(o.from)} WHERE _partition_id = {p:String} ORDER BY ingested_at LIMIT 1 BY ${identifier(o.idField)}`,
		query_params: { p: o.partition },
		// Blocks of a rewrite are not replays: never drop one as a duplicate of another.
		clickhouse_settings: { insert_deduplicate: 0 }
	});
}

/** Replaces a partition of `table` with the same partition of `from`, atomically. Fires no view. */
export async function replacePartition(ctx: Ctx, table: string, partition: string, from: string): Promise<void> {
	await ctx.warehouse.command({
		query: `ALTER TABLE ${identifier(table)} REPLACE PARTITION ID {p:String} FROM ${identifier(from)}`,
		query_params: { p: partition }
	});
}

export async function dropPartition(ctx: Ctx, table: string, partition: string): Promise<void> {
	await ctx.warehouse.command({ query: `ALTER TABLE ${identifier(table)} DROP PARTITION ID {p:String}`, query_params: { p: partition } });
}

/**
 * Runs a view's query into `into` (columns by name: a view's columns are its
 * query's, which need not be in the table's order), keeping only rows whose
 * bucket is within `keepDays` when given. With `partition`, the view reads only
 * that partition of its source (bounded memory); without, its whole source.
 */
export async function insertViewQuery(ctx: Ctx, o: { into: string; columns: string[]; view: View; keepDays?: number; partition?: string }): Promise<void> {
	const params: Record<string, string | number> = {};
	let select = o.view.select;
	if (o.partition !== undefined) {
		const from = new RegExp(`\\bFROM\\s+(?:\\w+\\.)?\`?${escape(o.view.source)}\`?(?=\\s|$)`);
		if (!from.test(select)) throw new Error(`cannot find the source of view ${o.view.name} in its query`);
		const source = identifier(o.view.source);
		select = select.replace(from, `FROM (SELECT * FROM ${source} WHERE _partition_id = {p:String}) AS ${source}`);
		params.p = o.partition;
	}
	let keep = '';
	if (o.keepDays !== undefined) {
		keep = ' WHERE bucket >= now() - toIntervalDay({keepDays:UInt32})';
		params.keepDays = o.keepDays;
	}
	const columns = o.columns.map(quotedColumn).join(', ');
	await ctx.warehouse.command({
		query: `INSERT INTO ${identifier(o.into)} (${columns}) SELECT * FROM (${select})${keep}`,
		query_params: params,
		// Blocks of a rebuild are not replays: never drop one as a duplicate of another.
		clickhouse_settings: { insert_deduplicate: 0 }
	});
}

/** A table's columns in order. */
export async function columnsOf(ctx: Ctx, table: string): Promise<string[]> {
	const r = await rows<{ name: string }>(ctx, 'SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {t:String} ORDER BY position', {
		t: table
	});
	return r.map((c) => c.name);
}

/** A table's active partitions, in order. */
export async function activePartitions(ctx: Ctx, table: string): Promise<string[]> {
	const r = await rows<{ partition_id: string }>(
		ctx,
		'SELECT DISTINCT partition_id FROM system.parts WHERE database = currentDatabase() AND table = {t:String} AND active ORDER BY partition_id',
		{ t: table }
	);
	return r.map((p) => p.partition_id);
}

/** The N of a table's `TTL bucket + toIntervalDay(N)`, if it has one. */
export async function ttlDaysOf(ctx: Ctx, table: string): Promise<number | undefined> {
	const [row] = await rows<{ ddl: string }>(
		ctx,
		'SELECT create_table_query AS ddl FROM system.tables WHERE database = currentDatabase() AND name = {t:String}',
		{ t: table }
	);
	const days = /\bTTL\s+bucket\s*\+\s*toIntervalDay\((\d+)\)/.exec(row?.ddl ?? '')?.[1];
	return days === undefined ? undefined : Number(days);
}

/** A column name in backticks (system.columns may hold names that are not plain, e.g. with a dot); one holding a backtick is refused. */
function quotedColumn(name: string): string {
	if (/[`\\]/.test(name)) throw new Error(`column name with a backtick: ${JSON.stringify(name.slice(0, 80))}`);
	return `\`${name}\``;
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
