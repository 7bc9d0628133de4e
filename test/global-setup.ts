/**
 * One real embedded warehouse per test run, in a temporary directory on a free
 * port. Test files get its URL with inject('warehouseUrl') and isolate themselves
 * in databases of their own. Its accounts are in the directory's credentials
 * file: TIANSHU_WAREHOUSE_DATA, set here for the test processes and the CLI
 * commands they start, tells warehouseConfig where to find them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { spawnWarehouse } from '../src/lib/server/warehouse/embedded/spawn.ts';
import { schemaTemplate } from './helpers/schema-template.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		warehouseUrl: string;
		warehouseDir: string;
		warehousePid: number;
		/** The statements that make an empty database a migrated one (test/helpers/schema-template.ts). */
		schemaTemplate: string[];
	}
}

export default async function setup(project: TestProject) {
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-test-warehouse-'));
	// Small insert chunks, so every large insert in the tests crosses chunk boundaries.
	const warehouse = await spawnWarehouse(dir, { env: { TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB: '1' } });
	process.env.TIANSHU_WAREHOUSE_DATA = warehouse.dir;
	project.provide('warehouseUrl', warehouse.url);
	project.provide('warehouseDir', dir);
	project.provide('warehousePid', warehouse.pid);
	try {
		project.provide('schemaTemplate', await schemaTemplate(warehouse.url, dir));
	} catch (e) {
		await warehouse.stop();
		rmSync(dir, { recursive: true, force: true });
		throw e;
	}
	return async () => {
		const code = await warehouse.stop();
		rmSync(dir, { recursive: true, force: true });
		if (code !== 0) throw new Error(`the test warehouse exited with ${code} on SIGTERM (expected a clean stop)`);
	};
}
