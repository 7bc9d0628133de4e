import { redirect } from '@sveltejs/kit';
import { adminOf } from '$lib/server/admin/web';

/** /admin opens on its first tab. */
export const load = ({ locals }) => {
	adminOf(locals);
	redirect(303, '/admin/users');
};
