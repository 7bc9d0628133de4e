import type { LayoutServerLoad } from './$types';
import { ROLE_NAMES } from '$lib/server/auth/principal';

/** Who is signed in, for the account bar (never the session or token). */
export const load: LayoutServerLoad = ({ locals }) => {
	const p = locals.principal;
	return { user: p?.kind === 'user' ? { name: p.name, role: p.role, roleName: ROLE_NAMES[p.role] } : null };
};
