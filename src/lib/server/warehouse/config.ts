/**
 * Where the warehouse is and who we are to it. One code path for a laptop and a
 * cluster: without CLICKHOUSE_URL, the embedded warehouse on loopback; with it,
 * any ClickHouse. Accounts: CLICKHOUSE_USER/CLICKHOUSE_PASSWORD when set (a real
 * server); otherwise the embedded warehouse's own credentials file, found in its
 * data directory, for the role asked (the web reads, everything else writes).
 */
import { ConfigError, DEFAULT_DATABASE, DEFAULT_WAREHOUSE_PORT, processEnv, settings, type Env } from '../config.ts';
import { ACCOUNT_NAMES, CredentialsError, credentialsPath, readCredentials, type WarehouseRole } from './credentials.ts';

export { ConfigError } from '../config.ts';

export type { WarehouseRole } from './credentials.ts';

export const DEFAULT_WAREHOUSE_DATA = './data/warehouse';
export { DEFAULT_DATABASE, DEFAULT_WAREHOUSE_PORT };

const WAREHOUSE_VARIABLES = [
	'CLICKHOUSE_URL',
	'CLICKHOUSE_USER',
	'CLICKHOUSE_PASSWORD',
	'TIANSHU_WAREHOUSE_DATA',
	'CLICKHOUSE_DATABASE',
	'TIANSHU_WAREHOUSE_PORT'
] as const;

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
	// Checked by the config module (an empty variable means unset); a bad value throws a ConfigError naming it.
	const e = settings(WAREHOUSE_VARIABLES, env);
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
