import type { RequestHandler } from './$types';
import { handleTrpc } from '$lib/server/api/http';
import { serverContext } from '$lib/server/api/server-context';

const handler: RequestHandler = ({ request, locals }) => handleTrpc(request, { context: serverContext, requestId: locals.requestId });

export const GET = handler;
export const POST = handler;
