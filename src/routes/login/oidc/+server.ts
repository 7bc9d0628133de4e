import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { beginOidcSignIn, OIDC_COOKIE, oidcSettings, PENDING_SECONDS } from '$lib/server/auth/oidc';
import { createLogger } from '$lib/server/log/logger';

const log = createLogger('web');

/** GET /login/oidc: off to the province's 统一身份认证 (authorization code flow, PKCE, state and nonce in a short HttpOnly cookie). */
export const GET: RequestHandler = async ({ url, cookies, locals }) => {
	const s = oidcSettings();
	if (!s) error(404, '未配置统一身份认证');
	let target: URL;
	try {
		const { url: to, pending } = await beginOidcSignIn(s, url.searchParams.get('next'));
		cookies.set(OIDC_COOKIE, pending, { path: '/login/oidc', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: PENDING_SECONDS });
		target = to;
	} catch (e) {
		log.error({ err: e, requestId: locals.requestId }, 'the identity provider could not be reached');
		error(502, '统一身份认证服务暂时无法访问，请稍后再试或使用账号密码登录');
	}
	redirect(303, target.href);
};
