/**
 * 好差评 alerts (issue 15, item 5): a spike of 差评 for a service item or a hall — its 好评率 today (completed
 * hours) below the same hours of the recent comparable days, by the anomaly rule of src/lib/anomalies (enough
 * reviews on both sides, a drop large in points and against the days' spread) — and 差评 past their deadline.
 * They go on the cockpit ticker and mark the queue's rows.
 */
import { baselineOf, detectDrop, dropText, planBaseline, type Drop } from '../../anomalies/index.ts';
import { beijingDate } from '../../time/working-days.ts';
import type { QueryCtx } from '../queries/statement.ts';
import { overdueNegatives, unitDayTallies } from '../queries/reviews/alerts.ts';

export interface Spike {
	by: 'item' | 'hall';
	/** Item code, or the hall's region code. */
	unit: string;
	drop: Drop;
	/** '好评率 今日0–10时 …' */
	text: string;
}

/** Items and halls of a region whose 好评率 dropped today against the comparable days. */
export async function spikes(ctx: QueryCtx, adcode: number, now: number): Promise<Spike[]> {
	const plan = planBaseline(now);
	if (!plan) return [];
	const from = Math.min(...plan.windows.map((w) => w.from));
	const hour = plan.hours[1];
	const out: Spike[] = [];
	for (const by of ['item', 'hall'] as const) {
		const tallies = await unitDayTallies(ctx, adcode, by, from, plan.current.to, hour);
		const byUnit = new Map<string, Map<string, { hits: number; total: number }>>();
		for (const t of tallies) {
			let days = byUnit.get(t.unit);
			if (!days) byUnit.set(t.unit, (days = new Map()));
			days.set(t.day, { hits: t.positive, total: t.reviews });
		}
		const today = beijingDate(plan.current.from);
		for (const [unit, days] of byUnit) {
			const current = days.get(today);
			if (!current) continue;
			const drop = detectDrop(
				current,
				baselineOf(
					plan,
					plan.days.map((d) => days.get(d) ?? { hits: 0, total: 0 })
				)
			);
			if (drop) out.push({ by, unit, drop, text: dropText('好评率', plan, drop) });
		}
	}
	return out.sort((a, b) => b.drop.sigmas - a.drop.sigmas);
}

export { overdueNegatives };
