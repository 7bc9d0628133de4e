import { ConfigError, warehouseConfig, type WarehouseConfig } from '../lib/server/warehouse/config.ts';
import { createWarehouse, type Warehouse } from '../lib/server/warehouse/client.ts';

/** Config from the environment; a bad value is printed and exits with status 2. */
export function configOrExit(): WarehouseConfig {
	try {
		return warehouseConfig();
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(`tianshu: ${e.message}`);
			process.exit(2);
		}
		throw e;
	}
}

/** Fails fast with a clear message when the warehouse does not answer. */
export async function connectOrExit(config: WarehouseConfig, database?: string): Promise<Warehouse> {
	const warehouse = createWarehouse(config, { database });
	const ping = await warehouse.ping();
	if (!ping.success) {
		const hint = config.embedded ? ' (start it with `tianshu warehouse`, or set CLICKHOUSE_URL)' : '';
		console.error(`tianshu: the warehouse at ${config.url} does not answer${hint}: ${String((ping as { error?: Error }).error?.message ?? '')}`);
		await warehouse.close();
		process.exit(1);
	}
	return warehouse;
}
