import { CATALOGUE } from '../../../indicators/catalogue.ts';
import { QueryRequest } from '../../planner/request.ts';
import { runQuery } from '../../planner/run.ts';
import { publicProcedure, scopedProcedure, router } from '../trpc.ts';

export const indicatorsRouter = router({
	/** The catalogue: code, names, unit, polarity, definition, grains and dimensions of every indicator (no region's data: public). */
	catalogue: publicProcedure.query(() =>
		CATALOGUE.map(({ code, nameZh, nameEn, unit, polarity, kind, definition, grains, dimensions }) => ({
			code,
			nameZh,
			nameEn,
			unit,
			polarity,
			kind,
			definition,
			grains,
			dimensions
		}))
	),
	/** Indicators over a range at a grain, for a region or its sub-regions, from the rollups. */
	query: scopedProcedure.input(QueryRequest).query(({ ctx, input }) => runQuery(ctx.warehouse, input, ctx.scope))
});
