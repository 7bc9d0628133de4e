/**
 * Applies schema/migrations in order and records each in the warehouse
 * (`schema_migrations`). Safe to run twice; refuses to run when a migration
 * that was applied has since been changed or removed.
 *
 * A migration's statements are applied one by one and the migration is recorded
 * after the last; statements must therefore be idempotent (`IF NOT EXISTS`), so
 * a run interrupted half-way can simply be repeated. A test holds every
 * migration to that rule.
 */
import type { Logger } from 'pino';
import type { Warehouse } from '../warehouse/client.ts';
import { renderForCluster } from './cluster.ts';
import { MigrationError, type MigrationFile } from './migration-files.ts';
import { splitStatements } from './sql-statements.ts';

export const MIGRATIONS_TABLE = 'schema_migrations';

const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE}
(
    version UInt32,
    name String,
    checksum String,
    applied_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY version`;

export interface AppliedMigration {
	version: number;
	name: string;
	checksum: string;
}

export interface MigrateOptions {
	/** Client on the `default` database, for CREATE DATABASE. */
	admin: Warehouse;
	/** Client on the target database. */
	warehouse: Warehouse;
	database: string;
	migrations: MigrationFile[];
	cluster?: string;
	logger?: Logger;
}

export interface MigrateResult {
	applied: string[];
	schemaVersion: number;
}

/**
 * The statements a migration runs, rendered for a cluster when one is named.
 * `clusterTables` carries the distributed tables of the migrations before it.
 */
export function statementsOf(sql: string, cluster?: string, clusterTables?: Set<string>): string[] {
	const statements = splitStatements(sql);
	return cluster ? renderForCluster(statements, cluster, clusterTables) : statements.map((s) => s.sql);
}

export async function appliedMigrations(warehouse: Warehouse): Promise<AppliedMigration[]> {
	const rs = await warehouse.query({
		query: `SELECT version, name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY version`,
		format: 'JSONEachRow'
	});
	return rs.json<AppliedMigration>();
}

/** The highest applied migration version, or 0 when none (or the table is missing). */
export async function schemaVersion(warehouse: Warehouse): Promise<number> {
	const rs = await warehouse.query({
		query: `SELECT max(version) AS v FROM ${MIGRATIONS_TABLE}`,
		format: 'JSONEachRow'
	});
	const [row] = await rs.json<{ v: number }>();
	return row?.v ?? 0;
}

/** Every way the applied history disagrees with the files on disk. */
export function historyProblems(applied: AppliedMigration[], files: MigrationFile[]): string[] {
	const byVersion = new Map(files.map((f) => [f.version, f]));
	const problems: string[] = [];
	for (const a of applied) {
		const file = byVersion.get(a.version);
		if (!file) problems.push(`${a.name} was applied but its file is gone from schema/migrations`);
		else if (file.name !== a.name) problems.push(`version ${a.version} was applied as ${a.name} but the file is now ${file.name}`);
		else if (file.checksum !== a.checksum)
			problems.push(`${a.name} was changed after it was applied (recorded sha256 ${a.checksum.slice(0, 12)}…, file ${file.checksum.slice(0, 12)}…)`);
	}
	return problems;
}

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
	const { admin, warehouse, database, migrations, cluster, logger } = options;
	for (const sql of statementsOf(`CREATE DATABASE IF NOT EXISTS ${database}`, cluster)) await admin.command({ query: sql });
	for (const sql of statementsOf(MIGRATIONS_TABLE_DDL, cluster)) await warehouse.command({ query: sql });

	const applied = await appliedMigrations(warehouse);
	const problems = historyProblems(applied, migrations);
	if (problems.length) {
		throw new MigrationError(
			`refusing to migrate ${database}: applied migrations are append-only; add a new migration instead of editing one.\n  ${problems.join('\n  ')}`
		);
	}
	const done = new Set(applied.map((a) => a.version));
	const newlyApplied: string[] = [];
	const clusterTables = new Set<string>();
	for (const migration of migrations) {
		// Rendered even when applied already: later migrations need to know its tables.
		const statements = statementsOf(migration.sql, cluster, clusterTables);
		if (done.has(migration.version)) continue;
		const started = Date.now();
		for (const sql of statements) {
			try {
				await warehouse.command({ query: sql });
			} catch (e) {
				throw new MigrationError(`${migration.name} failed at statement:\n${sql.slice(0, 400)}\n→ ${(e as Error).message}`);
			}
		}
		await warehouse.insert({
			table: MIGRATIONS_TABLE,
			values: [{ version: migration.version, name: migration.name, checksum: migration.checksum, applied_at: Date.now() }],
			format: 'JSONEachRow'
		});
		logger?.info({ migration: migration.name, ms: Date.now() - started }, 'migration applied');
		newlyApplied.push(migration.name);
	}
	const version = migrations.at(-1)?.version ?? 0;
	logger?.info({ database, schemaVersion: version, applied: newlyApplied.length }, newlyApplied.length ? 'schema migrated' : 'schema up to date');
	return { applied: newlyApplied, schemaVersion: version };
}

/** The current schema as readable DDL (the engine's own formatting), for schema/schema.sql. */
export async function dumpSchema(warehouse: Warehouse, database: string): Promise<string> {
	const tables = await (
		await warehouse.query({
			query: `SELECT name FROM system.tables WHERE database = {db:String} AND name != {skip:String} AND NOT is_temporary ORDER BY name`,
			query_params: { db: database, skip: MIGRATIONS_TABLE },
			format: 'JSONEachRow'
		})
	).json<{ name: string }>();
	const parts: string[] = [];
	for (const { name } of tables) {
		const rs = await warehouse.query({
			query: `SHOW CREATE TABLE {db:Identifier}.{table:Identifier}`,
			query_params: { db: database, table: name },
			format: 'TabSeparatedRaw'
		});
		const ddl = (await rs.text()).trim().replace(new RegExp(`\\b${database}\\.`, 'g'), '');
		parts.push(`${ddl};`);
	}
	return [
		'-- Tianshu warehouse schema: the result of applying every migration in',
		'-- schema/migrations, as the engine prints it. Generated by',
		'-- `tianshu migrate --dump-schema`; a test keeps it equal to the migrations.',
		'',
		parts.join('\n\n'),
		''
	].join('\n');
}
