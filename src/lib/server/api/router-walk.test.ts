/**
 * The promise "a procedure cannot forget the scope": every procedure of the
 * router is built on `scopedProcedure` or on the explicitly named
 * `publicProcedure`, and only the named few are public.
 */
import { describe, expect, it } from 'vitest';
import type { AnyProcedure, AnyRouter } from '@trpc/server';
import { appRouter } from './root.ts';
import { router, scoped, scopedProcedure, unscoped } from './trpc.ts';
import { PROCEDURES } from '../auth/access.ts';
import { ROLES } from '../auth/principal.ts';

/** Procedures that read nothing of any region. Adding one here is a decision to review. */
const PUBLIC = ['indicators.catalogue'];

type Builder = 'scoped' | 'public' | 'neither';

function builderOf(procedure: AnyProcedure): Builder {
	const middlewares = (procedure._def as unknown as { middlewares: unknown[] }).middlewares;
	const has = (marker: { _middlewares: unknown[] }) => marker._middlewares.every((m) => middlewares.includes(m));
	if (has(scoped)) return 'scoped';
	if (has(unscoped)) return 'public';
	return 'neither';
}

function walk(r: AnyRouter): Record<string, Builder> {
	const procedures = (r._def as unknown as { procedures: Record<string, AnyProcedure> }).procedures;
	return Object.fromEntries(Object.entries(procedures).map(([path, p]) => [path, builderOf(p)]));
}

describe('the router walk', () => {
	it('finds every procedure built on the scoped builder, or on the named public one', () => {
		const builders = walk(appRouter);
		expect(Object.keys(builders).length).toBeGreaterThanOrEqual(11);
		const unscopedPaths = Object.entries(builders).filter(([, b]) => b !== 'scoped');
		expect(Object.fromEntries(unscopedPaths)).toEqual(Object.fromEntries(PUBLIC.map((p) => [p, 'public'])));
		// Subscriptions too.
		expect(builders['live.query']).toBe('scoped');
		expect(builders['cockpit.live']).toBe('scoped');
	});

	it('finds every procedure in the access matrix (auth/access.ts), and nothing there that the router lacks', () => {
		const paths = Object.keys(walk(appRouter)).sort();
		expect(Object.keys(PROCEDURES).sort()).toEqual(paths);
		// Each entry names known callers only, and no one gets ingest.health but the admin.
		for (const [path, callers] of Object.entries(PROCEDURES)) for (const c of callers) expect([...ROLES, 'wall'], path).toContain(c);
		expect(PROCEDURES['ingest.health']).toEqual(['admin']);
	});

	it('refuses a procedure missing from the matrix to every caller, over the real builder', async () => {
		const { LiveHub } = await import('../live/hub.ts');
		const r = router({ unlisted: scopedProcedure.query(() => 'data') });
		const hub = new LiveHub({ watermark: async () => '' });
		for (const role of ROLES) {
			const caller = r.createCaller({
				warehouse: undefined as never,
				hub,
				principal: { kind: 'user', userId: 1, name: 'u', role, regions: [0], sessionId: 1, mustChangePassword: false },
				scope: { all: true }
			});
			await expect(caller.unlisted(), role).rejects.toMatchObject({ code: 'FORBIDDEN' });
		}
		const anonymous = r.createCaller({ warehouse: undefined as never, hub, principal: null, scope: { all: true } });
		await expect(anonymous.unlisted()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
	});

	it('would catch a procedure built without the scope', async () => {
		// A router with one procedure on tRPC's plain builder (what a newcomer might write) next to a scoped one.
		const { initTRPC } = await import('@trpc/server');
		const bare = initTRPC.create().procedure.query(() => 1);
		const r = router({ ok: scopedProcedure.query(() => 1), forgot: bare as never });
		expect(walk(r)).toEqual({ ok: 'scoped', forgot: 'neither' });
	});
});
