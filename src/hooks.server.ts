import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { redirect } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { TRPCError } from '@trpc/server';
import { createLogger } from '$lib/server/log/logger';
import { warehouse } from '$lib/server/warehouse';
import { isWarehouseAway, WAREHOUSE_AWAY } from '$lib/server/api/errors';
import { newRequestId } from '$lib/server/api/http';
import { installProcessGuards } from '$lib/server/api/process-guards';
import { securityHeaders } from '$lib/server/api/security-headers';
import { mayOpen, PUBLIC_ROUTES } from '$lib/server/auth/access';
import {
	admittedAgain,
	cookieOptions,
	principalFrom,
	SESSION_COOKIE,
	WALL_COOKIE,
	WALL_COOKIE_MAX_AGE,
	closeWebAppDb,
	webAppDb,
	webLimits
} from '$lib/server/auth/door';
import { resolveWallToken } from '$lib/server/auth/wall-tokens';

const logger = createLogger('web');
installProcessGuards(logger);

/** Every request gets an id: in the log lines it causes, in the `x-request-id` header and in any error reply. */
const requestIds: Handle = async ({ event, resolve }) => {
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

function clientAddress(event: RequestEvent): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** A refusal page in Chinese (the door answers before any route renders). */
function refusal(status: 401 | 403 | 503, message: string, requestId: string): Response {
	const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${status} · 天枢</title></head><body style="font-family:sans-serif;padding:48px">
<h1 data-testid="forbidden">${escapeHtml(message)}</h1><p><a href="/">返回首页</a> · <a href="/login">以其他账号登录</a></p><p style="color:#888">请求编号 ${requestId}</p></body></html>`;
	return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

/** `/wall/<token>` or `/cockpit?wall=<token>`: the token a wall was opened with. */
function wallLink(url: URL): string | undefined {
	const m = /^\/wall\/([^/]{1,200})$/.exec(url.pathname);
	if (m) return decodeURIComponent(m[1]!);
	if (url.pathname === '/cockpit') return url.searchParams.get('wall') ?? undefined;
	return undefined;
}

/**
 * The door: who is calling (a session, else a wall token), then whether they
 * may open this route (auth/access.ts). Nobody signed in → /login; a role without
 * this screen → 403. The tRPC endpoint is public here and checks each procedure.
 */
const door: Handle = async ({ event, resolve }) => {
	const db = webAppDb;
	const address = clientAddress(event);
	const secure = event.url.protocol === 'https:';
	const wallToken = wallLink(event.url);
	if (wallToken !== undefined) {
		const wall = await resolveWallToken(db(), wallToken, address);
		if (!wall || wall.kind !== 'wall') {
			logger.warn({ requestId: event.locals.requestId, address }, 'wall token refused');
			return refusal(403, '大屏令牌无效或已撤销', event.locals.requestId);
		}
		// The token leaves the address bar (and the history, and any Referer) at once.
		event.cookies.set(WALL_COOKIE, wallToken, cookieOptions(secure, WALL_COOKIE_MAX_AGE));
		const clean = new URL('/cockpit', event.url);
		for (const [k, v] of event.url.searchParams) if (k !== 'wall') clean.searchParams.append(k, v);
		if (!clean.searchParams.has('adcode')) clean.searchParams.set('adcode', String(wall.region));
		redirect(303, clean.pathname + clean.search);
	}
	const cookies = { session: event.cookies.get(SESSION_COOKIE), wall: event.cookies.get(WALL_COOKIE) };
	const id = event.route.id;
	let principal: Awaited<ReturnType<typeof principalFrom>>;
	try {
		// No cookie, no lookup: /healthz and first visits never touch the app database.
		principal = cookies.session || cookies.wall ? await principalFrom(db(), cookies, address, webLimits()) : undefined;
	} catch (err) {
		logger.error({ err, requestId: event.locals.requestId }, 'sign-in lookup failed');
		if (id === null || PUBLIC_ROUTES.includes(id)) principal = undefined;
		else return refusal(503, '登录服务暂时不可用，请稍后重试', event.locals.requestId);
	}
	event.locals.principal = principal ?? null;
	if (principal) event.locals.admitted = admittedAgain(db, cookies, address, webLimits, principal);
	// Unknown paths: SvelteKit's 404; public routes and the API (each procedure checked by the tRPC builders).
	if (id === null || PUBLIC_ROUTES.includes(id)) return resolve(event);
	if (!principal) {
		if (event.request.method !== 'GET' && event.request.method !== 'HEAD') return refusal(401, '请先登录', event.locals.requestId);
		const next = event.url.pathname + event.url.search;
		redirect(303, next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
	}
	if (principal.kind === 'user' && principal.mustChangePassword && id !== '/account/password' && id !== '/logout') redirect(303, '/account/password');
	if (!mayOpen(principal, id)) {
		logger.warn({ requestId: event.locals.requestId, route: id, caller: principal.kind === 'user' ? principal.role : principal.kind }, 'page refused');
		return refusal(403, principal.kind === 'wall' ? '大屏令牌只能打开领导驾驶舱' : '您的角色无权访问此页面', event.locals.requestId);
	}
	return resolve(event);
};

// Security headers wrap the door, so its refusals carry them too.
export const handle: Handle = sequence(requestIds, securityHeaders(), door);

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
// client's keep-alive sockets and the app database's pool so the process can exit.
process.on('sveltekit:shutdown' as 'exit', () => {
	warehouse()
		.warehouse.close()
		.catch((err: unknown) => logger.warn({ err }, 'closing the warehouse client failed'));
	closeWebAppDb().catch((err: unknown) => logger.warn({ err }, 'closing the app database pool failed'));
});
