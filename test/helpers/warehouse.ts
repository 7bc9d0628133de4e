import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createWarehouse, type Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { warehouseConfig, type WarehouseConfig, type WarehouseRole } from '../../src/lib/server/warehouse/config.ts';

/** The run's warehouse as the writer (or the reader), with the accounts from its credentials file. */
export function testConfig(database = 'default', role: WarehouseRole = 'writer'): WarehouseConfig {
	return warehouseConfig({ CLICKHOUSE_URL: inject('warehouseUrl'), TIANSHU_WAREHOUSE_DATA: inject('warehouseDir'), CLICKHOUSE_DATABASE: database }, role);
}

/** A client on a fresh database of its own, so test files never see each other's tables. */
export async function freshDatabase(
	prefix: string
): Promise<{ database: string; warehouse: Warehouse; admin: Warehouse; config: WarehouseConfig; drop(): Promise<void> }> {
	const database = `${prefix}_${randomBytes(4).toString('hex')}`;
	const config = testConfig(database);
	const admin = createWarehouse(testConfig('default'));
	await admin.command({ query: `CREATE DATABASE ${database}` });
	const warehouse = createWarehouse(config);
	return {
		database,
		warehouse,
		admin,
		config,
		async drop() {
			await warehouse.close();
			await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
			await admin.close();
		}
	};
}
