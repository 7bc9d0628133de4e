import { beijingLocal } from '../../../time/beijing-time.ts';
import type { EconomyPanel } from '../../../cockpit/model.ts';
import { economyOverview } from '../../queries/economy/overview.ts';
import { regionName } from '../../queries/regions/index.ts';
import type { Ctx } from './shared.ts';

/** This year's economic indicators of the region, or of its province when the region publishes none. */
export async function economy(ctx: Ctx, adcode: number, now: number): Promise<EconomyPanel> {
	const year = Number(beijingLocal(now).slice(0, 4));
	// Statistics are released per province: a city or county shows its province's.
	const candidates = [adcode, Math.floor(adcode / 10000) * 10000].filter((c, i, a) => a.indexOf(c) === i);
	for (const code of candidates) {
		const o = await economyOverview(ctx, code, year);
		if (o.lastRelease || code === candidates.at(-1)) {
			const name = code === 0 ? '全国' : ((await regionName(ctx, code)) ?? String(code));
			return { region: { adcode: code, name }, year, lastRelease: o.lastRelease, indicators: o.indicators };
		}
	}
	throw new Error('unreachable');
}
