import { beijingLocal, DAY_MS as DAY, todaySoFar } from '../../../time/beijing-time.ts';
import { baselineOf, detectDrop, dropText, planBaseline, type Tally, type Window } from '../../../anomalies/index.ts';
import type { TickerItem, TickerPanel } from '../../../cockpit/model.ts';
import { regionNames } from '../../planner/run.ts';
import { recentWarnings } from '../../queries/cockpit/warnings.ts';
import { assertInScope, levelOf } from '../../scope.ts';
import { parallel, query, range, type Ctx } from './shared.ts';
import { overdueNegatives, spikes } from '../../reviews/alerts.ts';
import { regionsByCode } from '../../queries/regions/index.ts';
import { itemNames } from '../../queries/reviews/rankings.ts';

type By = 'self' | 'children';

/** On-time completions out of completions per sub-region in a window, keyed as the planner keys series. */
async function onTimeTallies(ctx: Ctx, adcode: number, by: By, window: Window): Promise<Map<string, { label: string; tally: Tally }>> {
	const r = await query(ctx, { indicators: ['onTimeRate', 'completedVolume'], ...range(window.from, window.to), grain: 'total', region: { adcode, by } });
	return new Map(
		r.series.map((s) => {
			const total = s.total.completedVolume ?? 0;
			// The planner serves the rate; the count it came from is exact up to rounding.
			return [JSON.stringify(s.key), { label: s.label ?? '本地区', tally: { hits: Math.round(((s.total.onTimeRate ?? 0) * total) / 100), total } }];
		})
	);
}

/**
 * Sub-regions whose 按时办结率 today (completed hours) dropped below the same hours of
 * the recent comparable days (src/lib/anomalies): the text names the baseline.
 */
async function onTimeDrops(ctx: Ctx, adcode: number, by: By, now: number, stamp: string): Promise<TickerItem[]> {
	const plan = planBaseline(now);
	if (!plan) return [];
	const [today, ...days] = await Promise.all([plan.current, ...plan.windows].map((w) => onTimeTallies(ctx, adcode, by, w)));
	const items: TickerItem[] = [];
	for (const [key, { label, tally }] of today!) {
		const drop = detectDrop(
			tally,
			baselineOf(
				plan,
				days.map((d) => d.get(key)?.tally ?? { hits: 0, total: 0 })
			)
		);
		if (drop) items.push({ kind: 'anomaly', severity: drop.severity, ts: stamp, region: label, text: dropText('按时办结率', plan, drop) });
	}
	return items.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'high' ? -1 : 1));
}

/** 好差评 alerts (reviews/alerts.ts): items and halls with a 差评 spike today, and the 差评 past their deadline. */
async function reviewAlerts(ctx: Ctx, adcode: number, now: number, stamp: string): Promise<TickerItem[]> {
	const [spiking, overdue, regionName] = await Promise.all([
		spikes(ctx, adcode, now),
		overdueNegatives(ctx, adcode, now),
		regionNames(ctx.warehouse, [adcode]).then((m) => m.get(adcode) ?? '本地区')
	]);
	const [items, halls] = await Promise.all([
		itemNames(
			ctx,
			spiking.filter((s) => s.by === 'item').map((s) => s.unit)
		),
		regionsByCode(
			ctx,
			spiking.filter((s) => s.by === 'hall').map((s) => Number(s.unit))
		)
	]);
	const hallNames = new Map(halls.map((h) => [String(h.adcode), `${h.name}政务服务大厅`]));
	const out: TickerItem[] = spiking.slice(0, 5).map((s) => ({
		kind: 'review',
		severity: s.drop.severity,
		ts: stamp,
		region: s.by === 'item' ? (items.get(s.unit) ?? s.unit) : (hallNames.get(s.unit) ?? s.unit),
		text: `差评突增：${s.text}`
	}));
	if (overdue > 0)
		out.push({ kind: 'review', severity: overdue >= 10 ? 'high' : 'medium', ts: stamp, region: regionName, text: `${overdue} 条差评已超过整改期限未整改` });
	return out;
}

/** Warnings raised in the last 24 hours and anomalies detected among the sub-regions today. */
export async function ticker(ctx: Ctx, adcode: number, now: number): Promise<TickerPanel> {
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const w = todaySoFar(now);
	const county = levelOf(adcode) === 'county';
	const by: By = county ? 'self' : 'children';
	const stamp = beijingLocal(now).slice(5).replace('T', ' ');
	const [warnings, drops, complaints, reviewItems] = await parallel(
		() => recentWarnings(ctx, adcode, now - DAY),
		() => onTimeDrops(ctx, adcode, by, now, stamp),
		() =>
			query(ctx, {
				indicators: ['ticketVolume'],
				...range(w.from, w.to),
				grain: 'total',
				region: { adcode, by },
				filters: { ticketType: ['complaint'] },
				compare: 'previousWeek'
			}),
		() => reviewAlerts(ctx, adcode, now, stamp)
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
	items.push(...drops);
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
	items.push(...reviewItems);
	return { items: items.slice(0, 20) };
}
