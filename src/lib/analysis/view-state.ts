/**
 * The analysts' view (/analyze) as a URL query: one zod schema, the parser and
 * the serialiser, and the API inputs the view asks for. The page keeps its whole
 * state in the URL (back/forward, a shared link, a saved view) and the export
 * route recomputes the table from the same query, so both read it here. Pure and
 * browser-safe.
 *
 * Keys (all optional; a missing key takes its default, a default is never written):
 *   ind=onTimeRate,caseVolume   1–4 catalogue codes
 *   r=440100                    region (0 = the nation)
 *   from=2026-11-01&to=2026-12-01   Beijing dates (or YYYY-MM-DDTHH:MM), half-open [from, to) like the API
 *   g=day                       hour | day | week | month | quarter | year
 *   cmp=yoy                     none | yoy | mom | previousPeriod
 *   by=region                   the table's rows: region | department | item | channel | ticketType | topic
 *   s=channel                   a dimension as series on the chart (optional)
 *   bf=…&bt=…                   base period of "what moved it" (default: the comparison period)
 *   dim=region,item             dimensions "what moved it" splits by (default: by)
 *   tab=chart                   chart | table | contributions | detail | pivot
 *   pc=item                     the pivot table's columns: region | department | item | channel | ticketType | topic | time
 *   pr=time                     the pivot table's rows (default: by); pr needs pc
 *   pg=week                     the time buckets when rows or columns are time: day | week | month | quarter (default month)
 *   department=…&item=…&channel=…&ticketType=…&topic=…   filters, each key repeated per value
 */
import { z } from 'zod';
import { INDICATOR_CODES } from '../indicators/catalogue.ts';
import { beijingDate } from '../time/working-days.ts';
import { DAY_MS } from '../time/beijing-time.ts';
import { parseTimestamp } from '../time/timestamps.ts';
import { samePeriodLastMonth, samePeriodLastYear } from '../time/windows.ts';

export const ANALYZE_GRAINS = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type AnalyzeGrain = (typeof ANALYZE_GRAINS)[number];
export const COMPARE_MODES = ['none', 'yoy', 'mom', 'previousPeriod'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];
export const FILTER_DIMENSIONS = ['department', 'item', 'channel', 'ticketType', 'topic'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];
export const BREAKDOWN_DIMENSIONS = ['region', ...FILTER_DIMENSIONS] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
export const CHANNELS = ['counter', 'web', 'mobile', 'kiosk', 'hotline'] as const;
export const TICKET_TYPES = ['complaint', 'request', 'advice', 'inquiry', 'praise'] as const;
export const TABS = ['chart', 'table', 'contributions', 'detail', 'pivot'] as const;
/** A pivot table's axes: the breakdown's dimensions and time buckets. */
export const PIVOT_DIMENSIONS = [...BREAKDOWN_DIMENSIONS, 'time'] as const;
export type PivotDimension = (typeof PIVOT_DIMENSIONS)[number];
/** Time buckets of a pivot axis (Beijing calendar, src/lib/time/periods.ts). */
export const PIVOT_GRAINS = ['day', 'week', 'month', 'quarter'] as const;
export type PivotGrain = (typeof PIVOT_GRAINS)[number];
/** Rows and columns a pivot shows at most; the rest are folded into one 「其他」 row or column (the totals keep them). */
export const MAX_PIVOT_ROWS = 30;
export const MAX_PIVOT_COLUMNS = 24;
export const DETAIL_SOURCES = ['cases', 'reviews', 'tickets'] as const;
export type DetailSource = (typeof DETAIL_SOURCES)[number];

/** Indicators side by side. */
export const MAX_INDICATORS = 4;
/** The longest view query kept (a saved view, a link). */
export const MAX_VIEW_QUERY_LENGTH = 4096;

export const GRAIN_LABELS: Record<AnalyzeGrain, string> = { hour: '小时', day: '日', week: '周', month: '月', quarter: '季度', year: '年' };
export const COMPARE_LABELS: Record<CompareMode, string> = { none: '不对比', yoy: '同比', mom: '环比（上月）', previousPeriod: '环比（上期）' };
export const DIMENSION_LABELS: Record<BreakdownDimension, string> = {
	region: '地区',
	department: '部门',
	item: '事项',
	channel: '渠道',
	ticketType: '诉求类型',
	topic: '诉求主题'
};
export const PIVOT_DIMENSION_LABELS: Record<PivotDimension, string> = { ...DIMENSION_LABELS, time: '时间' };

/** Channel and 12345-type values as they read on screen. */
export const CHANNEL_LABELS: Record<string, string> = { counter: '窗口', web: '网厅', mobile: '移动端', kiosk: '自助终端', hotline: '12345' };
export const TICKET_TYPE_LABELS: Record<string, string> = { complaint: '投诉', request: '求助', advice: '建议', inquiry: '咨询', praise: '表扬' };

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?$/;
const localTime = z
	.string()
	.max(16)
	.regex(LOCAL_TIME, '须为北京时间日期 YYYY-MM-DD 或时间 YYYY-MM-DDTHH:MM')
	.refine((t) => !Number.isNaN(toMs(t)), '不是有效的日期');
const value = z.string().min(1).max(128);

export const Filters = z.strictObject({
	department: z.array(value).min(1).max(50).optional(),
	item: z.array(value).min(1).max(200).optional(),
	channel: z.array(z.enum(CHANNELS)).min(1).max(5).optional(),
	ticketType: z.array(z.enum(TICKET_TYPES)).min(1).max(5).optional(),
	topic: z.array(value).min(1).max(50).optional()
});
export type Filters = z.infer<typeof Filters>;

/** A pivot's axes: one schema for the URL, the page and the export; the API's input builds on it. */
export const PivotDimensionSchema = z.enum(PIVOT_DIMENSIONS, {
	error: () => `透视维度须为 ${PIVOT_DIMENSIONS.map((d) => PIVOT_DIMENSION_LABELS[d]).join('、')} 之一`
});
export const PivotGrainSchema = z.enum(PIVOT_GRAINS, { error: () => '透视表的时间粒度须为 日、周、月 或 季度' });
export const PivotAxes = z
	.strictObject({ rows: PivotDimensionSchema, columns: PivotDimensionSchema, grain: PivotGrainSchema })
	.refine((p) => p.rows !== p.columns, { path: ['columns'], message: '行与列不能是同一维度' });
export type PivotAxes = z.infer<typeof PivotAxes>;

export const ViewState = z
	.strictObject({
		indicators: z
			.array(z.enum(INDICATOR_CODES, { error: (i) => `未知指标 ${JSON.stringify(i.input)}` }))
			.min(1)
			.max(MAX_INDICATORS, `最多同时分析 ${MAX_INDICATORS} 个指标`),
		region: z
			.number()
			.int()
			.refine((v) => v === 0 || (v >= 110000 && v <= 829999), '须为 0（全国）或六位行政区划代码'),
		from: localTime,
		to: localTime,
		grain: z.enum(ANALYZE_GRAINS),
		compare: z.enum(COMPARE_MODES),
		filters: Filters,
		by: z.enum(BREAKDOWN_DIMENSIONS),
		series: z.enum(FILTER_DIMENSIONS).optional(),
		base: z.strictObject({ from: localTime, to: localTime }).optional(),
		dimensions: z.array(z.enum(BREAKDOWN_DIMENSIONS)).min(1).max(6).optional(),
		tab: z.enum(TABS),
		pivot: PivotAxes.optional()
	})
	.superRefine((s, ctx) => {
		if (toMs(s.to) <= toMs(s.from)) ctx.addIssue({ code: 'custom', path: ['to'], message: '结束时间须晚于开始时间' });
		if (s.base && toMs(s.base.to) <= toMs(s.base.from)) ctx.addIssue({ code: 'custom', path: ['base'], message: '基期的结束时间须晚于开始时间' });
	});
export type ViewState = z.infer<typeof ViewState>;

/** Epoch ms of a Beijing local date or time. */
export function toMs(t: string): number {
	return parseTimestamp(t.length === 10 ? `${t}T00:00` : t);
}

/** A Beijing date `days` after another. */
export function addDays(date: string, days: number): string {
	return beijingDate(toMs(date) + days * DAY_MS);
}

/** The last date a half-open range covers ('2026-12-01' exclusive → '2026-11-30'), for display. */
export function inclusiveEnd(to: string): string {
	return to.length === 10 ? addDays(to, -1) : to;
}

/** The view a screen opens with: the last 30 whole Beijing days of 按时办结率 in `region`, day by day, against the period before. */
export function defaultViewState(now: number, region = 0): ViewState {
	const today = beijingDate(now);
	return {
		indicators: ['onTimeRate'],
		region,
		from: addDays(today, -30),
		to: today,
		grain: 'day',
		compare: 'previousPeriod',
		filters: {},
		by: 'region',
		tab: 'chart'
	};
}

export type ParsedView = { ok: true; state: ViewState } | { ok: false; message: string };

const list = (v: string | null) => (v === null ? undefined : v.split(',').filter(Boolean));

/**
 * The view of a URL query (a string with or without '?', or URLSearchParams);
 * missing keys take the defaults of `defaultViewState(now, region)`. Unknown keys
 * are refused, so a mistyped link says so instead of showing something else.
 */
export function parseViewState(query: string | URLSearchParams, opts: { now?: number; region?: number } = {}): ParsedView {
	const text = typeof query === 'string' ? query.replace(/^\?/, '') : query.toString();
	if (text.length > MAX_VIEW_QUERY_LENGTH) return { ok: false, message: `视图参数过长（最多 ${MAX_VIEW_QUERY_LENGTH} 个字符）` };
	const p = typeof query === 'string' ? new URLSearchParams(text) : query;
	const known = new Set(['ind', 'r', 'from', 'to', 'g', 'cmp', 'by', 's', 'bf', 'bt', 'dim', 'tab', 'pc', 'pr', 'pg', ...FILTER_DIMENSIONS]);
	for (const key of p.keys()) if (!known.has(key)) return { ok: false, message: `未知的视图参数：${key.slice(0, 40)}` };
	const d = defaultViewState(opts.now ?? Date.now(), opts.region ?? 0);
	const filters: Record<string, string[]> = {};
	for (const f of FILTER_DIMENSIONS) {
		const vals = p.getAll(f).filter(Boolean);
		if (vals.length) filters[f] = vals;
	}
	const region = p.get('r');
	const bf = p.get('bf');
	const bt = p.get('bt');
	if ((bf === null) !== (bt === null)) return { ok: false, message: '基期须同时给出开始（bf）与结束（bt）' };
	const pc = p.get('pc');
	const pr = p.get('pr');
	const pg = p.get('pg');
	if (pc === null && (pr !== null || pg !== null)) return { ok: false, message: '透视表须给出列维度（pc）' };
	const by = p.get('by') ?? d.by;
	const pivot = pc === null ? undefined : { rows: pr ?? by, columns: pc, grain: pg ?? 'month' };
	// A grain with no time axis would be dropped on the way back: refused, so a link means what it says.
	if (pivot && pg !== null && pivot.rows !== 'time' && pivot.columns !== 'time') return { ok: false, message: '透视粒度（pg）仅用于按时间透视' };
	const raw = {
		indicators: list(p.get('ind')) ?? d.indicators,
		region: region === null ? d.region : /^\d{1,6}$/.test(region) ? Number(region) : NaN,
		from: p.get('from') ?? d.from,
		to: p.get('to') ?? d.to,
		grain: p.get('g') ?? d.grain,
		compare: p.get('cmp') ?? d.compare,
		filters,
		by,
		...(p.get('s') ? { series: p.get('s') } : {}),
		...(bf !== null && bt !== null ? { base: { from: bf, to: bt } } : {}),
		...(p.get('dim') ? { dimensions: list(p.get('dim')) } : {}),
		tab: p.get('tab') ?? d.tab,
		...(pivot ? { pivot } : {})
	};
	const r = ViewState.safeParse(raw);
	if (r.success) return { ok: true, state: r.data };
	const issue = r.error.issues[0]!;
	return { ok: false, message: `视图参数无效：${issue.path.length ? `${issue.path.join('.')}：` : ''}${issue.message}` };
}

/** The URL query of a view (no '?'), keys in a fixed order, defaults left out; parseViewState reads it back to the same view. */
export function serialiseViewState(state: ViewState, opts: { now?: number; region?: number } = {}): string {
	const d = defaultViewState(opts.now ?? Date.now(), opts.region ?? 0);
	const p = new URLSearchParams();
	const put = (key: string, v: string, def?: string) => {
		if (v !== def) p.append(key, v);
	};
	put('ind', state.indicators.join(','), d.indicators.join(','));
	put('r', String(state.region), String(d.region));
	put('from', state.from, d.from);
	put('to', state.to, d.to);
	put('g', state.grain, d.grain);
	put('cmp', state.compare, d.compare);
	put('by', state.by, d.by);
	if (state.series) put('s', state.series);
	if (state.base) {
		put('bf', state.base.from);
		put('bt', state.base.to);
	}
	if (state.dimensions) put('dim', state.dimensions.join(','));
	put('tab', state.tab, d.tab);
	if (state.pivot) {
		put('pc', state.pivot.columns);
		put('pr', state.pivot.rows, state.by);
		if (pivotUsesTime(state.pivot)) put('pg', state.pivot.grain, 'month');
	}
	for (const f of FILTER_DIMENSIONS) for (const v of state.filters[f] ?? []) p.append(f, v);
	return p.toString();
}

/** The current period and the one "what moved it" compares it with: the view's base, else its comparison period (the period before when none). */
export function contributionPeriods(state: ViewState): { base: { from: string; to: string }; current: { from: string; to: string } } {
	const current = { from: state.from, to: state.to };
	if (state.base) return { base: state.base, current };
	const w = { from: toMs(state.from), to: toMs(state.to) };
	const b = state.compare === 'yoy' ? samePeriodLastYear(w) : state.compare === 'mom' ? samePeriodLastMonth(w) : { from: w.from - (w.to - w.from), to: w.from };
	return { base: { from: localOf(b.from, state.from.length), to: localOf(b.to, state.to.length) }, current };
}

function localOf(ms: number, length: number): string {
	const local = new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
	return length === 10 ? local.slice(0, 10) : local;
}

/** The filters without empty lists (what the API takes). */
function filtersOf(state: ViewState): Filters {
	return Object.fromEntries(Object.entries(state.filters).filter(([, v]) => v && v.length)) as Filters;
}

/** Input of analyze.series for the view. */
export function seriesInput(state: ViewState) {
	return {
		indicators: state.indicators,
		region: { adcode: state.region, by: 'self' as const },
		from: state.from,
		to: state.to,
		grain: state.grain,
		filters: filtersOf(state),
		...(state.series ? { groupBy: [state.series] } : {}),
		compare: state.compare
	};
}

/** Input of analyze.breakdown for the view (its first indicator, rows by `by`). */
export function breakdownInput(state: ViewState, indicator = state.indicators[0]!) {
	return {
		indicator,
		region: state.region,
		from: state.from,
		to: state.to,
		by: state.by,
		filters: filtersOf(state),
		compare: state.compare
	};
}

/** Input of analyze.contributions for the view. */
export function contributionsInput(state: ViewState, indicator = state.indicators[0]!) {
	const { base, current } = contributionPeriods(state);
	return { indicator, region: state.region, filters: filtersOf(state), base, current, by: state.dimensions ?? [state.by] };
}

export const pivotUsesTime = (p: PivotAxes) => p.rows === 'time' || p.columns === 'time';

/** Input of analyze.pivot for the view (its first indicator); undefined when the view has no pivot columns. */
export function pivotInput(state: ViewState, indicator = state.indicators[0]!) {
	if (!state.pivot) return undefined;
	return {
		indicator,
		region: state.region,
		from: state.from,
		to: state.to,
		filters: filtersOf(state),
		rows: state.pivot.rows,
		columns: state.pivot.columns,
		...(pivotUsesTime(state.pivot) ? { grain: state.pivot.grain } : {})
	};
}

/** Input of analyze.detail for the view (the first page). */
export function detailInput(state: ViewState, source: DetailSource, limit = 50) {
	return { source, region: state.region, from: state.from, to: state.to, filters: filtersOf(state), limit };
}
