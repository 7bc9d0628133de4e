import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { cookieOptions, SESSION_COOKIE, webAppDb, webLimits } from '$lib/server/auth/door';
import { signIn } from '$lib/server/auth/sign-in';
import { auditSignIn } from '$lib/server/auth/audit';
import { createLogger } from '$lib/server/log/logger';
import { oidcSettings } from '$lib/server/auth/oidc';

const log = createLogger('web');

/** Only a path on this site (never `//host` or a scheme) may follow a sign-in. */
function safeNext(value: string | null): string {
	return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && value.length <= 2000 ? value : '/';
}

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.principal?.kind === 'user') redirect(303, safeNext(url.searchParams.get('next')));
	return { sso: oidcSettings() !== undefined };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, locals }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (!username || !password || username.length > 64 || password.length > 256)
			return fail(400, { username: username.slice(0, 64), message: '请输入用户名和密码' });
		const address = getClientAddress();
		const db = webAppDb();
		const result = await signIn(db, { username, password, address }, webLimits());
		await auditSignIn(db, result, { username, address, requestId: locals.requestId });
		if (!result.ok) {
			log.warn({ requestId: locals.requestId, address, reason: result.reason }, 'sign-in refused');
			return fail(result.reason === 'invalid' ? 400 : 429, { username, message: result.message });
		}
		log.info({ requestId: locals.requestId, address, user: result.user.name }, 'signed in');
		cookies.set(SESSION_COOKIE, result.token, cookieOptions(url.protocol === 'https:', Math.floor((result.expiresAt.getTime() - Date.now()) / 1000)));
		redirect(303, result.user.mustChangePassword ? '/account/password' : safeNext(url.searchParams.get('next')));
	}
};
