import type { Actions, PageServerLoad } from './$types';
import {
	adminAddUser,
	adminResetPassword,
	adminRevokeSession,
	adminSetDisabled,
	adminSetRegions,
	adminSetRole,
	usersOverview
} from '$lib/server/admin/accounts';
import { AddUserForm, parseFields, RegionsForm, RoleForm, SessionForm, UserNameForm } from '$lib/server/admin/forms';
import { adminOf, invalid, originOf, refused, regionNames } from '$lib/server/admin/web';
import { webAppDb } from '$lib/server/auth/door';
import { ROLE_NAMES, ROLES } from '$lib/server/auth/principal';
import { warehouse } from '$lib/server/warehouse';

export const load: PageServerLoad = async ({ locals }) => {
	adminOf(locals);
	const users = await usersOverview(webAppDb());
	const names = await regionNames({ warehouse: warehouse('reader').warehouse }, new Set(users.flatMap((u) => u.regions)));
	return {
		roles: ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] })),
		users: users.map((u) => ({
			id: u.id,
			name: u.name,
			role: u.role,
			roleName: ROLE_NAMES[u.role],
			regions: u.regions.map((c) => ({ code: c, name: names[c] ?? String(c) })),
			disabled: u.disabledAt !== null,
			mustChangePassword: u.mustChangePassword,
			lockedUntil: u.lockedUntil && u.lockedUntil.getTime() > Date.now() ? u.lockedUntil.getTime() : null,
			lastSignIn: u.lastSignIn?.getTime() ?? null,
			sessions: u.sessions.map((s) => ({ id: s.id, createdAt: s.createdAt.getTime(), lastSeenAt: s.lastSeenAt.getTime(), address: s.address }))
		}))
	};
};

export const actions: Actions = {
	add: async (event) => {
		const admin = adminOf(event.locals);
		const input = parseFields(AddUserForm, await event.request.formData());
		if (!input.ok) return invalid(input.message, event.locals, 'add');
		try {
			const { user, password } = await adminAddUser(webAppDb(), admin, input.data, originOf(event));
			return { action: 'add', user: user.name, password };
		} catch (e) {
			return refused(e, event.locals, 'add');
		}
	},
	disable: async (event) => {
		const admin = adminOf(event.locals);
		const input = parseFields(UserNameForm, await event.request.formData());
		if (!input.ok) return invalid(input.message, event.locals, 'disable');
		try {
			const user = await adminSetDisabled(webAppDb(), admin, input.data.name, true, originOf(event));
			return { action: 'disable', user: user.name, done: `已停用 ${user.name}，其会话已全部结束` };
		} catch (e) {
			return refused(e, event.locals, 'disable');
		}
	},
	enable: async (event) => {
		const admin = adminOf(event.locals);
		const input = parseFields(UserNameForm, await event.request.formData());
		if (!input.ok) return invalid(input.message, event.locals, 'enable');
		try {
			const user = await adminSetDisabled(webAppDb(), admin, input.data.name, false, originOf(event));
			return { action: 'enable', user: user.name, done: `已启用 ${user.name}` };
		} catch (e) {
			return refused(e, event.locals, 'enable');
		}
	},
	reset: async (event) => {
		const admin = adminOf(event.locals);
		const input = parseFields(UserNameForm, await event.request.formData());
		if (!input.ok) return invalid(input.message, event.locals, 'reset');
		try {
			const { user, password } = await adminResetPassword(webAppDb(), admin, input.data.name, originOf(event));
			return { action: 'reset', user: user.name, password };
		} catch (e) {
			return refused(e, event.locals, 'reset');
		}
	},
	role: async (event) => {
		const admin = adminOf(event.locals);
		const input = parseFields(RoleForm, await event.request.formData());
		if (!input.ok) return invalid(input.message, event.locals, 'role');
		try {
			const user = await adminSetRole(webAppDb(), admin, input.data.name, input.data.role, originOf(event));
			return { action: 'role', user: user.name, done: `${user.name} 的角色已改为 ${ROLE_NAMES[user.role]}，其会话已全部结束` };
		} catch (e) {
			return refused(e, event.locals, 'role');
		}
	},
	regions: async (event) => {
		const admin = adminOf(event.locals);
		const input = parseFields(RegionsForm, await event.request.formData());
		if (!input.ok) return invalid(input.message, event.locals, 'regions');
		try {
			const user = await adminSetRegions(webAppDb(), admin, input.data.name, input.data.regions, originOf(event));
			return { action: 'regions', user: user.name, done: `${user.name} 的区域已改为 ${user.regions.join('、')}，其会话已全部结束` };
		} catch (e) {
			return refused(e, event.locals, 'regions');
		}
	},
	revokeSession: async (event) => {
		const admin = adminOf(event.locals);
		const input = parseFields(SessionForm, await event.request.formData());
		if (!input.ok) return invalid(input.message, event.locals, 'revokeSession');
		try {
			const r = await adminRevokeSession(webAppDb(), admin, input.data.id, originOf(event));
			return { action: 'revokeSession', user: r.userName, done: `已结束 ${r.userName} 的一个会话` };
		} catch (e) {
			return refused(e, event.locals, 'revokeSession');
		}
	}
};
