import type { HeaderPanel } from '../../../cockpit/model.ts';
import { PlanError } from '../../planner/plan.ts';
import { dataAsOf } from '../../queries/cockpit/freshness.ts';
import { childRegions, regionsByCode } from '../../queries/regions/index.ts';
import { NATION } from '../../../regions/index.ts';
import { assertInScope, inScope, levelOf } from '../../scope.ts';
import { historyStatus } from '../history.ts';
import { parallel, type Ctx } from './shared.ts';

/** The region, its path from the nation, the sub-regions the caller may open, and how fresh the feed was at the instant. */
export async function header(ctx: Ctx, adcode: number, now: number): Promise<HeaderPanel> {
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const chain = [adcode, Math.floor(adcode / 100) * 100, Math.floor(adcode / 10000) * 10000].filter((c, i, a) => c !== 0 && a.indexOf(c) === i);
	const [regions, children, asOf, history] = await parallel(
		() => regionsByCode(ctx, chain),
		() => childRegions(ctx, adcode),
		() => dataAsOf(ctx, now),
		() => historyStatus(ctx)
	);
	const byCode = new Map(regions.map((r) => [r.adcode, r]));
	const self = adcode === NATION.adcode ? { ...NATION, short_name: NATION.name } : byCode.get(adcode);
	if (!self) throw new PlanError(`没有该地区：${adcode}`);
	const path = [{ ...NATION }, ...[...chain].reverse().map((c) => ({ adcode: c, name: byCode.get(c)?.name ?? String(c) }))];
	const visible = (ctx.scope.all ? children : children.filter((c) => inScope(c.adcode, ctx.scope))).map((c) => ({ adcode: c.adcode, name: c.name }));
	return {
		region: { adcode, name: self.name, shortName: self.short_name, level: levelOf(adcode) },
		path: adcode === 0 ? path.slice(0, 1) : path,
		children: visible,
		dataAsOf: asOf,
		history
	};
}
