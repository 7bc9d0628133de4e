/**
 * The browser's tRPC client: queries batched over HTTP, subscriptions over SSE
 * (one stream per screen; EventSource reconnects by itself and tRPC resumes from
 * the last tracked id).
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '$lib/server/api/root';

export function apiClient(base = '') {
	const url = `${base}/api/trpc`;
	return createTRPCClient<AppRouter>({
		links: [splitLink({ condition: (op) => op.type === 'subscription', true: httpSubscriptionLink({ url }), false: httpBatchLink({ url }) })]
	});
}

export type ApiClient = ReturnType<typeof apiClient>;
