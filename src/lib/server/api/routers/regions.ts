import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { Adcode } from '../../planner/request.ts';
import { assertInScope, levelOf, visibleRegions } from '../../scope.ts';
import { scopedProcedure, router } from '../trpc.ts';

const adcode = Adcode;

export interface Region {
	adcode: number;
	name: string;
	short_name: string;
	level: 'province' | 'city' | 'county';
	parent_code: number;
}

export const regionsRouter = router({
	/** A region and its parents, for breadcrumbs: names are published, so regions above the scope answer too. */
	get: scopedProcedure.input(z.strictObject({ adcode })).query(async ({ ctx, input }) => {
		assertInScope(input.adcode, ctx.scope, 'published');
		const rs = await ctx.warehouse.query({
			query: 'SELECT adcode, name, short_name, toString(level) AS level, parent_code FROM regions FINAL WHERE adcode = {adcode:UInt32}',
			query_params: { adcode: input.adcode },
			format: 'JSONEachRow'
		});
		const [region] = await rs.json<Region>();
		if (!region) throw new TRPCError({ code: 'NOT_FOUND', message: `没有该地区：${input.adcode}` });
		return region;
	}),
	/** The regions one level below (provinces for 0) that the caller may navigate to: within the scope or on the way down to it. */
	children: scopedProcedure.input(z.strictObject({ adcode })).query(async ({ ctx, input }) => {
		const level = levelOf(input.adcode);
		if (level === 'county') return [];
		const rs = await ctx.warehouse.query({
			query: `SELECT adcode, name, short_name, toString(level) AS level, parent_code FROM regions FINAL
			        WHERE parent_code = {parent:UInt32} ORDER BY adcode`,
			query_params: { parent: input.adcode },
			format: 'JSONEachRow'
		});
		return visibleRegions(await rs.json<Region>(), ctx.scope);
	})
});
