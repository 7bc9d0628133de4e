import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { cookieOptions, SESSION_COOKIE, webAppDb, webLimits } from '$lib/server/auth/door';
import { createSession } from '$lib/server/auth/sessions';
import { changePassword } from '$lib/server/auth/users';
import { auditPasswordChange } from '$lib/server/auth/audit';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/passwords';

export const load: PageServerLoad = ({ locals }) => {
	const p = locals.principal;
	return { mustChange: p?.kind === 'user' && p.mustChangePassword, minLength: MIN_PASSWORD_LENGTH };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const p = locals.principal;
		if (p?.kind !== 'user') redirect(303, '/login');
		const form = await request.formData();
		const current = String(form.get('current') ?? '');
		const next = String(form.get('next') ?? '');
		const confirm = String(form.get('confirm') ?? '');
		if (next !== confirm) return fail(400, { message: '两次输入的新密码不一致' });
		const db = webAppDb();
		const result = await changePassword(db, p.name, current.slice(0, 256), next);
		if (!result.ok) return fail(400, { message: result.message });
		const address = getClientAddress();
		await auditPasswordChange(db, p, { address, requestId: locals.requestId });
		// Every session of the account ended with the change; this browser gets a new one.
		const limits = webLimits();
		const session = await createSession(db, p.userId, address, limits);
		cookies.set(SESSION_COOKIE, session.token, cookieOptions(url.protocol === 'https:', Math.floor(limits.maxAgeMs / 1000)));
		redirect(303, '/');
	}
};
