import { HOUR_MS as HOUR, startOfBeijingDay, DAY_MS as DAY } from '../../../time/beijing-time.ts';
import type { MapIndicator, MapPanel } from '../../../cockpit/model.ts';
import { regionNames } from '../../planner/run.ts';
import { casesSubmittedSince, ticketsCreatedSince } from '../../queries/cockpit/activity.ts';
import { assertInScope, levelOf } from '../../scope.ts';
import { countyParent, label, parallel, query, range, type Ctx } from './shared.ts';

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

/** Today's indicator per sub-region, and where cases (last 15 minutes) and 12345 tickets (this hour) are arriving. */
export async function map(ctx: Ctx, adcode: number, now: number, indicator: MapIndicator): Promise<MapPanel> {
	const day = startOfBeijingDay(now);
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const county = levelOf(adcode) === 'county';
	const [values, cases, tickets] = await parallel(
		() => query(ctx, { indicators: [indicator], ...range(day, day + DAY), grain: 'total', region: { adcode, by: county ? 'self' : 'children' } }),
		() => casesSubmittedSince(ctx, adcode, Math.floor(now / 60_000) * 60_000 - 14 * 60_000),
		() => ticketsCreatedSince(ctx, adcode, Math.floor(now / HOUR) * HOUR)
	);
	const live = new Map<number, { adcode: number; cases: number; tickets: number }>();
	for (const r of cases) live.set(r.adcode, { adcode: r.adcode, cases: r.n, tickets: 0 });
	for (const r of tickets) {
		const e = live.get(r.adcode) ?? { adcode: r.adcode, cases: 0, tickets: 0 };
		e.tickets = r.n;
		live.set(r.adcode, e);
	}
	// Cases handled by the region's own departments (市本级, 省本级) carry its code, not a child's: not a shape on the map.
	const regions = county
		? [{ adcode, name: (await regionNames(ctx.warehouse, [adcode])).get(adcode) ?? String(adcode), value: values.series[0]?.total[indicator] ?? null }]
		: values.series
				.filter((s) => Number(s.key.region) !== adcode && Number(s.key.region) !== 0)
				.map((s) => ({ adcode: Number(s.key.region), name: s.label ?? String(s.key.region), value: s.total[indicator] ?? null }));
	return { indicator: label(indicator), regions, live: [...live.values()].filter((e) => e.cases + e.tickets > 0), geo: geoOf(adcode) };
}
