import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { appRouter } from '$lib/server/api/root';
import { serverContext } from '$lib/server/api/server-context';

const handler: RequestHandler = ({ request }) =>
	fetchRequestHandler({ endpoint: '/api/trpc', req: request, router: appRouter, createContext: () => serverContext() });

export const GET = handler;
export const POST = handler;
