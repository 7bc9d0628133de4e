/** Risk warnings of a region, inside the caller's scope (regionFilter). */
import type { TickerItem } from '../../../cockpit/model.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';

/** Warnings raised in [from, to) and in the same hours one day earlier (`dayMs` before). */
export async function warningCounts(
	ctx: QueryCtx,
	adcode: number,
	w: { from: number; to: number },
	dayMs: number
): Promise<{ today: number; yesterday: number }> {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ today: number; yesterday: number }>(
		ctx,
		`SELECT countIf(ts >= {from:DateTime64(3, 'UTC')}) AS today, countIf(ts < {yfrom_end:DateTime64(3, 'UTC')}) AS yesterday
		 FROM risk_warnings
		 WHERE ts >= {yfrom:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')} ${andAll(f.where)}`,
		{
			...f.params,
			from: clickhouseDateTime64(w.from),
			to: clickhouseDateTime64(w.to),
			yfrom: clickhouseDateTime64(w.from - dayMs),
			yfrom_end: clickhouseDateTime64(w.to - dayMs)
		}
	);
	return { today: Number(r?.today ?? 0), yesterday: Number(r?.yesterday ?? 0) };
}

export type RecentWarning = { at: string; adcode: number; level: TickerItem['severity']; title: string };

/** The twelve newest warnings since `since`, newest first; `at` is Beijing `MM-DD HH:mm`. */
export function recentWarnings(ctx: QueryCtx, adcode: number, since: number): Promise<RecentWarning[]> {
	const f = regionFilter(adcode, ctx.scope);
	return rows<RecentWarning>(
		ctx,
		`SELECT formatDateTime(ts, '%m-%d %H:%i', 'Asia/Shanghai') AS at, adcode, toString(severity) AS level, title
		 FROM risk_warnings WHERE ts >= {from:DateTime64(3, 'UTC')} ${andAll(f.where)}
		 ORDER BY ts DESC LIMIT 12`,
		{ ...f.params, from: clickhouseDateTime64(since) }
	);
}
