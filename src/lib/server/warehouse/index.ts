/**
 * The web server's warehouse connection: one client per role and process,
 * created on first use from the environment. The web reads, so 'reader' is the
 * default; it has no business writing.
 */
import { processEnv } from '../config.ts';
import { createWarehouse, type Warehouse } from './client.ts';
import { warehouseConfig, type WarehouseConfig, type WarehouseRole } from './config.ts';

const current = new Map<WarehouseRole, { config: WarehouseConfig; warehouse: Warehouse }>();

export function warehouse(role: WarehouseRole = 'reader'): { config: WarehouseConfig; warehouse: Warehouse } {
	let entry = current.get(role);
	if (!entry) {
		const config = warehouseConfig(processEnv(), role);
		entry = { config, warehouse: createWarehouse(config) };
		current.set(role, entry);
	}
	return entry;
}
