import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { Adcode, levelOf } from '../../../regions/index.ts';
import { childRegions, regionByCode, type Region as RegionRow } from '../../queries/regions/index.ts';
import { assertInScope, visibleRegions } from '../../scope.ts';
import { scopedProcedure, router } from '../trpc.ts';

const adcode = Adcode;

export interface Region {
	adcode: number;
	name: string;
	short_name: string;
	level: 'province' | 'city' | 'county';
	parent_code: number;
}

/** The reply's fields: the tree's province and city codes stay on the server. */
const reply = ({ adcode, name, short_name, level, parent_code }: RegionRow): Region => ({ adcode, name, short_name, level, parent_code });

export const regionsRouter = router({
	/** A region and its parents, for breadcrumbs: names are published, so regions above the scope answer too. */
	get: scopedProcedure.input(z.strictObject({ adcode })).query(async ({ ctx, input }) => {
		assertInScope(input.adcode, ctx.scope, 'published');
		const region = await regionByCode(ctx, input.adcode);
		if (!region) throw new TRPCError({ code: 'NOT_FOUND', message: `没有该地区：${input.adcode}` });
		return reply(region);
	}),
	/** The regions one level below (provinces for 0) that the caller may navigate to: within the scope or on the way down to it. */
	children: scopedProcedure.input(z.strictObject({ adcode })).query(async ({ ctx, input }) => {
		if (levelOf(input.adcode) === 'county') return [];
		return visibleRegions((await childRegions(ctx, input.adcode)).map(reply), ctx.scope);
	})
});
