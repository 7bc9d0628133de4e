/**
 * Published statistics of a region for a year: every indicator's latest release
 * of every period and the year's targets. Published for everyone, so regions above
 * the caller's scope answer too (../../scope.ts, kind 'published').
 */
import { ECONOMY, economicFigure } from '../../../indicators/economy.ts';
import { assertInScope } from '../../scope.ts';
import { rows, type QueryCtx } from '../statement.ts';

export type Release = { indicator: string; period: string; value: number; release_ts: string };

/** The latest release of every period starting in `year` or the year before. */
export function releases(ctx: QueryCtx, adcode: number, year: number): Promise<Release[]> {
	assertInScope(adcode, ctx.scope, 'published');
	return rows<Release>(
		ctx,
		`SELECT indicator, period, value, toString(release_ts) AS release_ts FROM indicator_latest
		 WHERE adcode = {adcode:UInt32} AND toYear(period_start) IN ({year:UInt16} - 1, {year:UInt16})`,
		{ adcode, year }
	);
}

/** The year's targets, one per indicator. */
export function targets(ctx: QueryCtx, adcode: number, year: number): Promise<Array<{ indicator: string; value: number }>> {
	assertInScope(adcode, ctx.scope, 'published');
	return rows<{ indicator: string; value: number }>(ctx, 'SELECT indicator, value FROM target_latest WHERE adcode = {adcode:UInt32} AND year = {year:UInt16}', {
		adcode,
		year
	});
}

/**
 * The main economic indicators of a region for a year: latest value, 同比, 环比,
 * 累计, target, 目标完成率, 时序进度, red/amber/green, and the monthly trend with
 * last year's line.
 */
export async function economyOverview(ctx: QueryCtx, adcode: number, year: number) {
	assertInScope(adcode, ctx.scope, 'published'); // the scope, before anything is read
	const [released, targeted] = await Promise.all([releases(ctx, adcode, year), targets(ctx, adcode, year)]);
	const lastRelease = released.reduce((m, r) => (r.release_ts > m ? r.release_ts : m), '');
	return {
		adcode,
		year,
		lastRelease: lastRelease || null,
		indicators: ECONOMY.map((def) => ({
			...def,
			...economicFigure(
				def,
				year,
				released.filter((r) => r.indicator === def.code),
				targeted.find((t) => t.indicator === def.code)?.value ?? null
			)
		}))
	};
}
