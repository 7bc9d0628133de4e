import type { PageServerLoad } from './$types';
import { ACTOR_KIND_LABELS, auditFilterOf } from '$lib/server/admin/audit-export';
import { AuditQuery, parseFields } from '$lib/server/admin/forms';
import { adminOf, regionNames } from '$lib/server/admin/web';
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, listAudit } from '$lib/server/audit/audit';
import { webAppDb } from '$lib/server/auth/door';
import { createLogger } from '$lib/server/log/logger';
import { warehouse } from '$lib/server/warehouse';

const log = createLogger('web');
const PAGE = 50;

export const load: PageServerLoad = async ({ locals, url }) => {
	adminOf(locals);
	const actions = AUDIT_ACTIONS.map((a) => ({ value: a, label: AUDIT_ACTION_LABELS[a] }));
	const q = parseFields(AuditQuery, url.searchParams);
	if (!q.ok) {
		log.warn({ requestId: locals.requestId, reason: q.message }, 'audit filter refused');
		return { actions, message: q.message, entries: [], next: null, regionNames: {} as Record<number, string> };
	}
	const page = await listAudit(webAppDb(), auditFilterOf(q.data), { limit: q.data.limit ?? PAGE, ...(q.data.cursor ? { cursor: q.data.cursor } : {}) });
	const names = await regionNames({ warehouse: warehouse('reader').warehouse }, new Set(page.entries.flatMap((e) => e.regions)));
	return {
		actions,
		message: null,
		regionNames: names,
		next: page.next,
		entries: page.entries.map((e) => ({
			id: e.id,
			at: e.at.getTime(),
			actorKind: ACTOR_KIND_LABELS[e.actor.kind],
			actor: e.actor.name,
			address: e.address,
			action: AUDIT_ACTION_LABELS[e.action] ?? e.action,
			regions: e.regions,
			detail: JSON.stringify(e.detail),
			requestId: e.requestId
		}))
	};
};
