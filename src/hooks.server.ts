import type { Handle, HandleServerError } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { createLogger } from '$lib/server/log/logger';
import { warehouse } from '$lib/server/warehouse';
import { isWarehouseAway, WAREHOUSE_AWAY } from '$lib/server/api/errors';
import { newRequestId } from '$lib/server/api/http';
import { installProcessGuards } from '$lib/server/api/process-guards';

const logger = createLogger('web');
installProcessGuards(logger);

/** Every request gets an id: in the log lines it causes, in the `x-request-id` header and in any error reply. */
export const handle: Handle = async ({ event, resolve }) => {
	const requestId = newRequestId();
	event.locals.requestId = requestId;
	const response = await resolve(event);
	try {
		response.headers.set('x-request-id', requestId);
	} catch {
		// A response with immutable headers (a proxied fetch) goes out without it.
	}
	return response;
};

/** Unexpected errors of pages and endpoints: logged in full, answered with a code and a Chinese message only. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	const requestId = event.locals.requestId ?? newRequestId();
	if (status === 404) return { message: '页面不存在', requestId };
	logger.error({ err: error, requestId, path: event.url.pathname, status }, 'request failed');
	const unavailable = (error instanceof TRPCError && error.code === 'SERVICE_UNAVAILABLE') || isWarehouseAway(error);
	if (unavailable) return { message: error instanceof TRPCError && /\p{Script=Han}/u.test(error.message) ? error.message : WAREHOUSE_AWAY, requestId };
	return { message: `服务器内部错误（请求编号 ${requestId}）`, requestId };
};

// adapter-node emits this after it stops accepting requests; close the warehouse
// client's keep-alive sockets so the process can exit.
process.on('sveltekit:shutdown' as 'exit', () => {
	warehouse()
		.warehouse.close()
		.catch((err: unknown) => logger.warn({ err }, 'closing the warehouse client failed'));
});
