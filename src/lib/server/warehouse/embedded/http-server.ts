/**
 * The ClickHouse HTTP interface, as far as `@clickhouse/client` uses it, served
 * over the embedded chDB engine on loopback, to holders of its two accounts:
 * the writer may do anything, the reader only read within its limits, and GET
 * only reads for anyone (door.ts, read-only.ts).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { ErrorCode, WarehouseError, errorBody, httpStatusOf, toWarehouseError } from './errors.ts';
import type { ChdbEngine, InsertSummary, Target } from './chdb-engine.ts';
import type { Credentials } from '../credentials.ts';
import { authenticate, checkCaller } from './door.ts';
import { DEFAULT_READER_LIMITS, readOnlyViolation, sessionSettings, type ReaderLimits } from './read-only.ts';
import {
	LineChunker,
	chunkStatement,
	contentTypeOf,
	outputFormatOf,
	parseClickHouseRequest,
	parseInsertStatement,
	type ClickHouseRequest
} from './http-request.ts';

export interface WarehouseServerOptions {
	engine: ChdbEngine;
	logger: Logger;
	/** The accounts; every request but GET /ping must present one. */
	credentials: Credentials;
	/** What one reader query may use (defaults: 30 s, 4 GiB, 1 000 000 rows). */
	readerLimits?: ReaderLimits;
	/** Largest query text accepted in a body (INSERT rows are streamed and not limited). */
	maxQueryBytes?: number;
	/** Largest INSERT payload in a format that cannot be split at newlines (CSV, …WithNames). */
	maxUnsplittableInsertBytes?: number;
	/** Size at which a line-delimited INSERT payload is cut into separate inserts. */
	insertChunkBytes?: number;
}

interface Summary {
	read_rows: number;
	read_bytes: number;
	written_rows: number;
	written_bytes: number;
	total_rows_to_read: number;
	result_rows: number;
	result_bytes: number;
	elapsed_ns: number;
}

function summaryHeader(s: Partial<Summary>): string {
	const full: Summary = {
		read_rows: 0,
		read_bytes: 0,
		written_rows: 0,
		written_bytes: 0,
		total_rows_to_read: 0,
		result_rows: 0,
		result_bytes: 0,
		elapsed_ns: 0,
		...s
	};
	// ClickHouse sends the numbers as strings.
	return JSON.stringify(Object.fromEntries(Object.entries(full).map(([k, v]) => [k, String(v)])));
}

/** The request body, decompressed as its Content-Encoding says. */
function bodyOf(req: http.IncomingMessage): Readable {
	const encoding = (req.headers['content-encoding'] ?? '').toLowerCase().trim();
	if (!encoding || encoding === 'identity') return req;
	let decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;
	if (encoding === 'gzip' || encoding === 'x-gzip') decoder = zlib.createGunzip();
	else if (encoding === 'deflate') decoder = zlib.createInflate();
	else if (encoding === 'br') decoder = zlib.createBrotliDecompress();
	else throw new WarehouseError(ErrorCode.BAD_ARGUMENTS, `Unknown Content-Encoding '${encoding}'`);
	req.on('error', (e) => decoder.destroy(e));
	return req.pipe(decoder);
}

async function* decodedChunks(body: Readable): AsyncGenerator<Buffer> {
	try {
		for await (const chunk of body) yield chunk as Buffer;
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code ?? '';
		if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code === 'ERR__ERROR_FORMAT_PADDING_1') {
			throw new WarehouseError(ErrorCode.ZLIB_INFLATE_FAILED, `Cannot decompress the request body: ${(e as Error).message}`);
		}
		throw e;
	}
}

async function readAll(chunks: AsyncIterable<Buffer>, limit: number, what: string): Promise<Buffer> {
	const parts: Buffer[] = [];
	let length = 0;
	for await (const c of chunks) {
		length += c.length;
		if (length > limit) throw new WarehouseError(ErrorCode.QUERY_IS_TOO_LARGE, `${what} is larger than ${limit} bytes`);
		parts.push(c);
	}
	return Buffer.concat(parts, length);
}

export function createWarehouseServer(options: WarehouseServerOptions): http.Server {
	const { engine, logger, credentials } = options;
	const readerLimits = options.readerLimits ?? DEFAULT_READER_LIMITS;
	const maxQueryBytes = options.maxQueryBytes ?? 64 * 1024 * 1024;
	const maxUnsplittable = options.maxUnsplittableInsertBytes ?? 1024 * 1024 * 1024;
	const chunkBytes = options.insertChunkBytes ?? 64 * 1024 * 1024;
	const version = engine.engineVersion;

	function sendError(res: http.ServerResponse, error: unknown, queryId: string | undefined): void {
		const err = toWarehouseError(error);
		if (res.headersSent) {
			// Mid-stream: ClickHouse appends the exception to the body; cut the
			// connection too so the client cannot take a partial result as whole.
			res.end(`\n${errorBody(err, version)}`);
			res.socket?.destroy();
			return;
		}
		res.writeHead(httpStatusOf(err.code), {
			'Content-Type': 'text/plain; charset=UTF-8',
			'X-ClickHouse-Exception-Code': String(err.code),
			...(queryId ? { 'X-ClickHouse-Query-Id': queryId } : {})
		});
		res.end(errorBody(err, version));
	}

	async function runInsert(res: http.ServerResponse, request: ClickHouseRequest, target: Target, body: AsyncGenerator<Buffer>, first: Buffer): Promise<void> {
		const insert = parseInsertStatement(request.query)!;
		const total: InsertSummary = { rowsWritten: 0, bytesWritten: 0, rowsRead: 0, bytesRead: 0, elapsedNs: 0 };
		const add = (s: InsertSummary) => {
			total.rowsWritten += s.rowsWritten;
			total.bytesWritten += s.bytesWritten;
			total.rowsRead += s.rowsRead;
			total.bytesRead += s.bytesRead;
			total.elapsedNs += s.elapsedNs;
		};
		const token = request.settings['insert_deduplication_token'];
		if (insert.lineDelimited) {
			const chunker = new LineChunker(chunkBytes);
			let index = 0;
			// One insert in flight while the next chunk arrives: receiving overlaps the
			// engine's work, and memory stays bounded to two chunks.
			let inFlight: Promise<void> = Promise.resolve();
			const flush = async (chunk: Buffer, last: boolean) => {
				if (chunk.length === 0) return;
				// A payload that fits in one chunk is one insert, exactly as sent.
				const chunkIndex = last && index === 0 ? undefined : index;
				index++;
				await inFlight;
				inFlight = engine.insert(chunkStatement(insert, token, chunkIndex), chunk, true, target).then(add);
				// Handled here so a failure while the next chunk is read is not an unhandled rejection;
				// the next flush or the final await still sees it.
				inFlight.catch(() => undefined);
			};
			try {
				for (const c of chunker.push(first)) await flush(c, false);
				for await (const data of body) for (const c of chunker.push(data)) await flush(c, false);
				await flush(chunker.finish(), true);
			} finally {
				// Never leave an insert running unobserved, even when reading the body failed.
				await inFlight.catch(() => undefined);
			}
			await inFlight;
		} else {
			const rest = await readAll(body, maxUnsplittable - first.length, `An INSERT payload in format ${insert.format}`);
			add(await engine.insert(insert.statement, Buffer.concat([first, rest]), false, target));
		}
		res.writeHead(200, {
			'Content-Type': 'text/plain; charset=UTF-8',
			'X-ClickHouse-Query-Id': request.queryId,
			'X-ClickHouse-Summary': summaryHeader({
				read_rows: total.rowsRead,
				read_bytes: total.bytesRead,
				written_rows: total.rowsWritten,
				written_bytes: total.bytesWritten,
				elapsed_ns: total.elapsedNs
			}),
			'X-ClickHouse-Timezone': 'UTC'
		});
		res.end();
	}

	async function runQuery(req: http.IncomingMessage, res: http.ServerResponse, request: ClickHouseRequest, target: Target, sql: string): Promise<void> {
		if (!sql.trim()) throw new WarehouseError(ErrorCode.SYNTAX_ERROR, 'Empty query');
		const format = outputFormatOf(sql, request.defaultFormat);
		const engineFormat = request.defaultFormat ?? 'TabSeparated';
		const params = Object.keys(request.params).length ? request.params : undefined;
		const gzip = request.compressResponse && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
		const headers: http.OutgoingHttpHeaders = {
			'Content-Type': contentTypeOf(format),
			'X-ClickHouse-Query-Id': request.queryId,
			'X-ClickHouse-Format': format,
			'X-ClickHouse-Timezone': 'UTC',
			...(gzip ? { 'Content-Encoding': 'gzip' } : {})
		};
		const stream = await engine.stream(sql, engineFormat, target, params);
		if (!stream) {
			const r = await engine.query(sql, engineFormat, target, params);
			headers['X-ClickHouse-Summary'] = summaryHeader({
				read_rows: r.rowsRead,
				read_bytes: r.bytesRead,
				result_bytes: r.body.length,
				elapsed_ns: r.elapsedNs
			});
			res.writeHead(200, headers);
			res.end(gzip ? zlib.gzipSync(r.body) : r.body);
			return;
		}
		headers['X-ClickHouse-Summary'] = summaryHeader({});
		res.writeHead(200, headers);
		const out: NodeJS.WritableStream = gzip ? zlib.createGzip() : res;
		if (gzip) (out as zlib.Gzip).pipe(res);
		let clientGone = false;
		res.on('close', () => {
			if (!res.writableFinished) clientGone = true;
		});
		try {
			for await (const bytes of stream) {
				if (clientGone) break;
				if (!out.write(bytes))
					await new Promise<void>((resolve) => {
						const done = () => {
							res.off('close', done);
							resolve();
						};
						out.once('drain', done);
						res.once('close', done);
					});
			}
		} finally {
			// Leaving the loop early (client gone) returns the generator, which cancels the engine stream.
			await stream.return({ rowsRead: 0 });
		}
		if (!clientGone) out.end();
	}

	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const refused = checkCaller(req.headers, req.socket.localPort ?? 0);
		if (refused) {
			logger.warn(
				{ remote: req.socket.remoteAddress, host: req.headers.host?.slice(0, 100), origin: req.headers.origin?.slice(0, 100), err: refused.message },
				'request refused'
			);
			sendError(res, refused, undefined);
			return;
		}
		if (url.pathname === '/ping' && (req.method === 'GET' || req.method === 'HEAD')) {
			res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' });
			res.end('Ok.\n');
			return;
		}
		const role = authenticate(req.headers, url, credentials);
		if (role instanceof WarehouseError) {
			// Never the password; the user name only as the error message quotes it.
			logger.warn({ remote: req.socket.remoteAddress, err: role.message }, 'authentication failed');
			sendError(res, role, undefined);
			return;
		}
		if (url.pathname === '/' && req.method === 'GET' && !url.searchParams.has('query')) {
			res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' });
			res.end('Ok.\n');
			return;
		}
		if (url.pathname !== '/') {
			res.writeHead(404, { 'Content-Type': 'text/plain; charset=UTF-8' });
			res.end(`There is no handler ${url.pathname} on the embedded warehouse; use / or /ping\n`);
			return;
		}
		if (req.method !== 'POST' && req.method !== 'GET') {
			res.writeHead(405, { Allow: 'GET, POST', 'Content-Type': 'text/plain; charset=UTF-8' });
			res.end(`Method ${req.method} is not allowed; send queries with POST\n`);
			return;
		}
		let queryId: string | undefined;
		const started = process.hrtime.bigint();
		try {
			const request = parseClickHouseRequest(url, randomUUID);
			queryId = request.queryId;
			const settings = sessionSettings(role, req.method, request.settings, readerLimits);
			if (settings instanceof WarehouseError) throw settings;
			const readOnly = role === 'reader' || req.method === 'GET';
			const target: Target = { database: request.database, settings };
			if (parseInsertStatement(request.query)) {
				if (readOnly)
					throw new WarehouseError(
						ErrorCode.READONLY,
						`Cannot execute query in readonly mode (${role === 'reader' ? 'the reader account' : 'GET'} cannot INSERT)`
					);
				const body = decodedChunks(bodyOf(req));
				const firstStep = await body.next();
				const first = firstStep.done ? Buffer.alloc(0) : firstStep.value;
				// An INSERT with no rows writes nothing (and must not make the engine wait for input).
				if (first.length > 0) await runInsert(res, request, target, body, first);
				else {
					res.writeHead(200, { 'X-ClickHouse-Query-Id': request.queryId, 'X-ClickHouse-Summary': summaryHeader({}) });
					res.end();
				}
			} else {
				const text = (await readAll(decodedChunks(bodyOf(req)), maxQueryBytes, 'The query')).toString('utf8');
				const sql = [request.query, text].filter((s) => s && s.length > 0).join('\n');
				if (readOnly && sql.trim()) {
					const violation = readOnlyViolation(sql);
					if (violation) throw violation;
				}
				await runQuery(req, res, request, target, sql);
			}
			logger.debug({ queryId, role, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'query done');
		} catch (error) {
			const err = toWarehouseError(error);
			logger.warn({ queryId, role, code: err.code, type: err.type, err: err.message.slice(0, 500) }, 'query failed');
			sendError(res, err, queryId);
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((e) => {
			// A bug here must never take the warehouse down: answer and carry on.
			logger.error({ err: e }, 'request handler failed');
			if (!res.writableEnded) sendError(res, e, undefined);
		});
	});
	server.keepAliveTimeout = 60_000;
	server.requestTimeout = 0;
	return server;
}
