/**
 * The warehouse client every part of Tianshu uses: the official
 * @clickhouse/client, the same against the embedded warehouse and a cluster.
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { ConfigError, type WarehouseConfig } from './config.ts';

export type Warehouse = ClickHouseClient;

/**
 * Settings every query carries, so results have one shape against any server:
 * ClickHouse 25.8 changed the default of 64-bit integer quoting in JSON. Counts
 * and sums in Tianshu stay far below 2^53, so they come back as JSON numbers.
 */
export const QUERY_SETTINGS = {
	output_format_json_quote_64bit_integers: 0,
	date_time_output_format: 'iso'
} as const;

export interface WarehouseOptions {
	database?: string;
	requestTimeoutMs?: number;
	/** gzip request bodies: worth it for bulk inserts over a network. */
	compressRequest?: boolean;
}

/**
 * A client for the account the config names (its role: the web server reads, the
 * other parts write). Fails with a ConfigError when the embedded warehouse's
 * credentials do not exist yet.
 */
export function createWarehouse(config: WarehouseConfig, options: WarehouseOptions = {}): Warehouse {
	if (config.credentialsMissing) throw new ConfigError(config.credentialsMissing);
	return createClient({
		url: config.url,
		username: config.username,
		password: config.password,
		database: options.database ?? config.database,
		request_timeout: options.requestTimeoutMs ?? 60_000,
		compression: { request: options.compressRequest ?? false, response: false },
		clickhouse_settings: { ...QUERY_SETTINGS },
		application: 'tianshu',
		// Failures reach the caller as errors and are logged there, once, in our log stream.
		log: { level: ClickHouseLogLevel.OFF }
	});
}
