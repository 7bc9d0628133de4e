/**
 * What the reader account (the web server) may do, and what GET may do for
 * anyone: read, within limits it cannot lift.
 *
 * The engine enforces it: a reader's connections are set up with the limits and
 * then `readonly = 1` last, after which chDB refuses writes, DDL, SYSTEM, SET and
 * SETTINGS clauses, and every table function that reaches files, URLs, processes
 * or other servers (measured on chDB 3.4 / ClickHouse 26.7, see
 * test/integration/warehouse-door.test.ts). GET gets `readonly = 2`, ClickHouse's
 * own rule. What readonly mode still lets through in chDB — `INTO OUTFILE`,
 * several statements in one request, KILL QUERY, DESCRIBE over a file — is
 * refused by the statement check below, which is also a second line for the rest.
 */
import { settings, type Env } from '../../config.ts';
import { ErrorCode, WarehouseError } from './errors.ts';
import { tokenize } from './sql-tokens.ts';

export interface ReaderLimits {
	/** Seconds one query may run. */
	maxExecutionTime: number;
	/** Bytes of memory one query may use. */
	maxMemoryUsage: number;
	/** Rows one result may have. */
	maxResultRows: number;
}

const READER_LIMIT_NAMES = [
	'TIANSHU_WAREHOUSE_READER_MAX_EXECUTION_TIME',
	'TIANSHU_WAREHOUSE_READER_MAX_MEMORY_USAGE',
	'TIANSHU_WAREHOUSE_READER_MAX_RESULT_ROWS'
] as const;

/** The reader's limits from TIANSHU_WAREHOUSE_READER_* (checked by ../../config.ts); a bad value throws a message naming the variable. */
export function readerLimitsFromEnv(env: Env): ReaderLimits {
	const e = settings(READER_LIMIT_NAMES, env);
	return {
		maxExecutionTime: e.TIANSHU_WAREHOUSE_READER_MAX_EXECUTION_TIME,
		maxMemoryUsage: e.TIANSHU_WAREHOUSE_READER_MAX_MEMORY_USAGE,
		maxResultRows: e.TIANSHU_WAREHOUSE_READER_MAX_RESULT_ROWS
	};
}

/** 30 s, 4 GiB, 1 000 000 rows: the defaults config.ts gives. */
export const DEFAULT_READER_LIMITS: ReaderLimits = readerLimitsFromEnv({});

/**
 * URL settings the reader may send: how results are written, nothing more.
 * Exact names: some output settings write files (output_format_schema) or read
 * them (format_template_*), so no family is allowed wholesale.
 */
export const READER_URL_SETTINGS: ReadonlySet<string> = new Set([
	'output_format_json_quote_64bit_integers',
	'output_format_json_quote_64bit_floats',
	'output_format_json_quote_decimals',
	'output_format_json_quote_denormals',
	'output_format_json_named_tuples_as_objects',
	'output_format_json_escape_forward_slashes',
	'output_format_write_statistics',
	'output_format_decimal_trailing_zeros',
	'date_time_output_format',
	'session_timezone'
]);

/**
 * The settings a query runs under. The reader: its allowed URL settings, then
 * the limits, then `readonly = 1` last (nothing can be changed after it). GET for
 * the writer: its settings, then `readonly = 2` (or 1 if it asked for 1).
 */
export function sessionSettings(
	role: 'reader' | 'writer',
	method: string,
	settings: Record<string, string>,
	limits: ReaderLimits
): Record<string, string> | WarehouseError {
	if (role === 'writer') {
		if (method !== 'GET') return settings;
		const { readonly, ...rest } = settings;
		return { ...rest, readonly: readonly === '1' ? '1' : '2' };
	}
	const allowed: Record<string, string> = {};
	for (const [name, value] of Object.entries(settings)) {
		if (!READER_URL_SETTINGS.has(name)) {
			return new WarehouseError(
				ErrorCode.READONLY,
				`Cannot modify '${name}' setting in readonly mode (the reader account may set only output format settings)`
			);
		}
		allowed[name] = value;
	}
	return {
		...allowed,
		max_execution_time: String(limits.maxExecutionTime),
		max_memory_usage: String(limits.maxMemoryUsage),
		max_result_rows: String(limits.maxResultRows),
		result_overflow_mode: 'throw',
		allow_ddl: '0',
		allow_introspection_functions: '0',
		readonly: '1'
	};
}

const READ_STATEMENTS = new Set(['select', 'with', 'show', 'describe', 'desc', 'exists']);

/**
 * Table functions and functions that reach outside the warehouse (files, URLs,
 * object stores, other servers and databases, processes, the host's Python):
 * whole families by prefix, so new members are covered too.
 */
const OUTSIDE =
	/^(file|url|s3|gcs|oss|cosn|hdfs|azure|remote|cluster|executable|mysql|postgres|jdbc|odbc|sqlite|mongo|redis|iceberg|deltalake|hudi|paimon|datalake|hive|kafka|nats|rabbitmq|python|arrow|ytsaurus|prometheus|timeseries|catboost)/;
const OUTSIDE_EXACT = new Set(['input', 'eval']);

/** Why a statement is not a plain read, or undefined when it is one. */
export function readOnlyViolation(sql: string): WarehouseError | undefined {
	const tokens = tokenize(sql);
	if (!tokens) return new WarehouseError(ErrorCode.SYNTAX_ERROR, 'Unterminated string, quoted identifier or comment');
	let end = tokens.length;
	while (end > 0 && tokens[end - 1]!.text === ';' && tokens[end - 1]!.kind === 'punct') end--;
	const statement = tokens.slice(0, end);
	if (statement.length === 0) return new WarehouseError(ErrorCode.SYNTAX_ERROR, 'Empty query');
	if (statement.some((t) => t.kind === 'punct' && t.text === ';')) return new WarehouseError(ErrorCode.SYNTAX_ERROR, 'Multi-statements are not allowed');
	const first = statement[0]!;
	const opensWithRead = (first.kind === 'word' && READ_STATEMENTS.has(first.text.toLowerCase())) || (first.kind === 'punct' && first.text === '(');
	if (!opensWithRead) {
		return new WarehouseError(ErrorCode.READONLY, `Cannot execute query in readonly mode: only SELECT, WITH, SHOW, DESCRIBE and EXISTS are allowed here`);
	}
	for (let i = 0; i < statement.length; i++) {
		const t = statement[i]!;
		if (t.kind === 'word' && /^(outfile|infile)$/i.test(t.text)) {
			return new WarehouseError(ErrorCode.READONLY, `Cannot execute query in readonly mode: INTO ${t.text.toUpperCase()} is not allowed`);
		}
		const name = t.text.toLowerCase();
		const called = statement[i + 1]?.kind === 'punct' && statement[i + 1]!.text === '(';
		if ((t.kind === 'word' || t.kind === 'quoted') && called && (OUTSIDE.test(name) || OUTSIDE_EXACT.has(name))) {
			return new WarehouseError(ErrorCode.READONLY, `Cannot execute query in readonly mode: ${t.text}() reaches outside the warehouse`);
		}
	}
	return undefined;
}
