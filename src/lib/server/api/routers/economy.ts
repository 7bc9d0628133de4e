import { z } from 'zod';
import { Adcode } from '../../planner/request.ts';
import { economyOverview } from '../../queries/economy/overview.ts';
import { scopedProcedure, router } from '../trpc.ts';

export const economyRouter = router({
	/**
	 * The main economic indicators of a region for a year: latest value, 同比, 环比,
	 * 累计, target, 目标完成率, 时序进度, red/amber/green, and the monthly trend with
	 * last year's line. Latest release of every period.
	 */
	overview: scopedProcedure
		.input(z.strictObject({ adcode: Adcode, year: z.number().int().min(2000).max(2100) }))
		.query(({ ctx, input }) => economyOverview(ctx, input.adcode, input.year))
});

/** Kept for old imports: the overview lives in queries/economy/ now. */
export { economyOverview };
