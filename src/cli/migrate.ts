import { writeFileSync } from 'node:fs';
import type { Command } from './command.ts';
import { parseOptions } from './args.ts';
import { migrationsDir, schemaFile } from './paths.ts';
import { configOrExit, connectOrExit } from './warehouse-connect.ts';
import { createLogger } from '../lib/server/log/logger.ts';
import { MigrationError, readMigrations } from '../lib/server/migrate/migration-files.ts';
import { dumpSchema, migrate, statementsOf } from '../lib/server/migrate/migrator.ts';

export const migrateCommand: Command = {
	name: 'migrate',
	summary: 'apply schema migrations',
	usage: `Usage: tianshu migrate [--cluster NAME] [--print] [--dump-schema]

Applies schema/migrations/NNNN_*.sql in order to the warehouse named by
CLICKHOUSE_URL (default: the embedded warehouse) and records each in
schema_migrations. Safe to run twice. Refuses to run when an applied migration's
file has changed: migrations are append-only.

Options:
  --cluster NAME   render the DDL for a ClickHouse cluster: ON CLUSTER NAME,
                   Replicated*MergeTree local tables and Distributed tables
  --print          print the statements that would run and apply nothing
  --dump-schema    after migrating, rewrite schema/schema.sql from the warehouse`,
	async run(args) {
		const opts = parseOptions(args, {
			cluster: { type: 'string' },
			print: { type: 'boolean', default: false },
			'dump-schema': { type: 'boolean', default: false }
		});
		const logger = createLogger('migrate');
		let migrations;
		try {
			migrations = readMigrations(migrationsDir);
		} catch (e) {
			if (e instanceof MigrationError) {
				logger.fatal(e.message);
				return 1;
			}
			throw e;
		}
		const config = configOrExit();
		if (opts.print) {
			const clusterTables = new Set<string>();
			for (const m of migrations) {
				console.log(`-- ${m.name}`);
				for (const sql of statementsOf(m.sql, opts.cluster, clusterTables)) console.log(`${sql};\n`);
			}
			return 0;
		}
		const admin = await connectOrExit(config, 'default');
		const warehouse = await connectOrExit(config);
		try {
			await migrate({ admin, warehouse, database: config.database, migrations, cluster: opts.cluster, logger });
			if (opts['dump-schema']) {
				writeFileSync(schemaFile, await dumpSchema(warehouse, config.database));
				logger.info({ file: schemaFile }, 'schema.sql written');
			}
			return 0;
		} catch (e) {
			if (e instanceof MigrationError) {
				logger.fatal(e.message);
				console.error(`tianshu migrate: ${e.message}`);
				return 1;
			}
			throw e;
		} finally {
			await Promise.all([admin.close(), warehouse.close()]);
		}
	}
};
