/**
 * Where the warehouse is and who we are to it. One code path for a laptop and a
 * cluster: without CLICKHOUSE_URL, the embedded warehouse on loopback; with it,
 * any ClickHouse. Accounts: CLICKHOUSE_USER/CLICKHOUSE_PASSWORD when set (a real
 * server); otherwise the embedded warehouse's own credentials file, found in its
 * data directory, for the role asked (the web reads, everything else writes).
 */
import { z } from 'zod';
import { ConfigError, processEnv, type Env } from '../config.ts';
import { ACCOUNT_NAMES, CredentialsError, credentialsPath, readCredentials, type WarehouseRole } from './credentials.ts';

export { ConfigError } from '../config.ts';

export type { WarehouseRole } from './credentials.ts';

export const DEFAULT_WAREHOUSE_DATA = './data/warehouse';
export const DEFAULT_WAREHOUSE_PORT = 8123;
export const DEFAULT_DATABASE = 'tianshu';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

const EnvSchema = z.object({
	CLICKHOUSE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://clickhouse.internal:8123' }).optional(),
	CLICKHOUSE_USER: z.string().min(1, 'must not be empty when set').optional(),
	CLICKHOUSE_PASSWORD: z.string().optional(),
	TIANSHU_WAREHOUSE_DATA: z.string().optional(),
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
	role: WarehouseRole;
	/** The embedded warehouse's credentials file the account came from, when it did. */
	credentialsFile?: string;
	/** Set when that file does not exist yet (the warehouse has never started): connecting fails with this message. */
	credentialsMissing?: string;
}

/**
 * Reads and validates the warehouse settings; a bad value fails with a message naming the variable.
 * TIANSHU_WAREHOUSE_DATA (default ./data/warehouse when CLICKHOUSE_URL is unset) names the embedded
 * warehouse whose credentials file to use; it also serves an embedded warehouse on a URL of its own
 * (the supervisor's children, tests). CLICKHOUSE_USER/CLICKHOUSE_PASSWORD, when set, always win.
 */
export function warehouseConfig(env: Env = processEnv(), role: WarehouseRole = 'writer'): WarehouseConfig {
	// An empty variable means unset, as shells and .env files produce.
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	const parsed = EnvSchema.safeParse(cleaned);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`invalid warehouse configuration:\n${lines.join('\n')}`);
	}
	const e = parsed.data;
	const embedded = e.CLICKHOUSE_URL === undefined;
	const base = { url: e.CLICKHOUSE_URL ?? `http://127.0.0.1:${e.TIANSHU_WAREHOUSE_PORT}`, database: e.CLICKHOUSE_DATABASE, embedded, role };
	if (e.CLICKHOUSE_USER !== undefined || e.CLICKHOUSE_PASSWORD !== undefined) {
		return { ...base, username: e.CLICKHOUSE_USER ?? 'default', password: e.CLICKHOUSE_PASSWORD ?? '' };
	}
	const dataDir = e.TIANSHU_WAREHOUSE_DATA ?? (embedded ? DEFAULT_WAREHOUSE_DATA : undefined);
	if (dataDir === undefined) return { ...base, username: 'default', password: '' };
	const credentialsFile = credentialsPath(dataDir);
	let credentials: ReturnType<typeof readCredentials>;
	try {
		credentials = readCredentials(dataDir);
	} catch (err) {
		if (err instanceof CredentialsError) throw new ConfigError(`invalid warehouse configuration:\n  TIANSHU_WAREHOUSE_DATA: ${err.message}`);
		throw err;
	}
	if (!credentials) {
		return {
			...base,
			username: ACCOUNT_NAMES[role],
			password: '',
			credentialsFile,
			credentialsMissing:
				`no warehouse credentials at ${credentialsFile}: the embedded warehouse makes them at its first start ` +
				`(tianshu warehouse --data ${dataDir}); for a ClickHouse server set CLICKHOUSE_URL, CLICKHOUSE_USER and CLICKHOUSE_PASSWORD`
		};
	}
	return { ...base, username: credentials[role].user, password: credentials[role].password, credentialsFile };
}
