/**
 * The HTTP push source: `POST /events` with NDJSON, at most `maxBodyBytes`.
 * Each request is processed and stored before the reply, which gives accepted
 * and rejected counts and the reason for every rejected line. The rows carry a
 * deduplication token derived from the body, so a client that retries after a
 * timeout does not store them twice. `GET /metrics` reports the worker's counters.
 *
 * Every push is authenticated: `Authorization: Bearer <token>` of a source issued
 * with `tianshu source add`; a line of a type the source was not granted is
 * refused (dead letter `type_not_granted`) while its other lines are kept. A
 * request carrying a browser's `Origin` is refused outright: no web page may
 * push, whatever address it was loaded from.
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { settleResumed, storeBatch } from '../worker/exactly-once.ts';
import type { IngestWorker } from '../worker/worker.ts';
import type { GrantedSource } from '../../src/lib/server/appdb/sources.ts';
import { splitLines } from './lines.ts';
import { checkReviewActions } from '../worker/review-check.ts';
import { Refusal } from '../pipeline/steps.ts';

export interface HttpPushOptions {
	worker: IngestWorker;
	warehouse: Warehouse;
	logger: Logger;
	maxBodyBytes?: number;
	maxLineBytes?: number;
	/** Token → source (SourceAuthenticator): push requires one. */
	sources: { authenticate(token: string): Promise<GrantedSource | null> };
}

/** Requests refused before their body was read, by cause; in GET /metrics as `pushRefused`. */
export type PushRefusal = 'browser_origin' | 'no_token' | 'bad_token' | 'appdb_unavailable';

function reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	res.end(JSON.stringify(body));
}

/** The credentials of a Bearer header; a malformed token is checked (and refused) like a wrong one. */
const BEARER = /^Bearer[ \t]+(\S.*?)[ \t]*$/i;

export function createPushServer(options: HttpPushOptions): http.Server {
	const maxBody = options.maxBodyBytes ?? 8 * 1024 * 1024;
	const maxLine = options.maxLineBytes ?? 1024 * 1024;
	const refused: Record<PushRefusal, number> = { browser_origin: 0, no_token: 0, bad_token: 0, appdb_unavailable: 0 };
	/**
	 * A refused body is read and discarded up to this many bytes before the reply, so a client still sending
	 * it reads the refusal instead of a reset (EPIPE); a longer one is cut off once the reply is out.
	 */
	const drainLimit = 2 * maxBody;
	/** Refuses a request before reading its body: the body is drained (up to drainLimit), then the reply is sent and the connection closes. */
	const refuse = (
		req: http.IncomingMessage,
		res: http.ServerResponse,
		cause: PushRefusal,
		status: number,
		error: string,
		headers: Record<string, string> = {}
	) => {
		refused[cause]++;
		options.logger.warn({ cause, remote: req.socket.remoteAddress, path: req.url?.slice(0, 100) }, 'push refused');
		let sent = false;
		const send = (cut: boolean) => {
			if (sent) return;
			sent = true;
			if (cut) res.on('finish', () => req.socket.destroy());
			reply(res, status, { error }, { Connection: 'close', ...headers });
		};
		// A client that goes away mid-body is not an error of ours.
		req.on('error', () => {});
		const declared = Number(req.headers['content-length'] ?? NaN);
		if (declared > drainLimit) return send(true);
		let drained = 0;
		req.on('data', (chunk: Buffer) => {
			drained += chunk.length;
			if (drained > drainLimit) send(true);
		});
		req.on('end', () => send(false));
	};
	return http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		// Scripts and source systems send no Origin; a browser always does on a POST.
		if (req.headers.origin !== undefined) return refuse(req, res, 'browser_origin', 403, '拒绝来自浏览器页面的请求：推送接口只接受源系统的直接请求');
		if (req.method === 'GET' && url.pathname === '/metrics') return reply(res, 200, { ...options.worker.snapshot, pushRefused: { ...refused } });
		if (req.method === 'GET' && url.pathname === '/healthz') return reply(res, 200, { status: 'ok' });
		if (url.pathname !== '/events') return reply(res, 404, { error: '未知路径：请以 POST 发送 NDJSON 到 /events（GET /metrics 查看计数）' });
		if (req.method !== 'POST') return reply(res, 405, { error: '请使用 POST 方法' }, { Allow: 'POST' });
		const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
		if (!token)
			return refuse(req, res, 'no_token', 401, '缺少推送令牌：请在请求头中发送 Authorization: Bearer <令牌>（令牌由 tianshu source add 签发）', {
				'WWW-Authenticate': 'Bearer realm="tianshu-ingest"'
			});
		options.sources.authenticate(token).then(
			(source) => {
				if (!source)
					return refuse(req, res, 'bad_token', 401, '推送令牌无效或已吊销', { 'WWW-Authenticate': 'Bearer realm="tianshu-ingest", error="invalid_token"' });
				receive(req, res, source);
			},
			(e: Error) => {
				options.logger.error({ err: e.message }, 'app database unavailable: cannot check a push token');
				refuse(req, res, 'appdb_unavailable', 503, '应用数据库暂时不可用，无法验证令牌，请稍后重试', { 'Retry-After': '5' });
			}
		);
	});

	/** Reads an authenticated request's body (bounded) and stores it. */
	function receive(req: http.IncomingMessage, res: http.ServerResponse, source: GrantedSource): void {
		const declared = Number(req.headers['content-length'] ?? NaN);
		if (declared > maxBody) {
			req.resume();
			return reply(res, 413, { error: `请求体 ${declared} 字节，超过上限 ${maxBody} 字节 (body over the limit)` });
		}
		const parts: Buffer[] = [];
		let size = 0;
		let over = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBody) {
				over = true;
				return;
			}
			if (!over) parts.push(chunk);
		});
		req.on('end', () => {
			if (over) return reply(res, 413, { error: `请求体超过上限 ${maxBody} 字节 (body over the limit)` });
			handle(Buffer.concat(parts), source).then(
				(result) => reply(res, 200, result),
				(e: Error) => {
					options.logger.warn({ err: e.message, source: source.name }, 'push batch not stored');
					reply(res, 503, { error: '未能写入数据仓库，请重试 (not stored, retry)' });
				}
			);
		});
	}

	async function handle(body: Buffer, source: GrantedSource) {
		const digest = createHash('sha256').update(body).digest('hex').slice(0, 32);
		// Rows and dead letters name the source; the deduplication token stays the body's digest.
		const sourceId = `push:${source.name}`;
		const dedupId = `http:${digest}`;
		const tables = new Map<string, string[]>();
		const rejected: Array<{ line: number; step: string; reason: string; detail: string }> = [];
		const results: Array<ReturnType<IngestWorker['evaluate']>> = [];
		const lineNumbers: number[] = [];
		let accepted = 0;
		for (const line of splitLines(body, maxLine)) {
			const result = options.worker.evaluate(sourceId, line, undefined, source.types);
			results.push(result);
			lineNumbers.push(line.number!);
			for (const [table, json] of result.rows) {
				let rows = tables.get(table);
				if (!rows) tables.set(table, (rows = []));
				rows.push(json);
			}
			if (result.refusal) rejected.push({ line: line.number!, step: result.refusal.step, reason: result.refusal.reason, detail: result.refusal.detail });
			else accepted++;
		}
		// 差评 handling actions their review's state refuses: dead letters with the reason, the body's other lines kept.
		const [refusedActions] = await checkReviewActions(options.warehouse, [{ source: sourceId, position: 0, tables }]);
		for (const r of refusedActions ?? []) {
			const i = results.findIndex((x) => x.rows[0]?.[0] === 'review_actions' && x.rows[0][1] === r.line);
			if (i < 0) continue;
			results[i] = { rows: [], refusal: new Refusal('check', 'action_not_allowed', r.message, 'review_action') };
			rejected.push({ line: lineNumbers[i]!, step: 'check', reason: 'action_not_allowed', detail: r.message });
			accepted--;
		}
		rejected.sort((a, b) => a.line - b.line);
		// Each event id once: a body that repeats stored events (reordered, re-batched) stores none of them again.
		const resumed: Array<{ table: string; batch: string }> = [];
		for (const [table, rows] of tables) {
			const batch = `${dedupId}:${table}`;
			if ((await storeBatch(options.warehouse, table, rows, batch)).resumed) resumed.push({ table, batch });
		}
		// A retried body whose first attempt a crash cut short: its rollups recounted from the raw tables.
		await settleResumed(options.warehouse, resumed, options.logger);
		for (const result of results) options.worker.count(sourceId, result, true);
		await options.worker.markStored();
		return { accepted, rejected: rejected.length, rejectedLines: rejected };
	}
}
