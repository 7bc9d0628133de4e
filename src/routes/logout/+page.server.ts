import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { SESSION_COOKIE, webAppDb } from '$lib/server/auth/door';
import { endSession } from '$lib/server/auth/sessions';
import { auditSignOut } from '$lib/server/auth/audit';

export const actions: Actions = {
	default: async ({ cookies, locals, getClientAddress }) => {
		const db = webAppDb();
		await endSession(db, cookies.get(SESSION_COOKIE));
		if (locals.principal?.kind === 'user') await auditSignOut(db, locals.principal, { address: getClientAddress(), requestId: locals.requestId });
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
};
