import type { RequestHandler } from './$types';
import { handleTrpc } from '$lib/server/api/http';
import { serverContext } from '$lib/server/api/server-context';

// The principal comes from the door (hooks.server.ts); each procedure checks it against the access matrix.
const handler: RequestHandler = ({ request, locals }) =>
	handleTrpc(request, { context: () => serverContext(locals.principal, locals.admitted), requestId: locals.requestId });

export const GET = handler;
export const POST = handler;
