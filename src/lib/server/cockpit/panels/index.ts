/**
 * The cockpit's panels, each computed from the rollups for one region at one
 * instant: one module per panel, and this dispatcher. The live hub computes each
 * (region, panel) once per tick for every wall showing it; `cockpit.panel` answers
 * the same function on demand, so a screen and the API agree for the same instant.
 */
import type { MapIndicator, PanelData, PanelName } from '../../../cockpit/model.ts';
import { PlanError } from '../../planner/plan.ts';
import { AHEAD_MS } from '../../planner/request.ts';
import { economy } from './economy.ts';
import { header } from './header.ts';
import { kpis } from './kpis.ts';
import { geoOf, map } from './map.ts';
import { rankings } from './rankings.ts';
import { reviews } from './reviews.ts';
import { services } from './services.ts';
import type { Ctx } from './shared.ts';
import { ticker } from './ticker.ts';

export { economy, geoOf, header, kpis, map, rankings, reviews, services, ticker };

/** One panel of a region at an instant. */
export async function computePanel<P extends PanelName>(
	ctx: Ctx,
	panel: P,
	adcode: number,
	now: number,
	mapIndicator: MapIndicator = 'caseVolume'
): Promise<PanelData[P]> {
	// The API bounds `at` already; a panel computed for any other instant is refused here too (a 400, never a crash).
	if (!Number.isSafeInteger(now) || Math.abs(now - Date.now()) > AHEAD_MS) throw new PlanError(`时间超出范围：${now}`);
	const compute: { [K in PanelName]: () => Promise<PanelData[K]> } = {
		header: () => header(ctx, adcode, now),
		kpis: () => kpis(ctx, adcode, now),
		economy: () => economy(ctx, adcode, now),
		services: () => services(ctx, adcode, now),
		reviews: () => reviews(ctx, adcode, now),
		map: () => map(ctx, adcode, now, mapIndicator),
		rankings: () => rankings(ctx, adcode, now),
		ticker: () => ticker(ctx, adcode, now)
	};
	return (await compute[panel]()) as PanelData[P];
}
