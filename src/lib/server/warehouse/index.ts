/**
 * The web server's warehouse connection: one client per process, created on
 * first use from the environment.
 */
import { createWarehouse, type Warehouse } from './client.ts';
import { warehouseConfig, type WarehouseConfig } from './config.ts';

let current: { config: WarehouseConfig; warehouse: Warehouse } | undefined;

export function warehouse(): { config: WarehouseConfig; warehouse: Warehouse } {
	if (!current) {
		const config = warehouseConfig();
		current = { config, warehouse: createWarehouse(config) };
	}
	return current;
}
