import { adminOf } from '$lib/server/admin/web';

/** Every /admin page: admins only (the door checked the matrix; this is the second lock). */
export const load = ({ locals }) => {
	const admin = adminOf(locals);
	return { admin: { name: admin.name } };
};
