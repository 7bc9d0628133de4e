/**
 * Numbered migrations for the app database (src/lib/server/appdb/migrations/
 * NNNN_verb_object.sql), recorded with their sha256 in `schema_migrations` as the
 * warehouse's are. PostgreSQL has transactional DDL: all pending migrations run in
 * one transaction holding a lock on the record, so a failure leaves nothing half
 * applied and two migrators at once cannot both apply one.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { AppDb } from './client.ts';
import { MigrationError, readMigrations, type MigrationFile } from '../migrate/migration-files.ts';
import { historyProblems, type AppliedMigration } from '../migrate/migrator.ts';

export const APPDB_MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');

export function appDbMigrations(): MigrationFile[] {
	return readMigrations(APPDB_MIGRATIONS_DIR);
}

export interface AppDbMigrateResult {
	applied: string[];
	schemaVersion: number;
}

export async function migrateAppDb(db: AppDb, options: { migrations?: MigrationFile[]; logger?: Logger } = {}): Promise<AppDbMigrateResult> {
	const migrations = options.migrations ?? appDbMigrations();
	await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY,
		name text NOT NULL,
		checksum text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`);
	const applied = await db.transaction(async (tx) => {
		await tx.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE');
		const done = await tx.query<AppliedMigration>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
		const problems = historyProblems(done, migrations).map((p) => p.replace('schema/migrations', 'src/lib/server/appdb/migrations'));
		if (problems.length)
			throw new MigrationError(`refusing to migrate the app database: applied migrations are append-only; add a new one instead.\n  ${problems.join('\n  ')}`);
		const versions = new Set(done.map((d) => d.version));
		const names: string[] = [];
		for (const m of migrations) {
			if (versions.has(m.version)) continue;
			try {
				await tx.query(m.sql);
			} catch (e) {
				throw new MigrationError(`${m.name} failed: ${(e as Error).message}`);
			}
			await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
			names.push(m.name);
		}
		return names;
	});
	const schemaVersion = migrations.at(-1)?.version ?? 0;
	for (const name of applied) options.logger?.info({ migration: name }, 'app database migration applied');
	options.logger?.info({ schemaVersion, applied: applied.length }, applied.length ? 'app database migrated' : 'app database up to date');
	return { applied, schemaVersion };
}
