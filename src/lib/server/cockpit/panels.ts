/**
 * The cockpit's panels, each computed from the rollups for one region at one
 * instant. The live hub computes each (region, panel) once per tick for every
 * wall showing it; `cockpit.panel` answers the same function on demand, so a
 * screen and the API agree for the same instant.
 */
import { indicator as catalogueIndicator } from '../../indicators/catalogue.ts';
import { builtinMethodology } from '../../indices/builtins.ts';
import { compute } from '../../indices/engine.ts';
import { beijingLocal, DAY_MS as DAY, HOUR_MS as HOUR, startOfBeijingDay, todaySoFar } from '../../calendar/beijing-time.ts';
import { beijingDate } from '../../calendar/working-days.ts';
import {
	change,
	type EconomyPanel,
	type HeaderPanel,
	type IndicatorLabel,
	type KpiPanel,
	type MapIndicator,
	type MapPanel,
	type PanelData,
	type PanelName,
	type RankingsPanel,
	type ReviewsPanel,
	type ServicesPanel,
	type TickerItem,
	type TickerPanel
} from '../../cockpit/model.ts';
import type { Context } from '../api/context.ts';
import { economyOverview } from '../api/routers/economy.ts';
import { MUNICIPALITIES, childColumn, PlanError } from '../planner/plan.ts';
import { AHEAD_MS, QueryRequest, type QueryInput } from '../planner/request.ts';
import { assertInScope, inScope, levelOf, regionFilter } from '../scope.ts';
import { comparisonRange, regionNames, runQuery, type QueryResult } from '../planner/run.ts';

type Ctx = Pick<Context, 'warehouse' | 'scope'>;

const KPI_CODES = ['caseVolume', 'onTimeRate', 'fullyOnlineRate', 'positiveRate', 'ticketVolume'];
const CHANNEL_NAMES: Record<string, string> = { counter: '窗口', web: '网厅', mobile: '移动端', kiosk: '自助终端', hotline: '12345' };

function label(code: string): IndicatorLabel {
	const d = catalogueIndicator(code)!;
	return { code: d.code, nameZh: d.nameZh, unit: d.unit, polarity: d.polarity, kind: d.kind };
}

function query(ctx: Ctx, input: QueryInput): Promise<QueryResult> {
	return runQuery(ctx.warehouse, QueryRequest.parse(input), ctx.scope);
}

/**
 * Starts every task at once and waits for all. A task that throws before its query
 * starts (a bad date, say) rejects like the others instead of leaving the queries
 * already started unawaited — the unhandled rejection that once killed the web process.
 */
function parallel<T extends readonly (() => Promise<unknown>)[]>(...tasks: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
	return Promise.all(tasks.map(async (task) => task())) as Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }>;
}

async function rows<T>(ctx: Ctx, sql: string, params: Record<string, unknown>): Promise<T[]> {
	const rs = await ctx.warehouse.query({ query: sql, query_params: params, format: 'JSONEachRow' });
	return rs.json<T>();
}

/** WHERE terms to append after a first condition. */
const andAll = (terms: string[]) => terms.map((c) => `AND ${c}`).join(' ');
const range = (from: number, to: number) => ({ from: beijingLocal(from), to: beijingLocal(to) });
const date = beijingDate;

export async function header(ctx: Ctx, adcode: number): Promise<HeaderPanel> {
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const chain = [adcode, Math.floor(adcode / 100) * 100, Math.floor(adcode / 10000) * 10000].filter((c, i, a) => c !== 0 && a.indexOf(c) === i);
	const [regions, children, asOf] = await parallel(
		() =>
			rows<{ adcode: number; name: string; short_name: string }>(
				ctx,
				'SELECT adcode, name, short_name FROM regions FINAL WHERE adcode IN {codes:Array(UInt32)}',
				{ codes: chain }
			),
		() =>
			rows<{ adcode: number; name: string }>(ctx, 'SELECT adcode, name FROM regions FINAL WHERE parent_code = {parent:UInt32} ORDER BY adcode', {
				parent: adcode
			}),
		() =>
			rows<{ ts: string | null }>(
				ctx,
				"SELECT if(max(bucket) = 0, NULL, formatDateTime(max(bucket), '%Y-%m-%d %H:%i:00', 'Asia/Shanghai')) AS ts FROM case_stats_minute WHERE bucket > now() - INTERVAL 2 DAY",
				{}
			)
	);
	const byCode = new Map(regions.map((r) => [r.adcode, r]));
	const self = adcode === 0 ? { adcode: 0, name: '全国', short_name: '全国' } : byCode.get(adcode);
	if (!self) throw new PlanError(`没有该地区：${adcode}`);
	const path = [{ adcode: 0, name: '全国' }, ...[...chain].reverse().map((c) => ({ adcode: c, name: byCode.get(c)?.name ?? String(c) }))];
	const visible = ctx.scope.all ? children : children.filter((c) => inScope(c.adcode, ctx.scope));
	return {
		region: { adcode, name: self.name, shortName: self.short_name, level: levelOf(adcode) },
		path: adcode === 0 ? path.slice(0, 1) : path,
		children: visible,
		dataAsOf: asOf[0]?.ts ?? null
	};
}

/** Today so far against yesterday (环比) and the same day last year (同比), up to the same hour. */
export async function kpis(ctx: Ctx, adcode: number, now: number): Promise<KpiPanel> {
	const w = todaySoFar(now);
	const base = { indicators: KPI_CODES, grain: 'total' as const, region: { adcode } };
	// Today is asked once: with yesterday as its comparison, and last year's same hours on their own.
	const lastYear = comparisonRange(QueryRequest.parse({ ...base, ...range(w.from, w.to), compare: 'yoy' }))!;
	const [dod, yoy, warnings] = await parallel(
		() => query(ctx, { ...base, ...range(w.from, w.to), compare: 'previousDay' }),
		() => query(ctx, { ...base, ...range(lastYear.from, lastYear.to) }),
		() => warningCounts(ctx, adcode, w)
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

async function warningCounts(ctx: Ctx, adcode: number, w: { from: number; to: number }) {
	const f = regionFilter(adcode, ctx.scope);
	const [r] = await rows<{ today: number; yesterday: number }>(
		ctx,
		`SELECT countIf(ts >= {from:DateTime64(3, 'UTC')}) AS today, countIf(ts < {yfrom_end:DateTime64(3, 'UTC')}) AS yesterday
		 FROM risk_warnings
		 WHERE ts >= {yfrom:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')} ${andAll(f.where)}`,
		{ ...f.params, from: utc(w.from), to: utc(w.to), yfrom: utc(w.from - DAY), yfrom_end: utc(w.to - DAY) }
	);
	return { today: Number(r?.today ?? 0), yesterday: Number(r?.yesterday ?? 0) };
}

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

export async function services(ctx: Ctx, adcode: number, now: number): Promise<ServicesPanel> {
	const day = startOfBeijingDay(now);
	const f = regionFilter(adcode, ctx.scope);
	const [hourly, channels, completed, durations] = await parallel(
		() => query(ctx, { indicators: ['caseVolume'], ...range(day, day + DAY), grain: 'hour', region: { adcode }, compare: 'previousWeek' }),
		() => query(ctx, { indicators: ['caseVolume'], ...range(day, day + DAY), grain: 'total', region: { adcode }, groupBy: ['channel'] }),
		() => query(ctx, { indicators: ['completedVolume', 'onTimeRate'], ...range(day, day + DAY), grain: 'total', region: { adcode } }),
		() =>
			rows<{ q: number[] }>(
				ctx,
				`SELECT quantilesIfMerge(0.1, 0.25, 0.5, 0.75, 0.9)(duration_digest) AS q FROM case_region_stats_day
			 WHERE bucket >= {from:Date} AND bucket < {to:Date} ${andAll(f.where)}`,
				{ ...f.params, from: date(day - 6 * DAY), to: date(day + DAY) }
			)
	);
	const s = hourly.series[0];
	const currentHour = Math.floor((now - day) / HOUR);
	const completedToday = completed.series[0]?.total.completedVolume ?? 0;
	const onTimeRate = completed.series[0]?.total.onTimeRate ?? null;
	const q = durations[0]?.q ?? [];
	const hasDurations = q.length === 5 && q.some((v) => Number(v) > 0);
	return {
		hours: hourly.buckets.map((b) => b.slice(11, 13)),
		today: hourly.buckets.map((_, i) => (i <= currentHour ? (s?.values.caseVolume?.[i] ?? 0) : null)),
		lastWeek: hourly.buckets.map((_, i) => s?.compare?.caseVolume?.[i] ?? 0),
		channels: Object.keys(CHANNEL_NAMES)
			.map((channel) => ({ channel, nameZh: CHANNEL_NAMES[channel]!, value: channels.series.find((x) => x.key.channel === channel)?.total.caseVolume ?? 0 }))
			.filter((c) => c.channel !== 'hotline' || c.value > 0),
		durations: ['P10', 'P25', '中位数', 'P75', 'P90'].map((l, i) => ({ label: l, hours: hasDurations ? Number(q[i]) / 3600 : null })),
		completedToday,
		lateToday: onTimeRate === null ? 0 : Math.round((completedToday * (100 - onTimeRate)) / 100),
		onTimeRate
	};
}

export async function reviews(ctx: Ctx, adcode: number, now: number): Promise<ReviewsPanel> {
	const day = startOfBeijingDay(now);
	const f = regionFilter(adcode, ctx.scope);
	const and = andAll(f.where);
	const [month, today, backlog, reasons] = await parallel(
		() =>
			query(ctx, { indicators: ['positiveRate', 'negativeCount', 'rectifiedRate'], ...range(day - 29 * DAY, day + DAY), grain: 'total', region: { adcode } }),
		() => query(ctx, { indicators: ['positiveRate'], ...range(day, day + DAY), grain: 'total', region: { adcode } }),
		() =>
			rows<{ waiting: number; late: number }>(
				ctx,
				`SELECT sum(open) - sum(overdue_open) AS waiting, sum(overdue_open) AS late FROM negative_review_status WHERE 1 ${and}`,
				f.params
			),
		() =>
			rows<{ tag: string; count: number }>(
				ctx,
				`SELECT tag, sum(negative) AS count FROM review_reason_stats_day WHERE bucket >= {from:Date} AND bucket < {to:Date} ${and}
			 GROUP BY tag ORDER BY count DESC, tag LIMIT 6`,
				{ ...f.params, from: date(day - 29 * DAY), to: date(day + DAY) }
			)
	);
	const m = month.series[0]?.total ?? {};
	return {
		positiveRate: m.positiveRate ?? null,
		positiveRateToday: today.series[0]?.total.positiveRate ?? null,
		negative: month.series[0]?.total.negativeCount ?? 0,
		negativeWaiting: Number(backlog[0]?.waiting ?? 0),
		negativeLate: Number(backlog[0]?.late ?? 0),
		rectifiedRate: m.rectifiedRate ?? null,
		reasons: reasons.map((r) => ({ tag: r.tag, count: Number(r.count) }))
	};
}

/** The map file for a region: its own children's shapes. */
export function geoOf(adcode: number): string {
	const level = levelOf(adcode);
	if (level === 'national') return 'china';
	if (level === 'province') return `province/${adcode}`;
	if (level === 'city') return `city/${adcode}`;
	const city = Math.floor(adcode / 100) * 100;
	// A county of a municipality or a province-administered county is drawn on its province's map.
	const parent = countyParent(adcode);
	return parent === city ? `city/${city}` : `province/${parent}`;
}

export async function map(ctx: Ctx, adcode: number, now: number, indicator: MapIndicator): Promise<MapPanel> {
	const day = startOfBeijingDay(now);
	const f = regionFilter(adcode, ctx.scope);
	const and = andAll(f.where);
	const county = levelOf(adcode) === 'county';
	const [values, cases, tickets] = await parallel(
		() => query(ctx, { indicators: [indicator], ...range(day, day + DAY), grain: 'total', region: { adcode, by: county ? 'self' : 'children' } }),
		() =>
			rows<{ adcode: number; n: number }>(
				ctx,
				`SELECT adcode, sum(submitted) AS n FROM case_stats_minute WHERE bucket >= {from:DateTime('UTC')} ${and} GROUP BY adcode`,
				{ ...f.params, from: utc(Math.floor(now / 60_000) * 60_000 - 14 * 60_000).slice(0, 19) }
			),
		() =>
			rows<{ adcode: number; n: number }>(
				ctx,
				`SELECT adcode, sum(created) AS n FROM hotline_stats_hour WHERE bucket >= {from:DateTime('UTC')} ${and} GROUP BY adcode`,
				{ ...f.params, from: utc(Math.floor(now / HOUR) * HOUR).slice(0, 19) }
			)
	);
	const live = new Map<number, { adcode: number; cases: number; tickets: number }>();
	for (const r of cases) live.set(r.adcode, { adcode: r.adcode, cases: Number(r.n), tickets: 0 });
	for (const r of tickets) {
		const e = live.get(r.adcode) ?? { adcode: r.adcode, cases: 0, tickets: 0 };
		e.tickets = Number(r.n);
		live.set(r.adcode, e);
	}
	// Cases handled by the region's own departments (市本级, 省本级) carry its code, not a child's: not a shape on the map.
	const regions = county
		? [{ adcode, name: (await regionNames(ctx.warehouse, [adcode])).get(adcode) ?? String(adcode), value: values.series[0]?.total[indicator] ?? null }]
		: values.series
				.filter((s) => Number(s.key.region) !== adcode && Number(s.key.region) !== 0)
				.map((s) => ({ adcode: Number(s.key.region), name: s.label ?? String(s.key.region), value: s.total[indicator] ?? null }));
	return { indicator: label(indicator), regions, live: [...live.values()].filter((e) => e.cases + e.tickets > 0), geo: geoOf(adcode) };
}

/**
 * Sub-regions on the 好差评 satisfaction index over the last 30 days, with their
 * rank over the 30 days before (movement). Inputs are the methodology's columns.
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
		() => satisfactionInputs(ctx, parent, day - 29 * DAY, day + DAY),
		() => satisfactionInputs(ctx, parent, day - 59 * DAY, day - 29 * DAY),
		() => rows<{ adcode: number; name: string }>(ctx, 'SELECT adcode, name FROM regions FINAL WHERE parent_code = {parent:UInt32}', { parent })
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
		.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.adcode - b.adcode);
	return { index, period: '近30天', rows: ranked, highlight: county ? adcode : null };
}

/** The region a county is ranked within: its city, or its province when the province has no cities (直辖市, 省直辖县). */
function countyParent(adcode: number): number {
	const province = Math.floor(adcode / 10000) * 10000;
	const city = Math.floor(adcode / 100) * 100;
	return MUNICIPALITIES.has(province) || city % 10000 === 9000 ? province : city;
}

async function satisfactionInputs(ctx: Ctx, adcode: number, from: number, to: number): Promise<Array<Record<string, string | number>>> {
	const f = regionFilter(adcode, ctx.scope);
	const child = childColumn(adcode);
	const and = andAll(f.where);
	const params = { ...f.params, from: date(from), to: date(to) };
	const period = 'bucket >= {from:Date} AND bucket < {to:Date}';
	const [reviewRows, caseRows, actionRows, deadlineRows] = await parallel(
		() =>
			rows<Record<string, number>>(
				ctx,
				`SELECT ${child} AS unit, sum(reviews) AS reviews, sum(positive) AS positive, sum(negative) AS negative FROM review_region_stats_day WHERE ${period} ${and} GROUP BY unit`,
				params
			),
		() =>
			rows<Record<string, number>>(
				ctx,
				`SELECT ${child} AS unit, sum(completed) AS completed_cases FROM case_region_stats_day WHERE ${period} ${and} GROUP BY unit`,
				params
			),
		() =>
			rows<Record<string, number>>(
				ctx,
				`SELECT ${child} AS unit, sum(verified) AS replied, sum(rectified) AS rectified, sum(followed_up) AS followed_up FROM review_action_stats_day WHERE ${period} ${and} GROUP BY unit`,
				params
			),
		() =>
			rows<Record<string, number>>(
				ctx,
				`SELECT ${child} AS unit, countIf(rectified_ts IS NOT NULL AND overdue = 0) AS rectified_on_time FROM negative_review_status WHERE toDate(reviewed_ts, 'Asia/Shanghai') >= {from:Date} AND toDate(reviewed_ts, 'Asia/Shanghai') < {to:Date} ${and} GROUP BY unit`,
				params
			)
	);
	const units = new Map<number, Record<string, string | number>>();
	for (const list of [reviewRows, caseRows, actionRows, deadlineRows]) {
		for (const r of list) {
			const u = Number(r.unit);
			const row = units.get(u) ?? {
				unit: String(u),
				reviews: 0,
				positive: 0,
				negative: 0,
				completed_cases: 0,
				replied: 0,
				rectified: 0,
				followed_up: 0,
				rectified_on_time: 0
			};
			for (const [k, v] of Object.entries(r)) if (k !== 'unit') row[k] = Number(v);
			units.set(u, row);
		}
	}
	for (const row of units.values()) row.reviewed_cases = row.reviews!;
	return [...units.values()].filter((r) => Number(r.reviews) > 0);
}

/** Warnings raised in the last 24 hours and anomalies detected among the sub-regions today. */
export async function ticker(ctx: Ctx, adcode: number, now: number): Promise<TickerPanel> {
	const f = regionFilter(adcode, ctx.scope);
	const and = andAll(f.where);
	const w = todaySoFar(now);
	const day = startOfBeijingDay(now);
	const county = levelOf(adcode) === 'county';
	const by = county ? ('self' as const) : ('children' as const);
	const [warnings, onTime, baseline, complaints] = await parallel(
		() =>
			rows<{ at: string; adcode: number; level: TickerItem['severity']; title: string }>(
				ctx,
				`SELECT formatDateTime(ts, '%m-%d %H:%i', 'Asia/Shanghai') AS at, adcode, toString(severity) AS level, title
			 FROM risk_warnings WHERE ts >= {from:DateTime64(3, 'UTC')} ${and}
			 ORDER BY ts DESC LIMIT 12`,
				{ ...f.params, from: utc(now - DAY) }
			),
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

export async function economy(ctx: Ctx, adcode: number, now: number): Promise<EconomyPanel> {
	const year = Number(beijingLocal(now).slice(0, 4));
	// Statistics are released per province: a city or county shows its province's.
	const candidates = [adcode, Math.floor(adcode / 10000) * 10000].filter((c, i, a) => a.indexOf(c) === i);
	for (const code of candidates) {
		const o = await economyOverview(ctx, code, year);
		if (o.lastRelease || code === candidates.at(-1)) {
			const name =
				code === 0
					? '全国'
					: ((await rows<{ name: string }>(ctx, 'SELECT name FROM regions FINAL WHERE adcode = {adcode:UInt32}', { adcode: code }))[0]?.name ?? String(code));
			return { region: { adcode: code, name }, year, lastRelease: o.lastRelease, indicators: o.indicators };
		}
	}
	throw new Error('unreachable');
}

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
		header: () => header(ctx, adcode),
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
