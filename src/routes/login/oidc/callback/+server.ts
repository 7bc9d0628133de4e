import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { cookieOptions, SESSION_COOKIE, webAppDb, webLimits } from '$lib/server/auth/door';
import { completeOidcSignIn, OIDC_COOKIE, oidcSettings } from '$lib/server/auth/oidc';
import { createLogger } from '$lib/server/log/logger';

const log = createLogger('web');

/** GET /login/oidc/callback: the provider sends the browser back with a code; a session, or a refusal in Chinese. */
export const GET: RequestHandler = async ({ url, cookies, locals, getClientAddress }) => {
	const s = oidcSettings();
	if (!s) error(404, '未配置统一身份认证');
	const pending = cookies.get(OIDC_COOKIE);
	cookies.delete(OIDC_COOKIE, { path: '/login/oidc' });
	const address = getClientAddress();
	const result = await completeOidcSignIn(webAppDb(), s, url, pending, { address, requestId: locals.requestId }, webLimits());
	if (!result.ok) {
		log.warn({ requestId: locals.requestId, address, status: result.status }, 'oidc sign-in refused');
		error(result.status, result.message);
	}
	log.info({ requestId: locals.requestId, address, user: result.user.name }, 'signed in through oidc');
	cookies.set(SESSION_COOKIE, result.token, cookieOptions(url.protocol === 'https:', Math.floor((result.expiresAt.getTime() - Date.now()) / 1000)));
	redirect(303, result.next);
};
