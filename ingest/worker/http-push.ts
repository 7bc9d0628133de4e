/**
 * The HTTP push source: `POST /events` with NDJSON, at most `maxBodyBytes`.
 * Each request is processed and stored before the reply, which gives accepted
 * and rejected counts and the reason for every rejected line. The rows carry a
 * deduplication token derived from the body, so a client that retries after a
 * timeout does not store them twice. `GET /metrics` reports the worker's counters.
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';
import { insertJsonLines } from '../../src/lib/server/warehouse/insert-lines.ts';
import type { IngestWorker } from './worker.ts';
import { lineOf } from './line-reader.ts';

export interface HttpPushOptions {
	worker: IngestWorker;
	warehouse: Warehouse;
	logger: Logger;
	maxBodyBytes?: number;
	maxLineBytes?: number;
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify(body));
}

export function createPushServer(options: HttpPushOptions): http.Server {
	const maxBody = options.maxBodyBytes ?? 8 * 1024 * 1024;
	const maxLine = options.maxLineBytes ?? 1024 * 1024;
	return http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (req.method === 'GET' && url.pathname === '/metrics') return reply(res, 200, options.worker.snapshot);
		if (req.method === 'GET' && url.pathname === '/healthz') return reply(res, 200, { status: 'ok' });
		if (url.pathname !== '/events') return reply(res, 404, { error: 'POST NDJSON to /events; GET /metrics' });
		if (req.method !== 'POST') return reply(res, 405, { error: 'use POST' });
		const declared = Number(req.headers['content-length'] ?? NaN);
		if (declared > maxBody) {
			req.resume();
			return reply(res, 413, { error: `body of ${declared} bytes is over the limit of ${maxBody}` });
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
			if (over) return reply(res, 413, { error: `body over the limit of ${maxBody} bytes` });
			handle(Buffer.concat(parts)).then(
				(result) => reply(res, 200, result),
				(e: Error) => {
					options.logger.warn({ err: e.message }, 'push batch not stored');
					reply(res, 503, { error: `not stored, retry: ${e.message}` });
				}
			);
		});
	});

	async function handle(body: Buffer) {
		const digest = createHash('sha256').update(body).digest('hex').slice(0, 32);
		const sourceId = `http:${digest}`;
		const tables = new Map<string, string[]>();
		const rejected: Array<{ line: number; step: string; reason: string; detail: string }> = [];
		const results: Array<ReturnType<IngestWorker['evaluate']>> = [];
		let accepted = 0;
		let start = 0;
		let lineNo = 0;
		while (start < body.length) {
			let end = body.indexOf(0x0a, start);
			if (end < 0) end = body.length;
			const bytes = body.subarray(start, end);
			lineNo++;
			if (bytes.length > 0 && !(bytes.length === 1 && bytes[0] === 0x0d)) {
				const result = options.worker.evaluate(sourceId, lineOf(bytes, start, end + 1, maxLine), undefined);
				results.push(result);
				for (const [table, json] of result.rows) {
					let rows = tables.get(table);
					if (!rows) tables.set(table, (rows = []));
					rows.push(json);
				}
				if (result.refusal) rejected.push({ line: lineNo, step: result.refusal.step, reason: result.refusal.reason, detail: result.refusal.detail });
				else accepted++;
			}
			start = end + 1;
		}
		for (const [table, rows] of tables) await insertJsonLines(options.warehouse, table, rows, `${sourceId}:${table}`);
		for (const result of results) options.worker.count(sourceId, result, true);
		await options.worker.markStored();
		return { accepted, rejected: rejected.length, rejectedLines: rejected };
	}
}
