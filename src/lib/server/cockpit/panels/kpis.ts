import { todaySoFar, DAY_MS as DAY } from '../../../time/beijing-time.ts';
import { change, type KpiPanel } from '../../../cockpit/model.ts';
import { QueryRequest } from '../../planner/request.ts';
import { comparisonRange } from '../../planner/run.ts';
import { warningCounts } from '../../queries/cockpit/warnings.ts';
import { label, parallel, query, range, type Ctx } from './shared.ts';

const KPI_CODES = ['caseVolume', 'onTimeRate', 'fullyOnlineRate', 'positiveRate', 'ticketVolume'];

/** Today so far against yesterday (环比) and the same day last year (同比), up to the same hour. */
export async function kpis(ctx: Ctx, adcode: number, now: number): Promise<KpiPanel> {
	const w = todaySoFar(now);
	const base = { indicators: KPI_CODES, grain: 'total' as const, region: { adcode } };
	// Today is asked once: with yesterday as its comparison, and last year's same hours on their own.
	const lastYear = comparisonRange(QueryRequest.parse({ ...base, ...range(w.from, w.to), compare: 'yoy' }))!;
	const [dod, yoy, warnings] = await parallel(
		() => query(ctx, { ...base, ...range(w.from, w.to), compare: 'previousDay' }),
		() => query(ctx, { ...base, ...range(lastYear.from, lastYear.to) }),
		() => warningCounts(ctx, adcode, w, DAY)
	);
	const s = dod.series[0];
	const y = yoy.series[0];
	const list = KPI_CODES.map((code) => {
		const l = label(code);
		const value = s?.total[code] ?? null;
		return { ...l, value, dod: change(l.kind, value, s?.compareTotal?.[code] ?? null), yoy: change(l.kind, value, y?.total[code] ?? null) };
	});
	list.push({
		code: 'warnings',
		nameZh: '今日预警',
		unit: '条',
		polarity: 'negative',
		kind: 'count',
		value: warnings.today,
		dod: change('count', warnings.today, warnings.yesterday),
		yoy: null
	});
	return { window: range(w.from, w.to), kpis: list };
}
