/**
 * ClickHouse's error shape, so `@clickhouse/client` raises a `ClickHouseError`
 * with the right code whether it talks to a real server or to the embedded one.
 */

/** The ClickHouse error codes this server raises itself (names as ClickHouse spells them). */
export const ErrorCode = {
	BAD_ARGUMENTS: 36,
	SYNTAX_ERROR: 62,
	UNKNOWN_DATABASE: 81,
	CANNOT_PARSE_INPUT_ASSERTION_FAILED: 27,
	UNKNOWN_SETTING: 115,
	QUERY_IS_TOO_LARGE: 393,
	ZLIB_INFLATE_FAILED: 354,
	HTTP_LENGTH_REQUIRED: 381,
	UNKNOWN_FORMAT: 73,
	READONLY: 164,
	ACCESS_DENIED: 497,
	AUTHENTICATION_FAILED: 516,
	UNKNOWN_EXCEPTION: 1002
} as const;

const nameOfCode = new Map<number, string>(Object.entries(ErrorCode).map(([k, v]) => [v, k]));

export class WarehouseError extends Error {
	constructor(
		readonly code: number,
		message: string,
		readonly type: string = nameOfCode.get(code) ?? 'UNKNOWN_EXCEPTION'
	) {
		super(message);
		this.name = 'WarehouseError';
	}
}

// `Code: 62. DB::Exception: <message> (SYNTAX_ERROR) (version …)` as the engine formats it.
const ENGINE_MESSAGE = /^Code: (\d+)\. DB::Exception: ([\s\S]*?)(?: \(([A-Z][A-Z0-9_]+)\))?(?: \(version [^)]*\))?\.?\s*$/;

/** Turns anything the engine throws into a WarehouseError with the engine's own code and type. */
export function toWarehouseError(error: unknown): WarehouseError {
	if (error instanceof WarehouseError) return error;
	const text = error instanceof Error ? error.message : String(error);
	const m = ENGINE_MESSAGE.exec(text.trim());
	if (!m) return new WarehouseError(ErrorCode.UNKNOWN_EXCEPTION, text);
	const code = Number(m[1]);
	return new WarehouseError(code, m[2]!.replace(/\.$/, ''), m[3] ?? nameOfCode.get(code) ?? 'UNKNOWN_EXCEPTION');
}

/** The body ClickHouse sends with an error; the client parses code, message and type from it. */
export function errorBody(error: WarehouseError, version: string): string {
	return `Code: ${error.code}. DB::Exception: ${error.message}. (${error.type}) (version ${version})\n`;
}

// ClickHouse's HTTP handler maps exception codes to statuses; the same groups here.
const BAD_REQUEST = new Set([6, 25, 26, 27, 32, 36, 38, 41, 53, 62, 72, 117, 167, 168, 354, 457]);
const NOT_FOUND = new Set([46, 47, 50, 56, 60, 63, 73, 81, 115]);

// Who are you: 401; you may not: 403 (READONLY, ACCESS_DENIED).
const UNAUTHORIZED = new Set([192, 193, 194, 516]);
const FORBIDDEN = new Set([164, 497]);

export function httpStatusOf(code: number): number {
	if (UNAUTHORIZED.has(code)) return 401;
	if (FORBIDDEN.has(code)) return 403;
	if (BAD_REQUEST.has(code)) return 400;
	if (NOT_FOUND.has(code)) return 404;
	if (code === ErrorCode.QUERY_IS_TOO_LARGE) return 413;
	if (code === ErrorCode.HTTP_LENGTH_REQUIRED) return 411;
	if (code === 48) return 501;
	if (code === 159 || code === 209 || code === 210) return 503;
	return 500;
}
