import { z } from 'zod';
import { ECONOMY, economicFigure } from '../../../indicators/economy.ts';
import { Adcode } from '../../planner/request.ts';
import { assertInScope } from '../../scope.ts';
import { scopedProcedure, router } from '../trpc.ts';
import type { Context } from '../context.ts';

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

/** The economic overview of a region for a year: published statistics, so regions above the scope answer too (../scope.ts). */
export async function economyOverview(ctx: Pick<Context, 'warehouse' | 'scope'>, adcode: number, year: number) {
	const input = { adcode, year };
	assertInScope(input.adcode, ctx.scope, 'published');
	const [releases, targets] = await Promise.all([
		ctx.warehouse
			.query({
				query: `SELECT indicator, period, value, toString(release_ts) AS release_ts FROM indicator_latest
				        WHERE adcode = {adcode:UInt32} AND toYear(period_start) IN ({year:UInt16} - 1, {year:UInt16})`,
				query_params: input,
				format: 'JSONEachRow'
			})
			.then((r) => r.json<{ indicator: string; period: string; value: number; release_ts: string }>()),
		ctx.warehouse
			.query({
				query: 'SELECT indicator, value FROM target_latest WHERE adcode = {adcode:UInt32} AND year = {year:UInt16}',
				query_params: input,
				format: 'JSONEachRow'
			})
			.then((r) => r.json<{ indicator: string; value: number }>())
	]);
	const lastRelease = releases.reduce((m, r) => (r.release_ts > m ? r.release_ts : m), '');
	return {
		adcode: input.adcode,
		year: input.year,
		lastRelease: lastRelease || null,
		indicators: ECONOMY.map((def) => ({
			...def,
			...economicFigure(
				def,
				input.year,
				releases.filter((r) => r.indicator === def.code),
				targets.find((t) => t.indicator === def.code)?.value ?? null
			)
		}))
	};
}
