import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { createCaller } from '$lib/server/api/root';
import { serverContext } from '$lib/server/api/server-context';
import { adminOf } from '$lib/server/admin/web';
import { scopeOf } from '$lib/server/auth/principal';
import { deadLetterHeads, hourlyThroughput } from '$lib/server/queries/admin/ingest';
import { ScopeError } from '$lib/server/scope';
import { isWarehouseAway } from '$lib/server/api/errors';
import { createLogger } from '$lib/server/log/logger';

const log = createLogger('web');
/** How much of each refused raw line is shown (already masked at ingest). */
const HEAD_CHARS = 160;

export const load: PageServerLoad = async ({ locals }) => {
	const admin = adminOf(locals);
	const scope = scopeOf(admin);
	// The feed is not split by region: only an admin of the nation sees it.
	if (!('all' in scope && scope.all)) return { ok: false as const, message: '数据接入状态涉及全部地区，仅全国范围的管理员可见' };
	const ctx = serverContext(admin);
	try {
		const [health, heads, throughput] = await Promise.all([
			createCaller(ctx).ingest.health(),
			deadLetterHeads({ warehouse: ctx.warehouse, scope }, HEAD_CHARS),
			hourlyThroughput({ warehouse: ctx.warehouse, scope })
		]);
		return {
			ok: true as const,
			workers: health.workers.map((w) => ({
				worker: String(w.worker),
				eventsPerS: Number(w.events_per_s),
				stored: Number(w.stored),
				dropped: Number(w.dropped),
				lagS: Number(w.lag_s),
				bufferRows: Number(w.buffer_rows),
				reportedAt: String(w.reported_at)
			})),
			deadLetters: health.deadLetters.map((d) => ({ reason: d.reason, lines: Number(d.lines), heads: heads.filter((h) => h.reason === d.reason) })),
			throughput
		};
	} catch (e) {
		if (e instanceof ScopeError) return { ok: false as const, message: '数据接入状态涉及全部地区，仅全国范围的管理员可见' };
		if (!isWarehouseAway(e) && !(e instanceof TRPCError && e.code === 'SERVICE_UNAVAILABLE')) throw e;
		log.warn({ err: e, requestId: locals.requestId }, 'ingest health unavailable');
		return { ok: false as const, message: '数据仓库暂时无法访问，数据接入状态稍后再试' };
	}
};
