import { cutAt, type TimeWindow } from '../../../time/windows.ts';
import { beijingDate } from '../../../time/working-days.ts';
import { clickhouseDateTime, clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';
import { durationBinSql, durationQuantileSql } from '../../planner/rollups.ts';
import { rollupTable } from './so-far.ts';

/** The percentiles the cockpit shows: P10, P25, the median, P75 and P90. */
const LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9];

/**
 * The P10, P25, median, P75 and P90 of case handling time (seconds) over a window of Beijing days capped at the
 * instant `at`, inside the caller's scope; null each when no case was completed with a known time. As so-far.ts
 * cuts windows: the day and hour rollups' histograms (migration 0012), and the completions of the hour holding
 * `at` up to it binned the same way, added up into one histogram and read off its cumulative counts — so a
 * recount from the events gives the same figures: the exact times rounded down to the bins (planner/rollups.ts).
 */
export async function durationQuantiles(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number): Promise<Array<number | null>> {
	const f = regionFilter(adcode, ctx.scope);
	const and = andAll(f.where);
	const c = cutAt(w, at);
	const [r] = await rows<{ q: Array<number | null> }>(
		ctx,
		`SELECT [${LEVELS.map((q) => durationQuantileSql('hist', q)).join(', ')}] AS q FROM (
		   SELECT sumMap(h) AS hist FROM (
		     SELECT sumMap(duration_hist) AS h FROM ${rollupTable('cases', 'day', adcode, 'total', ctx.scope)} WHERE bucket >= {d_from:Date} AND bucket < {d_to:Date} ${and}
		     UNION ALL SELECT sumMap(duration_hist) AS h FROM ${rollupTable('cases', 'hour', adcode, 'total', ctx.scope)} WHERE bucket >= {h_from:DateTime('UTC')} AND bucket < {h_to:DateTime('UTC')} ${and}
		     UNION ALL SELECT sumMapIf(map(${durationBinSql('toUInt32(assumeNotNull(duration_s))')}, toUInt64(1)), status = 'completed' AND duration_s IS NOT NULL) AS h
		     FROM case_events WHERE ts >= {r_from:DateTime64(3, 'UTC')} AND ts < {r_to:DateTime64(3, 'UTC')} ${and}
		   )
		 )`,
		{
			...f.params,
			d_from: beijingDate(c.days.from),
			d_to: beijingDate(c.days.to),
			h_from: clickhouseDateTime(c.hours.from),
			h_to: clickhouseDateTime(c.hours.to),
			r_from: clickhouseDateTime64(c.rest.from),
			r_to: clickhouseDateTime64(c.rest.to)
		}
	);
	return r?.q ?? LEVELS.map(() => null);
}
