/**
 * Where the warehouse is. One code path for a laptop and a cluster: without
 * CLICKHOUSE_URL, the embedded warehouse on loopback; with it, any ClickHouse.
 */
import { z } from 'zod';

export const DEFAULT_WAREHOUSE_DATA = './data/warehouse';
export const DEFAULT_WAREHOUSE_PORT = 8123;
export const DEFAULT_DATABASE = 'tianshu';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

const EnvSchema = z.object({
	CLICKHOUSE_URL: z
		.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://clickhouse.internal:8123' })
		.optional(),
	CLICKHOUSE_USER: z.string().min(1, 'must not be empty when set').default('default'),
	CLICKHOUSE_PASSWORD: z.string().default(''),
	CLICKHOUSE_DATABASE: z
		.string()
		.regex(identifier, 'must be a plain identifier (letters, digits, underscore; not starting with a digit)')
		.default(DEFAULT_DATABASE),
	TIANSHU_WAREHOUSE_PORT: z.coerce
		.number({ error: 'must be a port number' })
		.int('must be a whole number')
		.min(1, 'must be 1–65535')
		.max(65535, 'must be 1–65535')
		.default(DEFAULT_WAREHOUSE_PORT)
});

export interface WarehouseConfig {
	url: string;
	username: string;
	password: string;
	database: string;
	/** True when no CLICKHOUSE_URL is set and Tianshu's embedded warehouse is meant. */
	embedded: boolean;
}

export class ConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

/** Reads and validates the warehouse settings; a bad value fails with a message naming the variable. */
export function warehouseConfig(env: Record<string, string | undefined> = process.env): WarehouseConfig {
	// An empty variable means unset, as shells and .env files produce.
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	const parsed = EnvSchema.safeParse(cleaned);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`invalid warehouse configuration:\n${lines.join('\n')}`);
	}
	const e = parsed.data;
	return {
		url: e.CLICKHOUSE_URL ?? `http://127.0.0.1:${e.TIANSHU_WAREHOUSE_PORT}`,
		username: e.CLICKHOUSE_USER,
		password: e.CLICKHOUSE_PASSWORD,
		database: e.CLICKHOUSE_DATABASE,
		embedded: e.CLICKHOUSE_URL === undefined
	};
}
