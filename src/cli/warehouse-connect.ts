import { ClickHouseError } from '@clickhouse/client';
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

/** Fails fast with a clear message when the warehouse does not answer or refuses our account. */
export async function connectOrExit(config: WarehouseConfig, database?: string): Promise<Warehouse> {
	let warehouse: Warehouse;
	try {
		warehouse = createWarehouse(config, { database });
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(`tianshu: ${e.message}`);
			process.exit(2);
		}
		throw e;
	}
	const ping = await warehouse.ping();
	if (!ping.success) {
		const hint = config.embedded ? ' (start it with `tianshu warehouse`, or set CLICKHOUSE_URL)' : '';
		console.error(`tianshu: the warehouse at ${config.url} does not answer${hint}: ${String((ping as { error?: Error }).error?.message ?? '')}`);
		await warehouse.close();
		process.exit(1);
	}
	// /ping needs no account: ask once with ours, so a wrong password is told here and not on the first real query
	// (in `default`: Tianshu's database may not exist yet, before `tianshu migrate`).
	const probe = createWarehouse(config, { database: 'default' });
	try {
		await (await probe.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json();
	} catch (e) {
		if (e instanceof ClickHouseError && (e.code === '516' || e.code === '194')) {
			const where = config.credentialsFile ? ` (credentials from ${config.credentialsFile})` : ' (CLICKHOUSE_USER / CLICKHOUSE_PASSWORD)';
			console.error(`tianshu: the warehouse at ${config.url} refused the account ${config.username}${where}: ${e.message}`);
			await warehouse.close();
			process.exit(1);
		}
		// Anything else is for the command to report, on its first real query.
	} finally {
		await probe.close();
	}
	return warehouse;
}
