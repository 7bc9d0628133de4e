import { DAY_MS as DAY, todaySoFar } from '../../../time/beijing-time.ts';
import { through } from '../../../time/windows.ts';
import { change, type Kpi, type KpiPanel } from '../../../cockpit/model.ts';
import { QueryRequest } from '../../planner/request.ts';
import { comparisonRange } from '../../planner/run.ts';
import { caseCountsUpTo, reviewCountsUpTo, ticketCountsUpTo } from '../../queries/cockpit/so-far.ts';
import { warningCounts } from '../../queries/cockpit/warnings.ts';
import { label, parallel, query, range, valueFromCounts, type Ctx } from './shared.ts';

const KPI_CODES = ['caseVolume', 'onTimeRate', 'fullyOnlineRate', 'positiveRate', 'ticketVolume'];

/**
 * Today up to the instant (nothing stamped after it) against yesterday (环比) and the same day last year (同比),
 * each to the end of the same hour: comparisons read the hour rollups whole (the same day last year has no finer grain).
 */
export async function kpis(ctx: Ctx, adcode: number, now: number): Promise<KpiPanel> {
	const w = todaySoFar(now);
	const base = { indicators: KPI_CODES, grain: 'total' as const, region: { adcode } };
	const yesterday = comparisonRange(QueryRequest.parse({ ...base, ...range(w.from, w.to), compare: 'previousDay' }))!;
	const lastYear = comparisonRange(QueryRequest.parse({ ...base, ...range(w.from, w.to), compare: 'yoy' }))!;
	const [cases, reviews, tickets, dod, yoy, warnings] = await parallel(
		() => caseCountsUpTo(ctx, adcode, w, now, 'total'),
		() => reviewCountsUpTo(ctx, adcode, w, now, 'total'),
		() => ticketCountsUpTo(ctx, adcode, w, now, 'total'),
		() => query(ctx, { ...base, ...range(yesterday.from, yesterday.to) }),
		() => query(ctx, { ...base, ...range(lastYear.from, lastYear.to) }),
		() => warningCounts(ctx, adcode, { from: w.from, to: Math.min(w.to, through(now)) }, { from: w.from - DAY, to: w.to - DAY })
	);
	const counts = { ...(cases.get('total') ?? {}), ...(reviews.get('total') ?? {}), ...(tickets.get('total') ?? {}) };
	const d = dod.series[0];
	const y = yoy.series[0];
	const list: Kpi[] = KPI_CODES.map((code) => {
		const l = label(code);
		const value = valueFromCounts(code, counts);
		return { ...l, value, dod: change(l.kind, value, d?.total[code] ?? null), yoy: change(l.kind, value, y?.total[code] ?? null) };
	});
	list.push({
		code: 'warnings',
		nameZh: '今日预警',
		unit: '条',
		polarity: 'negative',
		kind: 'count',
		value: warnings.today,
		dod: change('count', warnings.today, warnings.yesterday),
		yoy: null,
		before: warnings.yesterday
	});
	return { window: range(w.from, w.to), kpis: list };
}
