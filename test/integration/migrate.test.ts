/**
 * Migrations against the real engine: applied in order, recorded, safe to run
 * twice, refused when history was edited; schema.sql equals their result.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationError, readMigrations } from '../../src/lib/server/migrate/migration-files.ts';
import { appliedMigrations, dumpSchema, migrate, schemaVersion, statementsOf } from '../../src/lib/server/migrate/migrator.ts';
import { freshDatabase } from '../helpers/warehouse.ts';
import { projectRoot } from '../../src/lib/server/warehouse/embedded/spawn.ts';

const migrationsDir = path.join(projectRoot, 'schema', 'migrations');
/** The migration files as the directory lists them, not as the reader under test reads them: 0001_….sql, 0002_….sql, … */
const migrationFiles = () =>
	readdirSync(migrationsDir)
		.filter((f) => f.endsWith('.sql'))
		.sort();
let db: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
	db = await freshDatabase('migrate');
	// migrate() creates the database itself; start from nothing.
	await db.admin.command({ query: `DROP DATABASE ${db.database}` });
});
afterAll(async () => db.drop());

describe('tianshu migrate', () => {
	it('creates the database, applies every migration in order and records it', async () => {
		const migrations = readMigrations(migrationsDir);
		const result = await migrate({ admin: db.admin, warehouse: db.warehouse, database: db.database, migrations });
		const files = migrationFiles();
		expect(files.length).toBeGreaterThan(10);
		expect(result.applied).toEqual(files);
		expect(await schemaVersion(db.warehouse)).toBe(files.length);
		expect(migrations.map((m) => m.version)).toEqual(files.map((f) => Number(f.slice(0, 4))));
		const applied = await appliedMigrations(db.warehouse);
		// Each file's sha256 worked here from its bytes, not by the reader's own checksumOf.
		expect(applied.map((a) => [a.version, a.name, a.checksum])).toEqual(
			files.map((f) => [
				Number(f.slice(0, 4)),
				f,
				createHash('sha256')
					.update(readFileSync(path.join(migrationsDir, f)))
					.digest('hex')
			])
		);
	});

	it('is safe to run twice: the second run applies nothing', async () => {
		const result = await migrate({ admin: db.admin, warehouse: db.warehouse, database: db.database, migrations: readMigrations(migrationsDir) });
		expect(result.applied).toEqual([]);
		expect((await appliedMigrations(db.warehouse)).map((a) => a.name)).toEqual(migrationFiles());
	});

	it('refuses to run when an applied migration was edited, and changes nothing', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-migrations-'));
		try {
			cpSync(migrationsDir, dir, { recursive: true });
			const first = path.join(dir, readMigrations(migrationsDir)[0]!.name);
			writeFileSync(first, readFileSync(first, 'utf8') + '\n-- an edit after the fact\n');
			writeFileSync(path.join(dir, '0099_create_never.sql'), 'CREATE TABLE IF NOT EXISTS never (a UInt8) ENGINE = Memory');
			await expect(readMigrationsAndMigrate(dir)).rejects.toThrow(MigrationError);
			rmSync(path.join(dir, '0099_create_never.sql'));
			const err = await readMigrationsAndMigrate(dir).catch((e: Error) => e);
			expect(err).toBeInstanceOf(MigrationError);
			expect((err as Error).message).toMatch(/0001_create_reference_tables\.sql was changed after it was applied/);
			expect((err as Error).message).toMatch(/add a new migration instead/);
			const tables = await (
				await db.warehouse.query({
					query: "SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'never'",
					format: 'JSONEachRow'
				})
			).json<{ n: number }>();
			expect(tables[0]!.n).toBe(0);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses a gap in the numbering', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-migrations-'));
		try {
			cpSync(migrationsDir, dir, { recursive: true });
			writeFileSync(path.join(dir, '0042_create_gap.sql'), 'SELECT 1');
			expect(() => readMigrations(dir)).toThrow(/0042_create_gap\.sql: expected version/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('keeps schema/schema.sql equal to the result of all migrations', async () => {
		const expected = await dumpSchema(db.warehouse, db.database);
		const file = readFileSync(path.join(projectRoot, 'schema', 'schema.sql'), 'utf8');
		expect(file, 'schema/schema.sql is stale: run `tianshu migrate --dump-schema`').toBe(expected);
	});

	it('every CREATE in a migration is idempotent, so an interrupted run can be repeated', () => {
		for (const m of readMigrations(migrationsDir)) {
			for (const sql of statementsOf(m.sql)) {
				if (/^CREATE\b/i.test(sql))
					expect(sql, `${m.name}: ${sql.slice(0, 60)}`).toMatch(/^CREATE\s+(TABLE|DATABASE|(MATERIALIZED\s+)?VIEW)\s+IF\s+NOT\s+EXISTS\b/i);
			}
		}
	});

	async function readMigrationsAndMigrate(dir: string) {
		return migrate({ admin: db.admin, warehouse: db.warehouse, database: db.database, migrations: readMigrations(dir) });
	}
});
