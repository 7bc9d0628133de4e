import type { Actions, PageServerLoad } from './$types';
import { adminIssueWall, adminRevokeWall, wallTokensOverview } from '$lib/server/admin/accounts';
import { IssueWallForm, parseFields, WallNameForm } from '$lib/server/admin/forms';
import { adminOf, invalid, originOf, refused, regionNames } from '$lib/server/admin/web';
import { webAppDb } from '$lib/server/auth/door';
import { warehouse } from '$lib/server/warehouse';

export const load: PageServerLoad = async ({ locals }) => {
	adminOf(locals);
	const walls = await wallTokensOverview(webAppDb());
	const names = await regionNames({ warehouse: warehouse('reader').warehouse }, new Set(walls.map((w) => w.adcode)));
	return {
		walls: walls.map((w) => ({
			id: w.id,
			name: w.name,
			adcode: w.adcode,
			regionName: names[w.adcode] ?? String(w.adcode),
			createdAt: w.createdAt.getTime(),
			createdBy: w.createdBy,
			revokedAt: w.revokedAt?.getTime() ?? null,
			lastUsedAt: w.lastUsedAt?.getTime() ?? null,
			lastUsedFrom: w.lastUsedFrom
		}))
	};
};

export const actions: Actions = {
	issue: async (event) => {
		const admin = adminOf(event.locals);
		const input = parseFields(IssueWallForm, await event.request.formData());
		if (!input.ok) return invalid(input.message, event.locals, 'issue');
		try {
			const { token, wall } = await adminIssueWall(webAppDb(), admin, input.data, originOf(event));
			return { action: 'issue', wall: wall.name, token, link: `${event.url.origin}/wall/${token}` };
		} catch (e) {
			return refused(e, event.locals, 'issue');
		}
	},
	revoke: async (event) => {
		const admin = adminOf(event.locals);
		const input = parseFields(WallNameForm, await event.request.formData());
		if (!input.ok) return invalid(input.message, event.locals, 'revoke');
		try {
			const wall = await adminRevokeWall(webAppDb(), admin, input.data.name, originOf(event));
			return { action: 'revoke', wall: wall.name, done: `大屏令牌 ${wall.name} 已撤销，5 秒内失效` };
		} catch (e) {
			return refused(e, event.locals, 'revoke');
		}
	}
};
