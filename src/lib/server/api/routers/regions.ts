import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { inScope, levelOf, within } from '../../planner/plan.ts';
import { procedure, router } from '../trpc.ts';

const adcode = z.number().int().min(0).max(829999);

export interface Region {
	adcode: number;
	name: string;
	short_name: string;
	level: 'province' | 'city' | 'county';
	parent_code: number;
}

export const regionsRouter = router({
	/** A region and its parents, for breadcrumbs. */
	get: procedure.input(z.object({ adcode })).query(async ({ ctx, input }) => {
		if (!inScope(input.adcode, ctx.scope)) throw new TRPCError({ code: 'FORBIDDEN', message: `region ${input.adcode} is outside your scope` });
		const rs = await ctx.warehouse.query({
			query: 'SELECT adcode, name, short_name, toString(level) AS level, parent_code FROM regions FINAL WHERE adcode = {adcode:UInt32}',
			query_params: { adcode: input.adcode },
			format: 'JSONEachRow'
		});
		const [region] = await rs.json<Region>();
		if (!region) throw new TRPCError({ code: 'NOT_FOUND', message: `no region ${input.adcode}` });
		return region;
	}),
	/** The regions one level below (provinces for 0), within the caller's scope. */
	children: procedure.input(z.object({ adcode })).query(async ({ ctx, input }) => {
		const level = levelOf(input.adcode);
		if (level === 'county') return [];
		const rs = await ctx.warehouse.query({
			query: `SELECT adcode, name, short_name, toString(level) AS level, parent_code FROM regions FINAL
			        WHERE parent_code = {parent:UInt32} ORDER BY adcode`,
			query_params: { parent: input.adcode },
			format: 'JSONEachRow'
		});
		const rows = await rs.json<Region>();
		return ctx.scope.all ? rows : rows.filter((r) => ctx.scope.all || ctx.scope.adcodes.some((s) => within(r.adcode, s) || within(s, r.adcode)));
	})
});
