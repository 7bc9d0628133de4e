import type { HandleServerError } from '@sveltejs/kit';
import { createLogger } from '$lib/server/log/logger';
import { warehouse } from '$lib/server/warehouse';

const logger = createLogger('web');

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) logger.error({ err: error, path: event.url.pathname, status }, 'request failed');
	return { message: status === 404 ? '页面不存在' : '服务器内部错误' };
};

// adapter-node emits this after it stops accepting requests; close the warehouse
// client's keep-alive sockets so the process can exit.
process.on('sveltekit:shutdown' as 'exit', () => {
	void warehouse().warehouse.close();
});
