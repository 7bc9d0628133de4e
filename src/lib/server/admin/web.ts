/**
 * What /admin's pages share on the server: the admin check (the door in
 * hooks.server.ts already refuses other callers by the access matrix; this is
 * the second lock, for every load, action and export), region names, and a
 * refusal as a form failure with a Chinese message and a log line.
 */
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { createLogger } from '../log/logger.ts';
import { regionTree, type RegionsCtx } from '../queries/regions/index.ts';
import { AdminError, type AdminPrincipal, type Origin } from './accounts.ts';

const log = createLogger('web');

export function adminOf(locals: App.Locals): AdminPrincipal {
	const p = locals.principal;
	if (p?.kind !== 'user' || p.role !== 'admin' || p.mustChangePassword) error(403, '仅系统管理员可以访问');
	return p;
}

export function originOf(event: Pick<RequestEvent, 'getClientAddress' | 'locals'>): Origin {
	let address: string | null = null;
	try {
		address = event.getClientAddress();
	} catch {
		address = null;
	}
	return { address, requestId: event.locals.requestId };
}

/** A refusal the admin reads on the page; anything else is a real error (logged by handleError). */
export function refused(e: unknown, locals: App.Locals, what: string) {
	if (e instanceof AdminError) {
		log.warn({ requestId: locals.requestId, action: what, reason: e.message }, 'admin action refused');
		return fail(400, { action: what, message: e.message });
	}
	throw e;
}

export function invalid(message: string, locals: App.Locals, what: string) {
	log.warn({ requestId: locals.requestId, action: what, reason: message }, 'admin input refused');
	return fail(400, { action: what, message });
}

/** Names of these regions ('全国' for 0); a code the warehouse does not know (or a warehouse away) stays a code. */
export async function regionNames(ctx: RegionsCtx, codes: Iterable<number>): Promise<Record<number, string>> {
	const out: Record<number, string> = {};
	let tree: Awaited<ReturnType<typeof regionTree>> | undefined;
	try {
		tree = await regionTree(ctx);
	} catch (e) {
		log.warn({ err: e }, 'region names unavailable for /admin');
	}
	for (const c of codes) out[c] = c === 0 ? '全国' : (tree?.get(c)?.name ?? String(c));
	return out;
}
