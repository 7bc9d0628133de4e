import { beijingLocal, DAY_MS as DAY, startOfBeijingDay, todaySoFar } from '../../../calendar/beijing-time.ts';
import type { TickerItem, TickerPanel } from '../../../cockpit/model.ts';
import { regionNames } from '../../planner/run.ts';
import { recentWarnings } from '../../queries/cockpit/warnings.ts';
import { assertInScope, levelOf } from '../../scope.ts';
import { parallel, query, range, type Ctx } from './shared.ts';

/** Warnings raised in the last 24 hours and anomalies detected among the sub-regions today. */
export async function ticker(ctx: Ctx, adcode: number, now: number): Promise<TickerPanel> {
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const w = todaySoFar(now);
	const day = startOfBeijingDay(now);
	const county = levelOf(adcode) === 'county';
	const by = county ? ('self' as const) : ('children' as const);
	const [warnings, onTime, baseline, complaints] = await parallel(
		() => recentWarnings(ctx, adcode, now - DAY),
		() => query(ctx, { indicators: ['onTimeRate', 'completedVolume'], ...range(day, day + DAY), grain: 'total', region: { adcode, by } }),
		() => query(ctx, { indicators: ['onTimeRate', 'completedVolume'], ...range(day - 7 * DAY, day), grain: 'total', region: { adcode, by } }),
		() =>
			query(ctx, {
				indicators: ['ticketVolume'],
				...range(w.from, w.to),
				grain: 'total',
				region: { adcode, by },
				filters: { ticketType: ['complaint'] },
				compare: 'previousWeek'
			})
	);
	const names = await regionNames(
		ctx.warehouse,
		warnings.map((r) => r.adcode)
	);
	const items: TickerItem[] = warnings.map((r) => ({
		kind: 'warning',
		severity: r.level,
		ts: r.at,
		region: names.get(r.adcode) ?? String(r.adcode),
		text: r.title
	}));
	const stamp = beijingLocal(now).slice(5).replace('T', ' ');
	// A baseline needs enough completions to be one (a region new to the feed has none).
	const base = new Map(baseline.series.map((s) => [JSON.stringify(s.key), (s.total.completedVolume ?? 0) >= 200 ? (s.total.onTimeRate ?? null) : null]));
	for (const s of onTime.series) {
		const rate = s.total.onTimeRate ?? null;
		const before = base.get(JSON.stringify(s.key)) ?? null;
		if (rate !== null && before !== null && (s.total.completedVolume ?? 0) >= 50 && before - rate >= 5) {
			items.push({
				kind: 'anomaly',
				severity: before - rate >= 10 ? 'high' : 'medium',
				ts: stamp,
				region: s.label ?? '本地区',
				text: `按时办结率今日 ${rate.toFixed(1)}%，较近7日 ${before.toFixed(1)}% 下降 ${(before - rate).toFixed(1)} 个百分点`
			});
		}
	}
	for (const s of complaints.series) {
		const n = s.total.ticketVolume ?? 0;
		const was = s.compareTotal?.ticketVolume ?? 0;
		if (n >= 20 && n >= 2 * Math.max(was, 1)) {
			items.push({
				kind: 'anomaly',
				severity: n >= 4 * Math.max(was, 1) ? 'high' : 'medium',
				ts: stamp,
				region: s.label ?? '本地区',
				text: `12345 投诉今日 ${n} 件，为上周同日同时段 ${was} 件的 ${(n / Math.max(was, 1)).toFixed(1)} 倍`
			});
		}
	}
	return { items: items.slice(0, 20) };
}
