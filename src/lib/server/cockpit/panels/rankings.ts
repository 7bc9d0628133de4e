import { DAY_MS as DAY, startOfBeijingDay } from '../../../time/beijing-time.ts';
import type { RankingsPanel } from '../../../cockpit/model.ts';
import { builtinMethodology } from '../../../indices/builtins.ts';
import { compute } from '../../../indices/engine.ts';
import { childRegions } from '../../queries/regions/index.ts';
import { satisfactionInputs } from '../../queries/cockpit/satisfaction.ts';
import { inScope, levelOf } from '../../scope.ts';
import { countyParent, parallel, type Ctx } from './shared.ts';

/**
 * Sub-regions on the 好差评 satisfaction index over the last 30 days up to the instant, with their
 * rank over the 30 days before (movement). Inputs are the methodology's columns; nothing stamped after the instant counts.
 */
export async function rankings(ctx: Ctx, adcode: number, now: number): Promise<RankingsPanel> {
	const methodology = builtinMethodology('satisfaction')!;
	const day = startOfBeijingDay(now);
	// A county is shown among its siblings: the units of its city (or its province, for a municipality's districts).
	const county = levelOf(adcode) === 'county';
	const parent = county ? (inScope(countyParent(adcode), ctx.scope) ? countyParent(adcode) : null) : adcode;
	const index = { id: methodology.id, nameZh: methodology.nameZh ?? methodology.name };
	if (parent === null) return { index, period: '近30天', rows: [], highlight: adcode };
	const [current, previous, children] = await parallel(
		() => satisfactionInputs(ctx, parent, { from: day - 29 * DAY, to: day + DAY }, now),
		() => satisfactionInputs(ctx, parent, { from: day - 59 * DAY, to: day - 29 * DAY }, now),
		() => childRegions(ctx, parent)
	);
	// Units are the sub-regions only: rows filed under the parent's own code (市本级) are not ranked.
	const names = new Map(children.map((c) => [String(c.adcode), c.name]));
	const score = (inputs: typeof current) =>
		inputs.length
			? compute(
					methodology,
					inputs.filter((r) => names.has(String(r.unit)))
				).units
			: [];
	const before = new Map(score(previous).map((u) => [u.unit, u.rank]));
	const ranked = score(current)
		.map((u) => ({ adcode: Number(u.unit), name: names.get(u.unit) ?? u.unit, score: u.score, rank: u.rank, previousRank: before.get(u.unit) ?? null }))
		// Units tied on the shown (rounded) score share a rank; within it the higher unrounded score comes first.
		.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.adcode - b.adcode);
	return { index, period: '近30天', rows: ranked, highlight: county ? adcode : null };
}
