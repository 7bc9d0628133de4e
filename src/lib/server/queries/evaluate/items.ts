/**
 * The item-level inputs of the capability index that no catalogue indicator
 * gives: per unit (a sub-region, or the region itself), the service items with
 * at least one case submitted in the window and, of those, the ones handled on
 * the mobile channel, online (web or mobile), across provinces, and the mean
 * number of channels per item. Observed use, not the catalogue's declared
 * availability: an item opened on a channel where nobody applied does not count.
 */
import { beijingDate } from '../../../time/working-days.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, identifier, rows, type QueryCtx } from '../statement.ts';

export interface ItemShares {
	unit: number;
	items: number;
	/** Mean channels (of 5) an item had cases on. */
	channels: number;
	mobileItems: number;
	onlineItems: number;
	crossProvinceItems: number;
}

/**
 * `unitColumn` is the planner's child column of the region (or its own column for
 * one unit): a fixed name, never input. Window: Beijing dates [from, to).
 */
export async function itemShares(
	ctx: QueryCtx,
	adcode: number,
	unitColumn: 'province_code' | 'city_code' | 'adcode',
	from: number,
	to: number
): Promise<ItemShares[]> {
	const f = regionFilter(adcode, ctx.scope);
	const column = identifier(unitColumn);
	const r = await rows<{ unit: number; items: string | number; channels: number; mobile: string | number; online: string | number; cross: string | number }>(
		ctx,
		`SELECT unit, count() AS items, avg(channels) AS channels, countIf(mobile) AS mobile, countIf(online) AS online, countIf(cross > 0) AS cross
		 FROM (
		   SELECT ${column} AS unit, item_code,
		          uniqExactIf(channel, submitted > 0) AS channels,
		          max(channel = 'mobile' AND submitted > 0) AS mobile,
		          max(channel IN ('web', 'mobile') AND submitted > 0) AS online,
		          sum(cross_province) AS cross
		   FROM (
		     SELECT ${column}, item_code, channel, sum(submitted) AS submitted, sum(cross_province) AS cross_province
		     FROM case_stats_day
		     WHERE bucket >= {from:Date} AND bucket < {to:Date} ${andAll(f.where)}
		     GROUP BY ${column}, item_code, channel
		   )
		   GROUP BY unit, item_code
		   HAVING channels > 0
		 )
		 GROUP BY unit`,
		{ ...f.params, from: beijingDate(from), to: beijingDate(to) }
	);
	return r.map((x) => ({
		unit: Number(x.unit),
		items: Number(x.items),
		channels: Number(x.channels),
		mobileItems: Number(x.mobile),
		onlineItems: Number(x.online),
		crossProvinceItems: Number(x.cross)
	}));
}
