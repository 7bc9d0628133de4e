/**
 * The schema of schema/migrations, applied once per test run to a template database
 * (global-setup.ts) and copied from there to each test database (ingestDatabase):
 * 75 CREATEs instead of 178 migration statements, a third of the time, for the 30
 * databases the integration tests make. migrate.test.ts and the other tests that
 * call migrate() still run the migrations themselves.
 *
 * The copy is checked here, once per run: a scratch copy must dump the same schema
 * (SHOW CREATE of every table and view) and hold the same rows as the template, or
 * the run stops.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { readMigrations } from '../../src/lib/server/migrate/migration-files.ts';
import { dumpSchema, migrate } from '../../src/lib/server/migrate/migrator.ts';
import { projectRoot } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { createWarehouse, type Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../../src/lib/server/warehouse/config.ts';

async function rows<T>(warehouse: Warehouse, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
	return (await warehouse.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
}

/** Every table's row count, by name. */
async function counts(warehouse: Warehouse, database: string): Promise<Record<string, number>> {
	const tables = await rows<{ name: string }>(
		warehouse,
		"SELECT name FROM system.tables WHERE database = {db:String} AND engine NOT IN ('View', 'MaterializedView') ORDER BY name",
		{ db: database }
	);
	const out: Record<string, number> = {};
	for (const { name } of tables) out[name] = Number((await rows<{ n: string }>(warehouse, `SELECT count() AS n FROM ${database}.${name}`))[0]!.n);
	return out;
}

/**
 * Migrates a template database on the warehouse at `url` and returns the statements that make an empty database
 * its copy: the tables, the rows the migrations stored (schema_migrations among them), then the views and the
 * materialized views (after the rows, so no view fires on the copy). The template stays for the run.
 */
export async function schemaTemplate(url: string, dataDir: string): Promise<string[]> {
	const config = (database: string) => warehouseConfig({ CLICKHOUSE_URL: url, TIANSHU_WAREHOUSE_DATA: dataDir, CLICKHOUSE_DATABASE: database });
	const template = `schema_template_${randomBytes(4).toString('hex')}`;
	const admin = createWarehouse(config('default'));
	const warehouse = createWarehouse(config(template));
	const scratch = `schema_template_check_${randomBytes(4).toString('hex')}`;
	const copy = createWarehouse(config(scratch));
	try {
		await migrate({ admin, warehouse, database: template, migrations: readMigrations(path.join(projectRoot, 'schema', 'migrations')) });
		const objects = await rows<{ name: string; engine: string; total_rows: string | null }>(
			warehouse,
			"SELECT name, engine, total_rows FROM system.tables WHERE database = {db:String} AND NOT startsWith(name, '.inner') ORDER BY name",
			{ db: template }
		);
		const ddl = async (name: string) => {
			const text = await (await warehouse.query({ query: `SHOW CREATE TABLE ${template}.${name}`, format: 'TabSeparatedRaw' })).text();
			const own = text.trim().replace(new RegExp(`\\b${template}\\.`, 'g'), '');
			if (own.includes(template)) throw new Error(`the template's ${name} names its database where a copy cannot follow:\n${own}`);
			return own;
		};
		const order = (engine: string) => (engine === 'MaterializedView' ? 2 : engine === 'View' ? 1 : 0);
		const statements: string[] = [];
		for (const o of objects.filter((o) => order(o.engine) === 0)) statements.push(await ddl(o.name));
		for (const o of objects.filter((o) => order(o.engine) === 0 && Number(o.total_rows ?? 0) > 0))
			statements.push(`INSERT INTO ${o.name} SELECT * FROM ${template}.${o.name}`);
		// Views may read views: each after the ones it reads, found by trying them in the scratch copy below.
		const views = objects.filter((o) => order(o.engine) > 0).sort((a, b) => order(a.engine) - order(b.engine));
		const pending = await Promise.all(views.map(async (v) => ddl(v.name)));

		await admin.command({ query: `CREATE DATABASE ${scratch}` });
		for (const query of statements) await copy.command({ query });
		while (pending.length) {
			const before = pending.length;
			for (const query of [...pending]) {
				try {
					await copy.command({ query });
				} catch {
					continue;
				}
				statements.push(query);
				pending.splice(pending.indexOf(query), 1);
			}
			if (pending.length === before) throw new Error(`the template's views could not be copied:\n${pending.join('\n\n')}`);
		}
		const [want, got] = [await dumpSchema(warehouse, template), await dumpSchema(copy, scratch)];
		if (got !== want) throw new Error('a copy of the schema template does not dump the same schema as the template');
		const [wantRows, gotRows] = [await counts(warehouse, template), await counts(copy, scratch)];
		if (JSON.stringify(gotRows) !== JSON.stringify(wantRows))
			throw new Error(`a copy of the schema template holds other rows: ${JSON.stringify(gotRows)} against ${JSON.stringify(wantRows)}`);
		return statements;
	} finally {
		await admin.command({ query: `DROP DATABASE IF EXISTS ${scratch}` });
		await Promise.all([admin.close(), warehouse.close(), copy.close()]);
	}
}
