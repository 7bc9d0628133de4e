/**
 * The tRPC API over HTTP (the fetch adapter behind src/routes/api/trpc): bounded
 * batches and bodies, a request id on every reply, every error logged with it.
 * Kept out of the route so tests run the same handler in-process.
 */
import { randomBytes } from 'node:crypto';
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Logger } from 'pino';
import { createLogger } from '../log/logger.ts';
import type { Context } from './context.ts';
import { appRouter } from './root.ts';

export const ENDPOINT = '/api/trpc';
/** Calls in one batched request: a wall's first picture needs about ten; more is a client looping or an attack. */
export const MAX_BATCH = 20;
/** Request bodies: a query is a few hundred bytes; inputs cap their arrays and strings well below this. */
export const MAX_BODY_BYTES = 64 * 1024;

let defaultLogger: Logger | undefined;

/** A short id naming one request in the log and in its reply. */
/** A random prefix per process and a counter: unique enough to find a request's log lines, and cheaper than random bytes per request (measured in the load bench). */
const REQUEST_ID_PREFIX = randomBytes(3).toString('hex');
let requestCounter = 0;

export function newRequestId(): string {
	requestCounter = (requestCounter + 1) % 0x1000000;
	return REQUEST_ID_PREFIX + requestCounter.toString(16).padStart(6, '0');
}

export interface TrpcHttpOptions {
	/** The context without its request id (the warehouse, the hub, the caller's scope). */
	context: () => Omit<Context, 'requestId'>;
	requestId?: string;
	log?: Logger;
}

/** A refusal before tRPC sees the request, in tRPC's error shape. */
function refuse(status: number, code: string, message: string, requestId: string): Response {
	const body = { error: { message, code: status === 413 ? -32013 : status === 405 ? -32005 : -32600, data: { code, httpStatus: status, requestId } } };
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-request-id': requestId } });
}

/** The body, read up to `limit` bytes; undefined when it is longer. */
async function boundedBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
	if (!request.body) return new Uint8Array();
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = request.body.getReader();
	for (;;) {
		const { value, done } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel();
			return undefined;
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks);
}

/**
 * A stream's input and scope, checked before it opens: tRPC answers a subscription
 * with an event stream (status 200) even when it refuses it, so a bad or forbidden
 * one is answered here with its 4xx instead. The check builds the stream without
 * starting it; tRPC then builds it again for real.
 */
function typeOf(path: string): string | undefined {
	const procedures = appRouter._def.procedures as Record<string, { _def?: { type?: string } } | undefined>;
	return Object.hasOwn(procedures, path) ? procedures[path]?._def?.type : undefined;
}
const isSubscription = (path: string) => typeOf(path) === 'subscription';

async function refuseSubscription(url: URL, path: string, request: Request, context: Context, log: Logger): Promise<Response | undefined> {
	if (!isSubscription(path) || url.searchParams.get('batch') === '1') return undefined;
	let input: unknown;
	try {
		const text = url.searchParams.get('input');
		input = text === null ? undefined : JSON.parse(text);
	} catch {
		return undefined; // tRPC refuses unparsable input itself, with a 400
	}
	// As tRPC does: a reconnecting EventSource sends its last id in a header.
	const lastEventId = request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId') ?? url.searchParams.get('Last-Event-Id');
	if (lastEventId) input = input && typeof input === 'object' && !Array.isArray(input) ? { ...input, lastEventId } : (input ?? { lastEventId });
	try {
		await callTRPCProcedure({ router: appRouter, path, getRawInput: async () => input, ctx: context, type: 'subscription', signal: undefined, batchIndex: 0 });
		return undefined;
	} catch (cause) {
		const error = getTRPCErrorFromUnknown(cause);
		const status = getHTTPStatusCodeFromError(error);
		log[status >= 500 ? 'error' : 'warn'](
			{ requestId: context.requestId, path, type: 'subscription', code: error.code, err: error.cause ?? error },
			status >= 500 ? 'request failed' : 'request refused'
		);
		const shape = getTRPCErrorShape({ config: appRouter._def._config, error, type: 'subscription', path, input, ctx: context });
		return new Response(JSON.stringify({ error: shape }), { status, headers: { 'content-type': 'application/json', 'x-request-id': context.requestId ?? '' } });
	}
}

export async function handleTrpc(request: Request, options: TrpcHttpOptions): Promise<Response> {
	const requestId = options.requestId ?? newRequestId();
	const log = options.log ?? (defaultLogger ??= createLogger('web'));
	try {
		const url = new URL(request.url);
		let path: string;
		try {
			path = decodeURIComponent(url.pathname.slice(ENDPOINT.length + 1));
		} catch {
			log.warn({ requestId, path: url.pathname.slice(0, 200) }, 'path refused');
			return refuse(400, 'BAD_REQUEST', '请求路径无效（百分号编码有误）', requestId);
		}
		const calls = url.searchParams.get('batch') === '1' ? path.split(',').length : 1;
		if (calls > MAX_BATCH) {
			log.warn({ requestId, calls }, 'batch refused');
			return refuse(400, 'BAD_REQUEST', `一次批量请求最多 ${MAX_BATCH} 个调用（收到 ${calls} 个）`, requestId);
		}
		// tRPC refuses a subscription inside a batch before any context exists, so its reply would carry no
		// request id (found by the property test): refused here, in the same shape as every other refusal.
		if (url.searchParams.get('batch') === '1' && path.split(',').some(isSubscription)) {
			log.warn({ requestId, path: path.slice(0, 200) }, 'batched subscription refused');
			return refuse(400, 'BAD_REQUEST', '订阅不能放在批量请求中，请单独请求', requestId);
		}
		// Likewise a mutation in a GET batch: tRPC refuses the whole batch without a context, so without a request id.
		if (request.method === 'GET' && url.searchParams.get('batch') === '1' && path.split(',').some((p) => typeOf(p) === 'mutation')) {
			log.warn({ requestId, path: path.slice(0, 200) }, 'batched mutation over GET refused');
			return refuse(405, 'METHOD_NOT_SUPPORTED', '变更操作须以 POST 请求发送，不能放在 GET 批量请求中', requestId);
		}
		const refused = await refuseSubscription(url, path, request, { ...options.context(), requestId }, log);
		if (refused) return refused;
		let req = request;
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			const declared = Number(request.headers.get('content-length') ?? 0);
			const body = declared > MAX_BODY_BYTES ? undefined : await boundedBody(request, MAX_BODY_BYTES);
			if (!body) {
				log.warn({ requestId, declared }, 'body refused');
				return refuse(413, 'PAYLOAD_TOO_LARGE', `请求体过大（上限 ${MAX_BODY_BYTES / 1024} KiB）`, requestId);
			}
			// Read once and bounded; tRPC's JSON bodies are text.
			const text = new TextDecoder().decode(body);
			req = new Request(request.url, { method: request.method, headers: request.headers, body: text || undefined, signal: request.signal });
		}
		return await fetchRequestHandler({
			endpoint: ENDPOINT,
			req,
			router: appRouter,
			maxBatchSize: MAX_BATCH,
			createContext: () => ({ ...options.context(), requestId }),
			responseMeta: () => ({ headers: { 'x-request-id': requestId } }),
			onError({ error, path, type }) {
				// Refusals are the caller's business (a line to count them); anything else is ours, with its stack.
				const status = error.code === 'INTERNAL_SERVER_ERROR' || error.code === 'SERVICE_UNAVAILABLE' ? 'error' : 'warn';
				log[status]({ requestId, path, type, code: error.code, err: error.cause ?? error }, status === 'error' ? 'request failed' : 'request refused');
			}
		});
	} catch (e) {
		// The adapter answers every error itself; this is the last net, so a reply always goes out.
		log.error({ requestId, err: e }, 'request failed outside tRPC');
		return refuse(500, 'INTERNAL_SERVER_ERROR', `服务器内部错误（请求编号 ${requestId}）`, requestId);
	}
}
