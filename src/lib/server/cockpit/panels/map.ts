import { HOUR_MS as HOUR, startOfBeijingDay, DAY_MS as DAY } from '../../../time/beijing-time.ts';
import { MINUTE_MS } from '../../../time/windows.ts';
import type { MapIndicator, MapPanel } from '../../../cockpit/model.ts';
import { regionNames } from '../../planner/run.ts';
import { casesSubmittedSince, ticketsCreatedSince } from '../../queries/cockpit/activity.ts';
import { caseCountsUpTo, reviewCountsUpTo, ticketCountsUpTo } from '../../queries/cockpit/so-far.ts';
import { assertInScope, levelOf } from '../../scope.ts';
import { countyParent, label, parallel, valueFromCounts, type Ctx } from './shared.ts';

/** The map file for a region: its own children's shapes. */
export function geoOf(adcode: number): string {
	const level = levelOf(adcode);
	if (level === 'national') return 'china';
	if (level === 'province') return `province/${adcode}`;
	if (level === 'city') return `city/${adcode}`;
	const city = Math.floor(adcode / 100) * 100;
	// A county of a municipality or a province-administered county is drawn on its province's map.
	const parent = countyParent(adcode);
	return parent === city ? `city/${city}` : `province/${parent}`;
}

/** The counts each map indicator is computed from (so-far.ts). */
const COUNTS_OF: Record<MapIndicator, typeof caseCountsUpTo> = {
	caseVolume: caseCountsUpTo,
	onTimeRate: caseCountsUpTo,
	positiveRate: reviewCountsUpTo,
	ticketVolume: ticketCountsUpTo
};

/**
 * Today's indicator per sub-region up to the instant, and where cases (the last 15 minutes) and 12345 tickets
 * (this hour) arrived up to the instant. Nothing stamped after it counts.
 */
export async function map(ctx: Ctx, adcode: number, now: number, indicator: MapIndicator): Promise<MapPanel> {
	const day = startOfBeijingDay(now);
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const county = levelOf(adcode) === 'county';
	const [counts, cases, tickets] = await parallel(
		() => COUNTS_OF[indicator](ctx, adcode, { from: day, to: day + DAY }, now, county ? 'total' : 'child'),
		() => casesSubmittedSince(ctx, adcode, Math.floor(now / MINUTE_MS) * MINUTE_MS - 14 * MINUTE_MS, now),
		() => ticketsCreatedSince(ctx, adcode, Math.floor(now / HOUR) * HOUR, now)
	);
	const live = new Map<number, { adcode: number; cases: number; tickets: number }>();
	for (const r of cases) live.set(r.adcode, { adcode: r.adcode, cases: r.n, tickets: 0 });
	for (const r of tickets) {
		const e = live.get(r.adcode) ?? { adcode: r.adcode, cases: 0, tickets: 0 };
		e.tickets = r.n;
		live.set(r.adcode, e);
	}
	// Cases handled by the region's own departments (市本级, 省本级) carry its code, not a child's: not a shape on the map.
	const codes = county ? [adcode] : [...counts.keys()].map(Number).filter((c) => c !== adcode && c !== 0);
	const names = await regionNames(ctx.warehouse, codes);
	const regions = county
		? [{ adcode, name: names.get(adcode) ?? String(adcode), value: valueFromCounts(indicator, counts.get('total')) }]
		: codes.sort((a, b) => a - b).map((c) => ({ adcode: c, name: names.get(c) ?? String(c), value: valueFromCounts(indicator, counts.get(String(c))) }));
	return { indicator: label(indicator), regions, live: [...live.values()].filter((e) => e.cases + e.tickets > 0), geo: geoOf(adcode) };
}
