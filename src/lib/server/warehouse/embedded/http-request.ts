/**
 * Reads the URL of a ClickHouse HTTP request into what the engine needs: the
 * query text, bound parameters, database, query id and per-query settings.
 * Pure: no I/O, unit-tested.
 */
import { ErrorCode, WarehouseError } from './errors.ts';

export interface ClickHouseRequest {
	/** The `query` URL parameter (for INSERT: the statement, with the rows in the body). */
	query: string | undefined;
	database: string;
	queryId: string;
	defaultFormat: string | undefined;
	/** `param_<name>` values, verbatim in ClickHouse's escaped text form. */
	params: Record<string, string>;
	/** Settings that apply to this query only. */
	settings: Record<string, string>;
	/** The client asked for a compressed response (`enable_http_compression=1`). */
	compressResponse: boolean;
}

// URL parameters of the HTTP interface that are not query settings, or that only
// steer the HTTP layer; they never reach the engine as settings.
const TRANSPORT_PARAMETERS = new Set([
	'query',
	'database',
	'query_id',
	'default_format',
	'user',
	'password',
	'quota_key',
	'role',
	'compress',
	'decompress',
	'buffer_size',
	'wait_end_of_query',
	'stacktrace',
	'client_protocol_version',
	'enable_http_compression',
	'http_zlib_compression_level',
	'send_progress_in_http_headers',
	'http_headers_progress_interval_ms',
	'cancel_http_readonly_queries_on_client_close',
	'http_response_buffer_size',
	'http_wait_end_of_query'
]);

const SESSION_PARAMETERS = new Set(['session_id', 'session_timeout', 'session_check']);

export function parseClickHouseRequest(url: URL, newQueryId: () => string): ClickHouseRequest {
	const params: Record<string, string> = {};
	const settings: Record<string, string> = {};
	for (const [name, value] of url.searchParams) {
		if (name.startsWith('param_')) {
			const param = name.slice('param_'.length);
			if (!param) throw new WarehouseError(ErrorCode.BAD_ARGUMENTS, 'Empty query parameter name in URL parameter "param_"');
			params[param] = value;
		} else if (SESSION_PARAMETERS.has(name)) {
			throw new WarehouseError(48, 'Sessions (session_id) are not supported by the embedded warehouse; send settings with each query', 'NOT_IMPLEMENTED');
		} else if (!TRANSPORT_PARAMETERS.has(name)) {
			settings[name] = value;
		}
	}
	const database = url.searchParams.get('database') || 'default';
	return {
		query: url.searchParams.get('query') ?? undefined,
		database,
		queryId: url.searchParams.get('query_id') || newQueryId(),
		defaultFormat: url.searchParams.get('default_format') || undefined,
		params,
		settings,
		compressResponse: url.searchParams.get('enable_http_compression') === '1'
	};
}

/** Text formats whose rows never contain a raw newline, so a payload can be cut at any '\n'. */
const LINE_DELIMITED_FORMATS = new Set([
	'jsoneachrow',
	'jsonstringseachrow',
	'jsoncompacteachrow',
	'jsoncompactstringseachrow',
	'ndjson',
	'jsonlines',
	'tabseparated',
	'tsv',
	'tabseparatedraw',
	'tsvraw'
]);

export interface InsertStatement {
	/** The statement as sent, up to and including `FORMAT <name>`. */
	statement: string;
	format: string;
	/** Rows can be split at newlines into independent inserts. */
	lineDelimited: boolean;
}

const INSERT_START = /^\s*INSERT\s+INTO\s/i;
const FORMAT_AT_END = /\sFORMAT\s+([A-Za-z][A-Za-z0-9_]*)\s*;?\s*$/i;

/** Recognises `INSERT INTO … FORMAT <fmt>` (rows in the body); anything else is a plain query. */
export function parseInsertStatement(query: string | undefined): InsertStatement | undefined {
	if (!query || !INSERT_START.test(query)) return undefined;
	const m = FORMAT_AT_END.exec(query);
	if (!m) return undefined;
	const format = m[1]!;
	return { statement: query.trim().replace(/;$/, ''), format, lineDelimited: LINE_DELIMITED_FORMATS.has(format.toLowerCase()) };
}

/**
 * The statement for one chunk of a multi-chunk insert. ClickHouse itself splits a
 * large insert into blocks and suffixes a deduplication token with the block
 * index; chunks here do the same so a replayed payload is deduplicated chunk by chunk.
 */
export function chunkStatement(insert: InsertStatement, dedupToken: string | undefined, chunkIndex: number | undefined): string {
	if (dedupToken === undefined || chunkIndex === undefined) return insert.statement;
	const token = `${dedupToken}_${chunkIndex}`.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
	return insert.statement.replace(FORMAT_AT_END, ` SETTINGS insert_deduplication_token = '${token}' FORMAT ${insert.format}`);
}

/** The output format a query asks for, to label the response. */
export function outputFormatOf(sql: string, defaultFormat: string | undefined): string {
	const m = /\bFORMAT\s+([A-Za-z][A-Za-z0-9_]*)(?:\s+SETTINGS\b[\s\S]*)?\s*;?\s*$/i.exec(sql);
	return m?.[1] ?? defaultFormat ?? 'TabSeparated';
}

export function contentTypeOf(format: string): string {
	const f = format.toLowerCase();
	if (f === 'json' || f === 'jsoncompact' || f === 'jsonstrings' || f === 'jsoncolumns') return 'application/json; charset=UTF-8';
	if (f.startsWith('json') || f === 'ndjson' || f === 'jsonlines') return 'application/x-ndjson; charset=UTF-8';
	if (f.startsWith('csv')) return 'text/csv; charset=UTF-8; header=absent';
	if (f.startsWith('tabseparated') || f.startsWith('tsv')) return 'text/tab-separated-values; charset=UTF-8';
	return 'text/plain; charset=UTF-8';
}

/**
 * Splits a growing byte stream into chunks that end at the first newline at or
 * after every `chunkBytes` bytes. Boundaries depend only on the content, never on
 * how the network delivered it, so a replay is cut the same way.
 */
export class LineChunker {
	private parts: Buffer[] = [];
	private length = 0;
	constructor(private readonly chunkBytes: number) {}

	/** Adds bytes and returns the complete chunks now available. */
	push(data: Buffer): Buffer[] {
		this.parts.push(data);
		this.length += data.length;
		const out: Buffer[] = [];
		while (this.length >= this.chunkBytes) {
			const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
			const cut = all.indexOf(0x0a, this.chunkBytes - 1);
			if (cut < 0) {
				this.parts = [all];
				break;
			}
			out.push(all.subarray(0, cut + 1));
			const rest = all.subarray(cut + 1);
			this.parts = rest.length ? [rest] : [];
			this.length = rest.length;
		}
		return out;
	}

	/** The remaining bytes at the end of the stream. */
	finish(): Buffer {
		const rest = Buffer.concat(this.parts, this.length);
		this.parts = [];
		this.length = 0;
		return rest;
	}
}
