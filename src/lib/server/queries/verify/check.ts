/**
 * 数据核验 (`tianshu verify`): every figure the cockpit serves for a region at an
 * instant, next to the same figure recounted from the raw events (raw.ts), with a
 * verdict. The served side is the app's own tRPC router called in process with a
 * context scoped to the region (as a wall of that region is served); the recount
 * never reads a rollup. Windows come from src/lib/time and are capped at the
 * instant: an event stamped after it is not counted, one stamped at it is (the
 * panels read the same windows: whole days and hours from the rollups, the part
 * of the hour holding the instant from the events — time/windows.ts cutAt). The
 * comparison periods are not capped: 环比 is yesterday and 同比 the same day last
 * year, each to the end of the hour holding the instant (the hour rollups, whole:
 * the day last year has no finer grain); 上周同日 is that whole day.
 */
import { createCaller } from '../../api/root.ts';
import { LiveHub } from '../../live/hub.ts';
import { inScope, levelOf, type Scope } from '../../scope.ts';
import { builtinMethodology } from '../../../indices/builtins.ts';
import { compute } from '../../../indices/engine.ts';
import { indicator } from '../../../indicators/catalogue.ts';
import {
	change,
	MAP_INDICATORS,
	type HeaderPanel,
	type KpiPanel,
	type MapPanel,
	type RankingsPanel,
	type ReviewsPanel,
	type ServicesPanel
} from '../../../cockpit/model.ts';
import { MUNICIPALITIES, provinceOf } from '../../../regions/index.ts';
import { DAY_MS, HOUR_MS, startOfBeijingDay } from '../../../time/beijing-time.ts';
import { MINUTE_MS, samePeriodLastYear, type TimeWindow } from '../../../time/windows.ts';
import { beijingDate } from '../../../time/working-days.ts';
import { childRegions } from '../regions/index.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import {
	rawCaseCounts,
	rawDurationQuantiles,
	rawCaseCountsByChild,
	rawHandlingByChild,
	rawNegativeBacklog,
	rawNegativeReasons,
	rawNewestCaseMinute,
	rawNegativeCohort,
	rawRectifiedOnTimeByChild,
	rawReviewCounts,
	rawReviewCountsByChild,
	rawSubmittedByChannel,
	rawSubmittedByCounty,
	rawSubmittedByHour,
	rawTicketsCreated,
	rawTicketsCreatedByChild,
	rawTicketsCreatedByCounty,
	rawWarnings,
	type CaseCounts,
	type ReviewCounts
} from './raw.ts';

/**
 * Float rounding only: two values agree when they differ by at most this share of
 * the larger (counts are integers far below 10⁹, so a count must be equal).
 */
export const RELATIVE_TOLERANCE = 1e-9;

export type Value = number | string | null;

export interface Figure {
	/** Panel and glossary identifiers, e.g. `kpis.onTimeRate.yoy`. */
	id: string;
	/** Chinese label, as on the wall. */
	label: string;
	served: Value;
	recomputed: Value;
	agree: boolean;
	/** Which parts differ, when a figure stands for several (the map's live dots). */
	detail?: string;
}

export interface VerifyReport {
	adcode: number;
	/** The instant checked (epoch ms). */
	at: number;
	figures: Figure[];
	agreeing: number;
	differing: number;
}

/** What the cockpit shows that the check does not recount, and why (printed with every report). */
export const NOT_COVERED: ReadonlyArray<{ id: string; reason: string }> = [
	{ id: 'economy', reason: '经济指标是统计部门发布的数值（indicator_values），不是由原始事件汇总的' },
	{ id: 'ticker', reason: '滚动条的预警条目与异常由规则生成（异常规则另行改写），不是汇总数' },
	{ id: 'header.path/children', reason: '地区名称与层级来自参考数据，不是事件' }
];

export function agrees(served: Value, recomputed: Value): boolean {
	if (served === null || recomputed === null) return served === recomputed;
	if (typeof served === 'number' && typeof recomputed === 'number') {
		if (!Number.isFinite(served) || !Number.isFinite(recomputed)) return served === recomputed;
		return Math.abs(served - recomputed) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(served), Math.abs(recomputed));
	}
	return served === recomputed;
}

// 环比/同比 of two recounted values by the wall's own rule (model.ts, one home): the figures are recounted, the
// definition of a change is shared.
/** A rate in per cent, null without a denominator (the catalogue's definitions). */
const rate = (n: number, d: number): number | null => (d ? (n / d) * 100 : null);

const cap = (w: TimeWindow, at: number): TimeWindow => ({ from: w.from, to: Math.min(w.to, at + 1) });

/** The region a county is ranked within: its city, or its province for a 直辖市's district or a 省直辖县. */
function rankingParent(adcode: number): number {
	const province = provinceOf(adcode);
	const city = Math.floor(adcode / 100) * 100;
	return MUNICIPALITIES.has(province) || city % 10000 === 9000 ? province : city;
}

export interface VerifyOptions {
	warehouse: Warehouse;
	adcode: number;
	at: number;
}

/** The scope a wall of the region is served with. */
export const regionScope = (adcode: number): Scope => (adcode === 0 ? { all: true } : { adcodes: [adcode] });

/** Every covered figure of the region's cockpit at `at`, served and recounted. */
export async function verifyCockpit({ warehouse, adcode, at }: VerifyOptions): Promise<VerifyReport> {
	const scope = regionScope(adcode);
	const ctx = { warehouse, scope };
	// A trusted in-process caller (as tests and benchmarks are): it names its scope, the region's, itself. Built apart from
	// the call so it type-checks with and without the sign-in's `principal` field in the context.
	const context = {
		warehouse,
		hub: new LiveHub({ watermark: async () => '' }),
		scope,
		requestId: 'verify',
		principal: { kind: 'system' as const, name: 'tianshu verify' }
	};
	const caller = createCaller(context);
	const panel = async <T>(name: 'header' | 'kpis' | 'services' | 'reviews' | 'rankings'): Promise<T> =>
		(await caller.cockpit.panel({ adcode, panel: name, at })).data as T;
	const map = async (m: (typeof MAP_INDICATORS)[number]) => (await caller.cockpit.panel({ adcode, panel: 'map', mapIndicator: m, at })).data as MapPanel;

	const figures: Figure[] = [];
	const add = (id: string, label: string, served: Value | undefined, recomputed: Value | undefined, detail?: string) => {
		const s = served ?? null;
		const r = recomputed ?? null;
		figures.push({ id, label, served: s, recomputed: r, agree: agrees(s, r), ...(detail ? { detail } : {}) });
	};

	const day = startOfBeijingDay(at);
	const hourEnd = Math.floor(at / HOUR_MS) * HOUR_MS + HOUR_MS;
	const today: TimeWindow = cap({ from: day, to: hourEnd }, at);
	const yesterday: TimeWindow = { from: day - DAY_MS, to: hourEnd - DAY_MS };
	const lastYear = samePeriodLastYear({ from: day, to: hourEnd });
	const wholeDay = cap({ from: day, to: day + DAY_MS }, at);
	const month = cap({ from: day - 29 * DAY_MS, to: day + DAY_MS }, at);

	const [header, kpis, services, reviews, rankings, maps] = await Promise.all([
		panel<HeaderPanel>('header'),
		panel<KpiPanel>('kpis'),
		panel<ServicesPanel>('services'),
		panel<ReviewsPanel>('reviews'),
		panel<RankingsPanel>('rankings'),
		Promise.all(MAP_INDICATORS.map(map))
	]);

	// 数据更新: the newest minute of the feed.
	add('header.dataAsOf', '数据更新时间', header.dataAsOf, await rawNewestCaseMinute(ctx, at));

	// KPIs: today up to the instant; 环比 yesterday and 同比 last year, each to the end of the instant's hour.
	{
		const periods = [today, yesterday, lastYear];
		const [cases, reviewCounts, tickets, warnings] = await Promise.all([
			Promise.all(periods.map((w) => rawCaseCounts(ctx, adcode, w))),
			Promise.all(periods.map((w) => rawReviewCounts(ctx, adcode, w))),
			Promise.all(periods.map((w) => rawTicketsCreated(ctx, adcode, w))),
			Promise.all(periods.slice(0, 2).map((w) => rawWarnings(ctx, adcode, w)))
		]);
		const values: Record<string, { kind: 'count' | 'rate'; v: Array<number | null> }> = {
			caseVolume: { kind: 'count', v: cases.map((c) => c.submitted) },
			onTimeRate: { kind: 'rate', v: cases.map((c) => rate(c.onTime, c.completed)) },
			fullyOnlineRate: { kind: 'rate', v: cases.map((c) => rate(c.fullyOnline, c.completed)) },
			// 好评率 without the 差评 whose appeal was upheld (reviews/figures.ts), as the review rollups count them.
			positiveRate: { kind: 'rate', v: reviewCounts.map((r) => rate(r.positive, r.reviews - r.upheld)) },
			ticketVolume: { kind: 'count', v: tickets }
		};
		for (const [code, { kind, v }] of Object.entries(values)) {
			const served = kpis.kpis.find((k) => k.code === code);
			const name = indicator(code)?.nameZh ?? code;
			add(`kpis.${code}.value`, `${name}（今日）`, served?.value, v[0]);
			add(`kpis.${code}.dod`, `${name} 环比`, served?.dod, change(kind, v[0]!, v[1]!));
			add(`kpis.${code}.yoy`, `${name} 同比`, served?.yoy, change(kind, v[0]!, v[2]!));
		}
		const w = kpis.kpis.find((k) => k.code === 'warnings');
		add('kpis.warnings.value', '今日预警', w?.value, warnings[0]);
		add('kpis.warnings.dod', '今日预警 环比', w?.dod, change('count', warnings[0]!, warnings[1]!));
	}

	// 办件: hour by hour today and the same weekday last week, channels, completions today.
	{
		const lastWeekDay: TimeWindow = { from: day - 7 * DAY_MS, to: day - 6 * DAY_MS };
		const [hours, lastWeek, channels, done] = await Promise.all([
			rawSubmittedByHour(ctx, adcode, wholeDay),
			rawSubmittedByHour(ctx, adcode, lastWeekDay),
			rawSubmittedByChannel(ctx, adcode, wholeDay),
			rawCaseCounts(ctx, adcode, wholeDay)
		]);
		const currentHour = Math.floor((at - day) / HOUR_MS);
		for (let h = 0; h < 24; h++) {
			const hh = String(h).padStart(2, '0');
			if (h <= currentHour) add(`services.today.${hh}`, `今日 ${hh} 时办件量`, services.today[h], hours.get(h) ?? 0);
			add(`services.lastWeek.${hh}`, `上周同日 ${hh} 时办件量`, services.lastWeek[h], lastWeek.get(h) ?? 0);
		}
		const CHANNELS: Record<string, string> = { counter: '窗口', web: '网厅', mobile: '移动端', kiosk: '自助终端', hotline: '12345' };
		for (const [channel, nameZh] of Object.entries(CHANNELS)) {
			add(
				`services.channel.${channel}`,
				`办理渠道·${nameZh}（今日办件量）`,
				services.channels.find((c) => c.channel === channel)?.value ?? 0,
				channels.get(channel) ?? 0
			);
		}
		add('services.completedToday', '今日办结量', services.completedToday, done.completed);
		add('services.lateToday', '今日超期办结', services.lateToday, done.completed - done.onTime);
		add('services.onTimeRate', '今日按时办结率', services.onTimeRate, rate(done.onTime, done.completed));
		// 办理时长 over seven days: the rollups keep times in bins (migration 0012), so the recount reads them at that resolution.
		const levels = [100, 250, 500, 750, 900];
		const q = await rawDurationQuantiles(ctx, adcode, cap({ from: day - 6 * DAY_MS, to: day + DAY_MS }, at), levels);
		services.durations.forEach((d, i) =>
			add(`services.durations.${d.label}`, `办理时长 ${d.label}（近7天，小时）`, d.hours, q[i] === null ? null : q[i]! / 3600)
		);
	}

	// 好差评: 30 days and today, the backlog at the instant, the 30 days' 差评 and those of them rectified by the instant, reasons.
	{
		const [m, t, backlog, cohort, todayCohort, reasons] = await Promise.all([
			rawReviewCounts(ctx, adcode, month),
			rawReviewCounts(ctx, adcode, wholeDay),
			rawNegativeBacklog(ctx, adcode, at, beijingDate(at)),
			rawNegativeCohort(ctx, adcode, month, at),
			rawNegativeCohort(ctx, adcode, wholeDay, at),
			rawNegativeReasons(ctx, adcode, month)
		]);
		// A 差评 whose appeal was upheld by the instant (申诉成立) counts in none of these (reviews/figures.ts).
		add('reviews.positiveRate', '好评率（近30天）', reviews.positiveRate, rate(m.positive, m.reviews - cohort.upheld));
		add('reviews.positiveRateToday', '好评率（今日）', reviews.positiveRateToday, rate(t.positive, t.reviews - todayCohort.upheld));
		add('reviews.negative', '差评数（近30天）', reviews.negative, m.negative - cohort.upheld);
		add('reviews.negativeWaiting', '差评待整改（期限内）', reviews.negativeWaiting, backlog.waiting);
		add('reviews.negativeLate', '差评超期未整改', reviews.negativeLate, backlog.late);
		add('reviews.rectifiedRate', '差评整改率（近30天）', reviews.rectifiedRate, rate(cohort.rectified, cohort.negative - cohort.upheld));
		for (let i = 0; i < Math.max(6, reviews.reasons.length); i++) {
			const s = reviews.reasons[i];
			const r = reasons[i];
			if (!s && !r) continue;
			add(`reviews.reasons.${i + 1}`, `差评原因第 ${i + 1} 位`, s ? `${s.tag} ${s.count}` : null, r ? `${r.tag} ${r.count}` : null);
		}
	}

	// 地图: today's value per sub-region (the county itself on a county's wall), and where activity is now.
	{
		const county = levelOf(adcode) === 'county';
		const [cases, reviewsByChild, tickets, self] = await Promise.all([
			county ? undefined : rawCaseCountsByChild(ctx, adcode, wholeDay),
			county ? undefined : rawReviewCountsByChild(ctx, adcode, wholeDay),
			county ? undefined : rawTicketsCreatedByChild(ctx, adcode, wholeDay),
			county ? Promise.all([rawCaseCounts(ctx, adcode, wholeDay), rawReviewCounts(ctx, adcode, wholeDay), rawTicketsCreated(ctx, adcode, wholeDay)]) : undefined
		]);
		const valueOf = (m: string, c: CaseCounts | undefined, r: ReviewCounts | undefined, n: number | undefined): number | null => {
			if (m === 'caseVolume') return c?.submitted ?? 0;
			if (m === 'onTimeRate') return c ? rate(c.onTime, c.completed) : null;
			if (m === 'positiveRate') return r ? rate(r.positive, r.reviews - r.upheld) : null;
			return n ?? 0;
		};
		MAP_INDICATORS.forEach((m, i) => {
			const served = maps[i]!;
			const name = indicator(m)?.nameZh ?? m;
			if (county) {
				add(`map.${m}.${adcode}`, `地图·${name}（本地区）`, served.regions[0]?.value, valueOf(m, self![0], self![1], self![2]));
				return;
			}
			const codes = new Set<number>([...served.regions.map((r) => r.adcode), ...cases!.keys(), ...reviewsByChild!.keys(), ...tickets!.keys()]);
			codes.delete(adcode);
			codes.delete(0);
			for (const code of [...codes].sort((a, b) => a - b)) {
				const s = served.regions.find((r) => r.adcode === code);
				const countKind = m === 'caseVolume' || m === 'ticketVolume';
				add(
					`map.${m}.${code}`,
					`地图·${name}·${s?.name ?? code}`,
					s ? s.value : countKind ? 0 : null,
					valueOf(m, cases!.get(code), reviewsByChild!.get(code), tickets!.get(code))
				);
			}
		});
		const live = maps[0]!.live;
		const sinceCases = Math.floor(at / MINUTE_MS) * MINUTE_MS - 14 * MINUTE_MS;
		const [liveCases, liveTickets] = await Promise.all([
			rawSubmittedByCounty(ctx, adcode, { from: sinceCases, to: at + 1 }),
			rawTicketsCreatedByCounty(ctx, adcode, { from: Math.floor(at / HOUR_MS) * HOUR_MS, to: at + 1 })
		]);
		const dots = (id: string, label: string, servedOf: (e: (typeof live)[number]) => number, recount: Map<number, number>) => {
			const served = new Map(live.map((e) => [e.adcode, servedOf(e)] as const).filter(([, n]) => n > 0));
			const codes = new Set([...served.keys(), ...[...recount].filter(([, n]) => n > 0).map(([c]) => c)]);
			const off = [...codes].filter((c) => (served.get(c) ?? 0) !== (recount.get(c) ?? 0)).sort((a, b) => a - b);
			const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
			const detail = off.length
				? `不一致的区县：${off
						.slice(0, 8)
						.map((c) => `${c}（${served.get(c) ?? 0}/${recount.get(c) ?? 0}）`)
						.join('、')}${off.length > 8 ? ' 等' : ''}`
				: undefined;
			figures.push({ id, label, served: sum(served), recomputed: sum(recount), agree: off.length === 0, ...(detail ? { detail } : {}) });
		};
		dots('map.live.cases', '地图·近15分钟办件（逐区县）', (e) => e.cases, liveCases);
		dots('map.live.tickets', '地图·本小时12345工单（逐区县）', (e) => e.tickets, liveTickets);
	}

	// 排名: the 好差评 satisfaction index of the sub-regions over 30 days, and their rank 30 days before.
	{
		const county = levelOf(adcode) === 'county';
		const parent = county ? (inScope(rankingParent(adcode), scope) ? rankingParent(adcode) : null) : adcode;
		if (parent === null) {
			add('rankings.rows', '排名·参与排名的地区数', rankings.rows.length, 0);
		} else {
			const methodology = builtinMethodology('satisfaction')!;
			const children = await childRegions(ctx, parent);
			const names = new Map(children.map((c) => [c.adcode, c.name]));
			const current = month;
			const previous: TimeWindow = { from: day - 59 * DAY_MS, to: day - 29 * DAY_MS };
			const inputs = async (w: TimeWindow) => {
				const [r, c, h, onTime] = await Promise.all([
					rawReviewCountsByChild(ctx, parent, w),
					rawCaseCountsByChild(ctx, parent, w),
					rawHandlingByChild(ctx, parent, w, at),
					rawRectifiedOnTimeByChild(ctx, parent, w, at)
				]);
				// A unit is ranked when it is a sub-region (not the parent's own departments) with reviews in the period.
				// Upheld appeals leave the reviews and the 差评; 已评价办件 is at most the completed cases (reviews/figures.ts).
				const upheld = (unit: number) => h.get(unit)?.upheld ?? 0;
				return [...r]
					.filter(([unit, x]) => x.reviews - upheld(unit) > 0 && names.has(unit))
					.map(([unit, x]) => ({
						unit: String(unit),
						reviews: x.reviews - upheld(unit),
						reviewed_cases: Math.min(x.reviews - upheld(unit), c.get(unit)?.completed ?? 0),
						positive: x.positive,
						negative: x.negative - upheld(unit),
						completed_cases: c.get(unit)?.completed ?? 0,
						replied: h.get(unit)?.replied ?? 0,
						rectified: h.get(unit)?.rectified ?? 0,
						followed_up: h.get(unit)?.followedUp ?? 0,
						rectified_on_time: onTime.get(unit) ?? 0
					}));
			};
			const [cur, prev] = await Promise.all([inputs(current), inputs(previous)]);
			const score = (rows: Awaited<ReturnType<typeof inputs>>) => (rows.length ? compute(methodology, rows).units : []);
			const before = new Map(score(prev).map((u) => [Number(u.unit), u.rank]));
			const now = new Map(score(cur).map((u) => [Number(u.unit), u]));
			const codes = new Set([...rankings.rows.map((r) => r.adcode), ...now.keys()]);
			add('rankings.rows', '排名·参与排名的地区数', rankings.rows.length, now.size);
			for (const code of [...codes].sort((a, b) => a - b)) {
				const s = rankings.rows.find((r) => r.adcode === code);
				const r = now.get(code);
				const name = names.get(code) ?? String(code);
				add(`rankings.${code}.score`, `排名·${name}·满意度指数`, s?.score, r?.score);
				add(`rankings.${code}.rank`, `排名·${name}·名次`, s?.rank, r?.rank);
				add(`rankings.${code}.previousRank`, `排名·${name}·前30天名次`, s?.previousRank, r ? (before.get(code) ?? null) : null);
			}
		}
	}

	const differing = figures.filter((f) => !f.agree).length;
	return { adcode, at, figures, agreeing: figures.length - differing, differing };
}
