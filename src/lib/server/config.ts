/**
 * Tianshu's configuration: every environment variable any part reads, with its
 * default and its check, in one place. process.env is read here and nowhere
 * else; the parts take their values from `setting()` (one variable) or
 * `config()` (all of them), or pass `processEnv()` to the validators that need
 * several at once (warehouseConfig, appDbConfig, readerLimitsFromEnv). A bad
 * value fails with a message naming the variable, so a part stops at start
 * instead of running on a guess. The README's "Configuration" table lists the
 * same variables (config.test.ts keeps the two in step).
 */
import { z } from 'zod';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

const port = (min: number) =>
	z.coerce.number({ error: 'must be a port number' }).int('must be a whole number').min(min, `must be ${min}–65535`).max(65535, `must be ${min}–65535`);
const positiveInt = (what: string) =>
	z.coerce
		.number({ error: `must be a number of ${what}` })
		.int('must be a whole number')
		.positive('must be above 0');
export const DEFAULT_WAREHOUSE_PORT = 8123;
export const DEFAULT_DATABASE = 'tianshu';

const filePath = z.string().max(4096, 'must be a path of at most 4096 characters');

/**
 * Every variable. Those validated in detail elsewhere (URLs with accounts, reader
 * limits) are plain strings here and checked by the
 * function named in their comment, which takes its input from this module.
 */
const Settings = z.object({
	/** Unset = the embedded warehouse (see warehouseConfig). */
	CLICKHOUSE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://clickhouse.internal:8123' }).optional(),
	CLICKHOUSE_USER: z.string().min(1, 'must not be empty when set').optional(),
	CLICKHOUSE_PASSWORD: z.string().optional(),
	CLICKHOUSE_DATABASE: z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, underscore; not starting with a digit)')
		.default(DEFAULT_DATABASE),
	TIANSHU_WAREHOUSE_DATA: filePath.optional(),
	TIANSHU_WAREHOUSE_PORT: port(1).default(DEFAULT_WAREHOUSE_PORT),
	TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB: z.coerce.number({ error: 'must be a positive number of MiB' }).positive('must be a positive number of MiB').default(64),
	/** What one query of the reader account (the web server) may use: seconds, bytes, rows (see readerLimitsFromEnv). */
	TIANSHU_WAREHOUSE_READER_MAX_EXECUTION_TIME: positiveInt('seconds').max(3600, 'must be at most 3600 s').default(30),
	TIANSHU_WAREHOUSE_READER_MAX_MEMORY_USAGE: positiveInt('bytes')
		.min(1024 ** 2, 'must be at least 1 MiB')
		.default(4 * 1024 ** 3),
	TIANSHU_WAREHOUSE_READER_MAX_RESULT_ROWS: positiveInt('rows').default(1_000_000),
	/** appDbConfig: postgres:// URL; unset = the embedded app database. */
	DATABASE_URL: z.string().optional(),
	TIANSHU_APPDB_DATA: filePath.optional(),
	TIANSHU_APPDB_PORT: port(0).optional(),
	TIANSHU_APPDB_POOL: positiveInt('connections').max(1000, 'must be at most 1000').default(4),
	PORT: port(0).optional(),
	HOST: z.string().max(255, 'must be a host name or address').optional(),
	/** Read by adapter-node itself; listed so the table and this module agree. */
	ORIGIN: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
	LOG_LEVEL: z
		.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' })
		.default('info'),
	TIANSHU_DEADLINES: filePath.optional(),
	/** The drop-box the ingest worker watches for 差评 handling done on /reviews (set by `tianshu start`). */
	TIANSHU_REVIEW_ACTIONS_DIR: filePath.optional(),
	/** The cockpit page checks it as it checks ?adcode= (a 400 in Chinese). */
	TIANSHU_COCKPIT_REGION: z.string().default('0'),
	TIANSHU_COCKPIT_SCENES: filePath.optional(),
	TIANSHU_LIVE_FLOOR_MS: positiveInt('milliseconds').default(1000),
	TIANSHU_LIVE_CEILING_MS: positiveInt('milliseconds').default(15_000),
	/**
	 * The simulated volume, events per second on average: the history `tianshu start` generates on first
	 * start and the live feed after it share it, so 同比 compares like with like. 400 days of history are
	 * ≈ 25 M lines per event/s (the default makes ≈ 2.5 M, a few minutes on 2 cores).
	 */
	TIANSHU_SIMULATE_RATE: z.coerce
		.number({ error: 'must be a number of events per second' })
		.positive('must be above 0')
		.max(1000, 'must be at most 1000 events per second')
		.default(0.1),
	/** Set by `tianshu start` for the web server: the first-start history's progress file (the cockpit's 历史数据加载中 banner). */
	TIANSHU_HISTORY_PROGRESS: filePath.optional(),
	/** Sign-in sessions (src/lib/server/auth): idle and absolute expiry. */
	TIANSHU_SESSION_IDLE_MINUTES: positiveInt('minutes')
		.max(7 * 24 * 60, 'must be at most 10080 (7 days)')
		.default(120),
	TIANSHU_SESSION_MAX_HOURS: positiveInt('hours')
		.max(30 * 24, 'must be at most 720 (30 days)')
		.default(12),
	/** Sign-in limits: failures in a row that lock an account, for how long; failures per address in that time. */
	TIANSHU_LOGIN_MAX_FAILURES: positiveInt('failures').max(100, 'must be at most 100').default(5),
	TIANSHU_LOGIN_LOCKOUT_MINUTES: positiveInt('minutes')
		.max(24 * 60, 'must be at most 1440')
		.default(15),
	TIANSHU_LOGIN_ADDRESS_MAX_FAILURES: positiveInt('failures').max(10_000, 'must be at most 10000').default(30),
	/** Ingest stores free texts (差评 comments, 12345 topics, handling notes) as sent instead of masking personal numbers and e-mail addresses (src/lib/privacy). */
	TIANSHU_KEEP_RAW_TEXT: z.stringbool({ error: 'must be true or false (1 or 0)' }).default(false),
	/** Who may show Tianshu in a frame (CSP frame-ancestors): 'none', 'self', or origins of command-centre portals. */
	TIANSHU_FRAME_ANCESTORS: z
		.string()
		.trim()
		.regex(
			/^(?:'none'|(?:'self'|https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?)(?: +(?:'self'|https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?))*)$/i,
			"must be 'none', or 'self' and/or origins separated by spaces, e.g. 'self' https://portal.gd.gov.cn"
		)
		.default("'none'"),
	/**
	 * 统一身份认证 (OpenID Connect), checked together by oidcSettings (auth/oidc.ts): unset issuer = local
	 * accounts only. The issuer's discovery document is read at the first sign-in through it.
	 */
	TIANSHU_OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the identity provider (its issuer)' }).optional(),
	TIANSHU_OIDC_CLIENT_ID: z.string().min(1).max(255, 'must be at most 255 characters').optional(),
	TIANSHU_OIDC_CLIENT_SECRET: z.string().max(1024, 'must be at most 1024 characters').optional(),
	/** Where the provider sends the browser back: this server's /login/oidc/callback, as registered with the provider. */
	TIANSHU_OIDC_REDIRECT_URI: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL ending in /login/oidc/callback' }).optional(),
	TIANSHU_OIDC_SCOPES: z
		.string()
		.regex(/^openid( [A-Za-z0-9_:.-]+)*$/, "must be scopes separated by spaces, starting with 'openid'")
		.default('openid profile'),
	/** The claim naming the user (the account is sso.<value>). */
	TIANSHU_OIDC_NAME_CLAIM: z
		.string()
		.regex(/^[A-Za-z0-9_:.-]{1,100}$/, 'must be a claim name')
		.default('preferred_username'),
	/** The claim holding the role: a Tianshu role, or a value TIANSHU_OIDC_ROLE_MAP maps to one. */
	TIANSHU_OIDC_ROLE_CLAIM: z
		.string()
		.regex(/^[A-Za-z0-9_:.-]{1,100}$/, 'must be a claim name')
		.default('tianshu_role'),
	/** JSON object: the provider's role value → a Tianshu role, e.g. {"领导":"leader","分析员":"analyst"}. */
	TIANSHU_OIDC_ROLE_MAP: z.string().max(4096, 'must be a JSON object of at most 4096 characters').optional(),
	/** The claim holding the regions: an array of GB/T 2260 codes (0 = the nation) or a comma-separated string. */
	TIANSHU_OIDC_REGIONS_CLAIM: z
		.string()
		.regex(/^[A-Za-z0-9_:.-]{1,100}$/, 'must be a claim name')
		.default('tianshu_regions'),
	/** Set to 1 by `tianshu start` for its children: stop when the supervisor's pipe closes. */
	TIANSHU_SUPERVISED: z.string().optional()
});

export type Config = z.infer<typeof Settings>;
export type SettingName = keyof Config;

/** The names of every variable this module knows, for the README check and for messages. */
export const SETTING_NAMES = Object.keys(Settings.shape) as SettingName[];

/** The process's environment: the one read of process.env in Tianshu. */
export function processEnv(): Env {
	return process.env;
}

/** Hands a value on to code that reads the environment itself (adapter-node reads PORT and HOST; Node reads TZ). */
export function exportToProcess(name: string, value: string): void {
	process.env[name] = value;
}

// An empty variable means unset, as shells and .env files produce.
const given = (env: Env, name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

// Values that may hold a password are never repeated in a message (they end up in logs).
const SECRET: ReadonlySet<string> = new Set(['CLICKHOUSE_URL', 'CLICKHOUSE_PASSWORD', 'DATABASE_URL', 'ORIGIN', 'TIANSHU_OIDC_CLIENT_SECRET']);

const describe = (name: string, message: string, value: string | undefined) =>
	`${name}: ${message}${value === undefined || SECRET.has(name) ? '' : ` (got '${value.length > 80 ? `${value.slice(0, 80)}…` : value}')`}`;

/** One variable, checked, with its default. */
export function setting<K extends SettingName>(name: K, env: Env = processEnv()): Config[K] {
	const value = given(env, name);
	const parsed = Settings.shape[name].safeParse(value);
	if (!parsed.success) throw new ConfigError(`invalid configuration: ${describe(name, parsed.error.issues[0]!.message, value)}`);
	return parsed.data as Config[K];
}

/** Some variables, checked, with defaults; a bad value fails naming every bad variable. */
export function settings<K extends SettingName>(names: readonly K[], env: Env = processEnv()): Pick<Config, K> {
	const cleaned = Object.fromEntries(names.map((n) => [n, given(env, n)]).filter(([, v]) => v !== undefined));
	const shape: Record<string, z.ZodType> = Object.fromEntries(names.map((n) => [n, Settings.shape[n]]));
	const parsed = z.object(shape).safeParse(cleaned);
	if (parsed.success) return parsed.data as Pick<Config, K>;
	const lines = parsed.error.issues.map((i) => {
		const name = String(i.path[0]);
		return `  ${describe(name, i.message, given(env, name))}`;
	});
	throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

/** Every variable, checked, with defaults; a bad value fails naming every bad variable. */
export function config(env: Env = processEnv()): Config {
	return settings(SETTING_NAMES, env);
}
