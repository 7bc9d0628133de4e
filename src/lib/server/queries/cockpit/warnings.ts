/** Risk warnings of a region, inside the caller's scope (regionFilter). */
import type { TickerItem } from '../../../cockpit/model.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, rows, type QueryCtx } from '../statement.ts';
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';

/** Warnings raised in the window `today` and in the window `yesterday` (each [from, to), the first capped at the instant by the caller). */
export async function warningCounts(
	ctx: QueryCtx,
	adcode: number,
	today: { from: number; to: number },
	yesterday: { from: number; to: number }
): Promise<{ today: number; yesterday: number }> {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ today: number; yesterday: number }>(
		ctx,
		`SELECT countIf(ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}) AS today,
		        countIf(ts >= {yfrom:DateTime64(3, 'UTC')} AND ts < {yto:DateTime64(3, 'UTC')}) AS yesterday
		 FROM risk_warnings
		 WHERE ts >= {yfrom:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')} ${andAll(f.where)}`,
		{
			...f.params,
			from: clickhouseDateTime64(today.from),
			to: clickhouseDateTime64(today.to),
			yfrom: clickhouseDateTime64(yesterday.from),
			yto: clickhouseDateTime64(yesterday.to)
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
