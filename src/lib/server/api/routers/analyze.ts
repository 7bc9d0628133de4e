/**
 * The analysts' workbench (/analyze, issue 14): series with their measures and
 * comparison, a breakdown by region or dimension, "what moved it" between two
 * periods, the raw rows behind a cell (audited), and saved views. Every figure
 * comes from the planner (rollups, the scope in SQL); the detail from the raw
 * tables with the scope in SQL too.
 */
import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { scopedProcedure, router } from '../trpc.ts';
import type { Context } from '../context.ts';
import { QueryFields, refineRange, type QueryRequest } from '../../planner/request.ts';
import { runQuery, type QueryResult, type Series } from '../../planner/run.ts';
import { decomposition, rollupIndicator, type RollupIndicator } from '../../planner/rollups.ts';
import { Adcode, isMunicipality, levelOf } from '../../../regions/index.ts';
import { assertInScope, inScope } from '../../scope.ts';
import { regionByCode, shortNames } from '../../queries/regions/index.ts';
import { selectItemNames } from '../../queries/analyze/items.ts';
import { selectTargets } from '../../queries/analyze/targets.ts';
import { DETAIL_COLUMNS, selectDetailPage, type DetailRow, type DetailTable } from '../../queries/analyze/detail.ts';
import { deleteSavedView, selectSavedViews, upsertSavedView } from '../../queries/analyze/views.ts';
import { recordAudit, type AuditEntryInput } from '../../audit/audit.ts';
import type { AppDb } from '../../appdb/client.ts';
import type { Principal } from '../../auth/principal.ts';
import { maskPersonalData } from '../../../privacy/mask.ts';
import { countContributions, rateContributions, type Contribution, type GroupFigures } from '../../../analysis/contributions.ts';
import {
	ANALYZE_GRAINS,
	BREAKDOWN_DIMENSIONS,
	CHANNEL_LABELS,
	COMPARE_MODES,
	DETAIL_SOURCES,
	MAX_INDICATORS,
	MAX_VIEW_QUERY_LENGTH,
	TICKET_TYPE_LABELS,
	parseViewState,
	PIVOT_DIMENSION_LABELS,
	PivotDimensionSchema,
	PivotGrainSchema,
	MAX_PIVOT_COLUMNS,
	MAX_PIVOT_ROWS,
	type BreakdownDimension,
	type PivotDimension,
	type PivotGrain
} from '../../../analysis/view-state.ts';
import { OTHER_KEY, OTHER_LABEL, pivotTable } from '../../../analysis/pivot.ts';
import { bucketLabels } from '../../planner/plan.ts';
import { beijingDate, endOfBeijingDay } from '../../../time/working-days.ts';
import { periodEnd, workdayFlags } from '../../../time/periods.ts';
import { baselineLookback, isFlagGrain } from '../../../anomalies/grains.ts';
import { flagSeries, type SeriesFlag } from '../../../analysis/anomalies.ts';
import { beijingLocal, DAY_MS } from '../../../time/beijing-time.ts';
import { parseTimestamp } from '../../../time/timestamps.ts';

const F = QueryFields.shape;
const localTime = F.from;
const Filters = F.filters;

/** analyze.series: up to four indicators at a grain, with measures per bucket, the comparison and targets. */
export const SeriesInput = z
	.strictObject({
		indicators: F.indicators.max(MAX_INDICATORS, `最多同时分析 ${MAX_INDICATORS} 个指标`),
		region: F.region,
		from: localTime,
		to: localTime,
		grain: z.enum(ANALYZE_GRAINS),
		filters: Filters,
		groupBy: z
			.array(z.enum(['department', 'item', 'channel', 'ticketType', 'topic']))
			.max(1)
			.default([]),
		compare: z.enum(COMPARE_MODES).default('none')
	})
	.superRefine(refineRange);

/** analyze.breakdown: one indicator over a period, by child region or a dimension. */
export const BreakdownInput = z
	.strictObject({
		indicator: F.indicators.element,
		region: Adcode,
		from: localTime,
		to: localTime,
		by: z.enum(BREAKDOWN_DIMENSIONS),
		filters: Filters,
		compare: z.enum(COMPARE_MODES).default('none')
	})
	.superRefine((r, ctx) => refineRange({ ...r, grain: 'total' }, ctx));

const Period = z.strictObject({ from: localTime, to: localTime }).superRefine((r, ctx) => refineRange({ ...r, grain: 'total' }, ctx));

/** analyze.contributions: what moved an indicator between a base and a current period. */
export const ContributionsInput = z.strictObject({
	indicator: F.indicators.element,
	region: Adcode,
	filters: Filters,
	base: Period,
	current: Period,
	by: z.array(z.enum(BREAKDOWN_DIMENSIONS)).min(1).max(BREAKDOWN_DIMENSIONS.length)
});

/** analyze.pivot: one indicator over a period, rows × columns (child regions, a dimension or time buckets). */
export const PivotInput = z
	.strictObject({
		indicator: F.indicators.element,
		region: Adcode,
		from: localTime,
		to: localTime,
		filters: Filters,
		rows: PivotDimensionSchema,
		columns: PivotDimensionSchema,
		/** The time buckets when rows or columns are time. */
		grain: PivotGrainSchema.default('month'),
		rowLimit: z.number().int().min(2, '行数至少 2').max(MAX_PIVOT_ROWS, `透视表最多 ${MAX_PIVOT_ROWS} 行（其余合并为“其他”）`).default(MAX_PIVOT_ROWS),
		columnLimit: z
			.number()
			.int()
			.min(2, '列数至少 2')
			.max(MAX_PIVOT_COLUMNS, `透视表最多 ${MAX_PIVOT_COLUMNS} 列（其余合并为“其他”）`)
			.default(MAX_PIVOT_COLUMNS)
	})
	.superRefine((r, ctx) => {
		if (r.rows === r.columns) ctx.addIssue({ code: 'custom', path: ['columns'], message: `行与列不能是同一维度（${PIVOT_DIMENSION_LABELS[r.rows]}）` });
		refineRange({ ...r, grain: r.rows === 'time' || r.columns === 'time' ? r.grain : 'total' }, ctx);
	});

/** Page size of the detail. */
export const MAX_DETAIL_LIMIT = 100;
/** `<ts ms>:<id>`: the id is the rest, whatever it holds (event ids are free text up to 128 characters). */
const CURSOR = /^(\d{1,15}):([\s\S]{1,128})$/;

/** analyze.detail: raw rows behind a cell, keyset-paginated. */
export const DetailInput = z
	.strictObject({
		source: z.enum(DETAIL_SOURCES),
		region: Adcode,
		from: localTime,
		to: localTime,
		filters: Filters,
		/** cases: submitted | accepted | completed | rejected; tickets: created | answered | dispatched | closed. */
		status: z.enum(['submitted', 'accepted', 'completed', 'rejected', 'created', 'answered', 'dispatched', 'closed']).optional(),
		cursor: z.string().max(160).regex(CURSOR, '分页游标无效').optional(),
		limit: z.number().int().min(1).max(MAX_DETAIL_LIMIT).default(50)
	})
	.superRefine((r, ctx) => refineRange({ ...r, grain: 'total' }, ctx));

export const ViewName = z.string().trim().min(1, '视图名称不能为空').max(60, '视图名称最长 60 个字符');
/** The most views one user keeps. */
export const MAX_SAVED_VIEWS = 100;

const DETAIL_TABLE: Record<(typeof DETAIL_SOURCES)[number], DetailTable> = { cases: 'cases', reviews: 'reviews', tickets: 'tickets' };
const DIMENSION_ZH: Record<BreakdownDimension, string> = {
	region: '地区',
	department: '部门',
	item: '事项',
	channel: '渠道',
	ticketType: '诉求类型',
	topic: '诉求主题'
};

const badRequest = (message: string) => new TRPCError({ code: 'BAD_REQUEST', message });

function indicatorOf(code: string): RollupIndicator {
	const ind = rollupIndicator(code);
	if (!ind) throw badRequest(`未知指标 ${code}`);
	return ind;
}

const meta = ({ code, nameZh, nameEn, unit, polarity, kind, definition }: RollupIndicator) => ({ code, nameZh, nameEn, unit, polarity, kind, definition });

/** The app database: the context's (tests, the CLI) or the web process's pool. */
async function appDbOf(ctx: Context & { appDb?: AppDb }): Promise<AppDb> {
	if (ctx.appDb) return ctx.appDb;
	const { webAppDb } = await import('../../auth/door.ts');
	return webAppDb();
}

/** The signed-in user of a per-user procedure (saved views). */
function userOf(principal: Principal | null): Extract<Principal, { kind: 'user' }> {
	if (principal?.kind !== 'user') throw new TRPCError({ code: 'FORBIDDEN', message: '仅限登录用户使用' });
	return principal;
}

function actorOf(principal: Principal | null): AuditEntryInput['actor'] {
	if (principal?.kind === 'user') return { kind: 'user', id: principal.userId, name: principal.name };
	return { kind: 'system' };
}

/** Labels of dimension values: channels and 12345 types in Chinese, items by their catalogue name, regions by short name. */
async function labelsOf(ctx: Context, by: BreakdownDimension, keys: string[]): Promise<Map<string, string>> {
	if (by === 'channel') return new Map(keys.map((k) => [k, CHANNEL_LABELS[k] ?? k]));
	if (by === 'ticketType') return new Map(keys.map((k) => [k, TICKET_TYPE_LABELS[k] ?? k]));
	if (by === 'item') {
		const names = await selectItemNames(ctx, keys);
		return new Map(keys.map((k) => [k, names.get(k) ?? k]));
	}
	if (by === 'region') {
		const names = await shortNames(ctx, keys.map(Number));
		return new Map(keys.map((k) => [k, names.get(Number(k)) ?? k]));
	}
	return new Map(keys.map((k) => [k, k]));
}

/** The planner's request for one indicator over a period, grouped by a dimension (or split into child regions). */
function groupedRequest(
	indicator: string,
	region: number,
	range: { from: number; to: number },
	filters: QueryRequest['filters'],
	by: BreakdownDimension | 'self',
	compare: QueryRequest['compare'] = 'none'
): QueryRequest {
	return {
		indicators: [indicator],
		from: range.from,
		to: range.to,
		grain: 'total',
		region: { adcode: region, by: by === 'region' ? 'children' : 'self' },
		filters,
		groupBy: by === 'region' || by === 'self' ? [] : [by],
		compare
	};
}

const keyOf = (s: Series, by: BreakdownDimension) => String(by === 'region' ? s.key.region : s.key[by]);

/** A row's numerator and denominator from the planner's total measures. */
function partsOf(ind: RollupIndicator, s: Series | undefined, compare = false): { numerator: number | null; denominator: number | null } {
	const d = decomposition(ind);
	const m = (compare ? s?.compareTotalMeasures : s?.totalMeasures)?.[ind.code] ?? {};
	if (!d) return { numerator: null, denominator: null };
	if (d.kind === 'count') return { numerator: m[d.measure] ?? 0, denominator: null };
	return { numerator: m[d.numerator] ?? 0, denominator: m[d.denominator] ?? 0 };
}

/** The filter a row of a breakdown or contribution applies (a child region, or one dimension value). */
function filterOf(by: BreakdownDimension, key: string): { region: number } | { filters: Record<string, string[]> } {
	return by === 'region' ? { region: Number(key) } : { filters: { [by]: [key] } };
}

/** 1 = best among siblings (highest for a positive indicator, lowest for a negative one); no value, no rank. */
function ranks(values: Array<number | null>, polarity: 'positive' | 'negative'): Array<number | null> {
	const order = values
		.map((v, i) => ({ v, i }))
		.filter((x): x is { v: number; i: number } => x.v !== null)
		.sort((a, b) => (polarity === 'positive' ? b.v - a.v : a.v - b.v));
	const out: Array<number | null> = values.map(() => null);
	order.forEach((x, k) => (out[x.i] = k > 0 && order[k - 1]!.v === x.v ? out[order[k - 1]!.i]! : k + 1));
	return out;
}

/** The share of the Beijing calendar year gone by an instant (时间进度), %. */
function yearElapsed(ms: number): { year: number; elapsed: number } {
	const date = beijingDate(ms - 1);
	const year = Number(date.slice(0, 4));
	const start = Date.UTC(year, 0, 1);
	const days = (Date.UTC(year + 1, 0, 1) - start) / DAY_MS;
	const gone = (Date.parse(`${date}T00:00:00Z`) - start) / DAY_MS + 1;
	return { year, elapsed: (gone / days) * 100 };
}

async function series(ctx: Context, input: z.output<typeof SeriesInput>) {
	const request: QueryRequest = { ...input, compare: input.compare };
	const { year, elapsed } = yearElapsed(input.to);
	// The range, the lookback the anomaly baselines draw on, and the targets — published (a statistics bureau's or the
	// government's own), so read for the region whatever the scope's level — at once.
	const [result, lookback, targets] = await Promise.all([
		runQuery(ctx.warehouse, request, ctx.scope, { measures: true }),
		lookbackOf(ctx, input),
		selectTargets(ctx, input.indicators, input.region.adcode, [year])
	]);
	// Working days for day and hour buckets (the chart marks 非工作日); coarser buckets have none.
	const dayOf = (label: string) => (input.grain === 'day' || input.grain === 'hour' ? label.slice(0, 10) : null);
	const flags = (labels: string[] | undefined) => {
		if (!labels) return undefined;
		const dates = labels.map(dayOf);
		const known = workdayFlags(dates.filter((d): d is string => d !== null));
		let i = 0;
		return dates.map((d) => (d === null ? null : known[i++]!));
	};
	const whole = result.series.find((s) => Object.keys(s.key).length === 0);
	// A count adds up over the year: its year to date (1 January to the range's end) is what meets the target, beside
	// the share of the year gone. With filters the figure is a part of the region, the target its whole: no progress then.
	const filtered = Object.values(input.filters).some((v) => v?.length);
	const cumulative = filtered ? [] : targets.map((t) => t.indicator).filter((code) => rollupIndicator(code)?.kind === 'count');
	const yearStart = endOfBeijingDay(`${year - 1}-12-31`) + 1;
	const ytd = cumulative.length
		? await runQuery(
				ctx.warehouse,
				{
					indicators: cumulative,
					from: yearStart,
					to: input.to,
					grain: 'total',
					region: { adcode: input.region.adcode, by: 'self' },
					filters: {},
					groupBy: [],
					compare: 'none'
				},
				ctx.scope
			)
		: undefined;
	const targetOf = (code: string): SeriesTarget | null => {
		const t = targets.find((x) => x.indicator === code);
		const ind = rollupIndicator(code);
		if (!t || !ind) return null;
		if (ind.kind === 'count') {
			const sum = cumulative.includes(code) ? (ytd?.series[0]?.total[code] ?? 0) : null;
			return {
				kind: 'cumulative',
				year,
				value: t.value,
				unit: t.unit,
				yearToDate: sum,
				progress: sum !== null && t.value ? (sum / t.value) * 100 : null,
				timeElapsed: elapsed
			};
		}
		// A rate or a duration is a level: the period's value against the target, the gap in points (or hours), met by
		// the indicator's polarity. A level has no time-elapsed progress: 98 % by November is not "90 % of the way".
		const actual = whole?.total[code] ?? null;
		const gap = actual === null ? null : actual - t.value;
		return { kind: 'level', year, value: t.value, unit: t.unit, actual, gap, met: gap === null ? null : ind.polarity === 'positive' ? gap >= 0 : gap <= 0 };
	};
	return {
		...result,
		workdays: flags(result.buckets)!,
		compareWorkdays: flags(result.compareBuckets),
		targets: Object.fromEntries(input.indicators.map((c) => [c, targetOf(c)])) as Record<string, SeriesTarget | null>,
		anomalies: seriesAnomalies(input, result, lookback)
	};
}

/** An annual target beside a series: a level (rate, duration) against the period's value, or a count's year to date against the share of the year gone. */
export type SeriesTarget =
	| { kind: 'level'; year: number; value: number; unit: string; actual: number | null; gap: number | null; met: boolean | null }
	| { kind: 'cumulative'; year: number; value: number; unit: string; yearToDate: number | null; progress: number | null; timeElapsed: number };

/** The flags of one line of the chart: a series (its key) and an indicator. */
export interface SeriesAnomalies {
	key: Series['key'];
	indicator: string;
	flags: SeriesFlag[];
}

/** The indicators of a series request the anomaly rule judges: rates (better high) on their parts, counts on their values. */
function judgedIndicators(codes: string[]) {
	return codes
		.map((code) => rollupIndicator(code))
		.filter((ind): ind is RollupIndicator => ind !== undefined)
		.map((ind) => ({ ind, d: decomposition(ind) }))
		.filter(({ ind, d }) => d?.kind === 'count' || (d?.kind === 'ratio' && ind.kind === 'rate' && ind.polarity === 'positive'));
}

/**
 * The buckets before the range that the baselines draw on (src/lib/anomalies/grains.ts): one more query of the
 * judged indicators at the same grain, filters and grouping. None at a grain without flags (year) or for
 * indicators the rule does not judge (durations, percentiles).
 */
async function lookbackOf(ctx: Context, input: z.output<typeof SeriesInput>) {
	const judged = judgedIndicators(input.indicators);
	if (!isFlagGrain(input.grain) || !judged.length) return null;
	const range = baselineLookback(input.grain, input.from);
	const result = await runQuery(
		ctx.warehouse,
		{ ...input, indicators: judged.map((j) => j.ind.code), from: range.from, to: range.to, compare: 'none' },
		ctx.scope,
		{ measures: true }
	);
	return { judged, range, result };
}

/** Flags on every series of the range and every judged indicator, each against the lookback of its own key. */
function seriesAnomalies(input: z.output<typeof SeriesInput>, result: QueryResult, lookback: Awaited<ReturnType<typeof lookbackOf>>): SeriesAnomalies[] {
	if (!lookback) return [];
	const earlier = new Map(lookback.result.series.map((s) => [JSON.stringify(s.key), s]));
	const out: SeriesAnomalies[] = [];
	for (const s of result.series) {
		const prior = earlier.get(JSON.stringify(s.key));
		for (const { ind, d } of lookback.judged) {
			if (!d) continue;
			const stretch = (labels: string[], from: number, to: number, x: Series | undefined) => {
				if (d.kind === 'count') return { labels, from, to, values: x ? (x.values[ind.code] ?? []) : labels.map(() => null) };
				const m = x?.measures?.[ind.code];
				const tallies = labels.map((_, i) => ({ hits: m?.[d.numerator]?.[i] ?? 0, total: m?.[d.denominator]?.[i] ?? 0 }));
				return { labels, from, to, tallies };
			};
			const reviews = d.kind === 'ratio' && ind.measures[d.denominator]?.source === 'reviews';
			const flags = flagSeries(
				input.grain,
				{ nameZh: ind.nameZh, unit: ind.unit, kind: d.kind === 'count' ? 'count' : 'rate', sampleUnit: reviews ? '条' : '件' },
				stretch(lookback.result.buckets, lookback.range.from, lookback.range.to, prior),
				stretch(result.buckets, input.from, input.to, s)
			);
			out.push({ key: s.key, indicator: ind.code, flags });
		}
	}
	return out;
}

export interface BreakdownRow {
	key: string;
	label: string;
	value: number | null;
	numerator: number | null;
	denominator: number | null;
	compareValue: number | null;
	/** Among the rows (siblings), 1 = best by the indicator's polarity. */
	rank: number | null;
	/** What a click on the row applies. */
	filter: { region: number } | { filters: Record<string, string[]> };
}

async function breakdown(ctx: Context, input: z.output<typeof BreakdownInput>) {
	const ind = indicatorOf(input.indicator);
	assertInScope(input.region, ctx.scope);
	if (input.by === 'region' && levelOf(input.region) === 'county') throw badRequest('区县没有下级地区，请选择其他维度');
	const range = { from: input.from, to: input.to };
	// The parent's figures are the sums of its rows' (the rows partition its events) when the indicator adds up; a percentile is asked for itself.
	const additive = decomposition(ind) !== undefined;
	const [rowsResult, parentResult] = await Promise.all([
		runQuery(ctx.warehouse, groupedRequest(input.indicator, input.region, range, input.filters, input.by, input.compare), ctx.scope, { measures: true }),
		additive
			? undefined
			: runQuery(ctx.warehouse, groupedRequest(input.indicator, input.region, range, input.filters, 'self', input.compare), ctx.scope, { measures: true })
	]);
	// A child region outside a county-limited scope is not shown (the SQL keeps its rows out already).
	const shown = rowsResult.series.filter((s) => input.by !== 'region' || inScope(Number(s.key.region), ctx.scope));
	const labels = await labelsOf(
		ctx,
		input.by,
		shown.map((s) => keyOf(s, input.by))
	);
	const values = shown.map((s) => s.total[ind.code] ?? null);
	const rank = ranks(values, ind.polarity);
	const rows: BreakdownRow[] = shown.map((s, i) => {
		const key = keyOf(s, input.by);
		return {
			key,
			label: labels.get(key) ?? key,
			value: values[i]!,
			...partsOf(ind, s),
			compareValue: s.compareTotal?.[ind.code] ?? null,
			rank: rank[i]!,
			filter: filterOf(input.by, key)
		};
	});
	rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.key.localeCompare(b.key));
	const parent = parentResult ? parentResult.series[0] : summed(ind, rowsResult.series);
	const parentName = input.region === 0 ? '全国' : ((await shortNames(ctx, [input.region])).get(input.region) ?? String(input.region));
	return {
		indicator: meta(ind),
		by: input.by,
		compare: input.compare,
		parent: {
			adcode: input.region,
			label: parentName,
			value: parent?.total[ind.code] ?? null,
			compareValue: parent?.compareTotal?.[ind.code] ?? null,
			...partsOf(ind, parent)
		},
		rows
	};
}

/** One series whose measures are the sums of all series' (for an indicator whose measures are sums). */
function summed(ind: RollupIndicator, all: Series[]): Series {
	const add = (pick: (s: Series) => Record<string, number | null> | undefined) => {
		const out: Record<string, number | null> = {};
		for (const name of Object.keys(ind.measures)) out[name] = all.reduce((t, s) => t + (pick(s)?.[name] ?? 0), 0);
		return out;
	};
	const totalMeasures = add((s) => s.totalMeasures?.[ind.code]);
	const compareTotalMeasures = add((s) => s.compareTotalMeasures?.[ind.code]);
	const compared = all.some((s) => s.compareTotal);
	return {
		key: {},
		values: {},
		total: { [ind.code]: ind.value(totalMeasures) },
		totalMeasures: { [ind.code]: totalMeasures },
		...(compared ? { compareTotal: { [ind.code]: ind.value(compareTotalMeasures) }, compareTotalMeasures: { [ind.code]: compareTotalMeasures } } : {})
	};
}

export interface ContributionRow extends Contribution {
	dimension: BreakdownDimension;
	filter: { region: number } | { filters: Record<string, string[]> };
}

/** Rows kept per dimension (ranked by |effect|); the rest are summed into none — the list says how many there were. */
const MAX_CONTRIBUTION_ROWS = 50;

async function contributions(ctx: Context, input: z.output<typeof ContributionsInput>) {
	const ind = indicatorOf(input.indicator);
	const d = decomposition(ind);
	if (!d) throw badRequest(`${ind.nameZh}不能按组分解（分位数不可加），请选择其他指标`);
	assertInScope(input.region, ctx.scope);
	const dims = [...new Set(input.by)];
	if (dims.includes('region') && levelOf(input.region) === 'county') throw badRequest('区县没有下级地区，请去掉“地区”维度');

	const figures = (s: Series | undefined, key: string, label: string): GroupFigures => {
		const p = partsOf(ind, s);
		return { key, label, numerator: p.numerator ?? 0, ...(d.kind === 'ratio' ? { denominator: p.denominator ?? 0 } : {}) };
	};
	const split = (base: GroupFigures[], current: GroupFigures[]) =>
		d.kind === 'count' ? countContributions(base, current) : rateContributions(base, current, d.scale);
	const byDimension = await Promise.all(
		dims.map(async (by) => {
			const [b, c] = await Promise.all(
				[input.base, input.current].map((range) =>
					runQuery(ctx.warehouse, groupedRequest(input.indicator, input.region, range, input.filters, by), ctx.scope, { measures: true })
				)
			);
			const keep = (s: Series) => by !== 'region' || inScope(Number(s.key.region), ctx.scope);
			const keys = [...new Set([...b!.series, ...c!.series].filter(keep).map((s) => keyOf(s, by)))];
			const labels = await labelsOf(ctx, by, keys);
			const groups = (r: QueryResult) => r.series.filter(keep).map((s) => figures(s, keyOf(s, by), labels.get(keyOf(s, by)) ?? keyOf(s, by)));
			const result = split(groups(b!), groups(c!));
			const rows: ContributionRow[] = result.rows.slice(0, MAX_CONTRIBUTION_ROWS).map((r) => ({ ...r, dimension: by, filter: filterOf(by, r.key) }));
			return { dimension: by, label: DIMENSION_ZH[by], groups: result.rows.length, rows, result };
		})
	);
	// Every dimension's groups partition the same events: the first one's sums are the whole (no query of their own).
	const whole = byDimension[0]!.result;
	// One ranked list across the dimensions: the largest parts first, whatever dimension they are of.
	const top = byDimension
		.flatMap((x) => x.rows)
		.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
		.slice(0, 20);
	return {
		indicator: meta(ind),
		kind: whole.kind,
		base: whole.base,
		current: whole.current,
		change: whole.change,
		dimensions: byDimension.map(({ result: _, ...d }) => d),
		top
	};
}

/** What a click on a pivot row or column applies: a child region, a dimension value or a time bucket; 其他 applies nothing. */
export type PivotFilter = { region: number } | { filters: Record<string, string[]> } | { period: { from: string; to: string } } | null;

export interface PivotKey {
	key: string;
	label: string;
	/** Values folded into 其他 (0 for the others). */
	folded: number;
	filter: PivotFilter;
}

const GRAIN_ZH: Record<PivotGrain, string> = { day: '日', week: '周', month: '月', quarter: '季度' };

/** What the child regions of a region are called (a municipality's children are its districts). */
function childLevelName(adcode: number): string {
	const level = levelOf(adcode);
	if (level === 'national') return '省份';
	return level === 'province' && !isMunicipality(adcode) ? '地市' : '区县';
}

/** A bucket label as it reads ('2026-W47' → 2026年第47周). */
function bucketName(grain: PivotGrain, label: string): string {
	if (grain === 'week') return `${label.slice(0, 4)}年第${Number(label.slice(6))}周`;
	if (grain === 'month') return `${label.slice(0, 4)}年${Number(label.slice(5, 7))}月`;
	if (grain === 'quarter') return `${label.slice(0, 4)}年第${label.slice(6)}季度`;
	return label;
}

/** Each bucket of [from, to) with the part of the range it covers (Beijing local dates, or times at the range's ends). */
function bucketRanges(grain: PivotGrain, from: number, to: number): Map<string, { from: string; to: string }> {
	const local = (ms: number) => {
		const t = beijingLocal(ms).slice(0, 16);
		return t.endsWith('T00:00') ? t.slice(0, 10) : t;
	};
	const out = new Map<string, { from: string; to: string }>();
	const labels = bucketLabels(grain, from, to);
	let start = local(from);
	for (const label of labels) {
		const day = start.slice(0, 10);
		const endDate = grain === 'day' ? beijingDate(parseTimestamp(`${day}T00:00`) + DAY_MS) : periodEnd(grain, day);
		const endMs = parseTimestamp(`${endDate}T00:00`);
		const end = endMs >= to ? local(to) : endDate;
		out.set(label, { from: start, to: end });
		start = end;
	}
	return out;
}

async function pivot(ctx: Context, input: z.output<typeof PivotInput>) {
	const ind = indicatorOf(input.indicator);
	const d = decomposition(ind);
	// A percentile of a row is no function of its cells' percentiles: refused, as "what moved it" does.
	if (!d) throw badRequest(`${ind.nameZh}不能按组汇总成透视表（分位数不可加），请选择其他指标`);
	assertInScope(input.region, ctx.scope);
	const axes = [input.rows, input.columns];
	if (axes.includes('region') && levelOf(input.region) === 'county') throw badRequest('区县没有下级地区，请选择其他维度');
	const timed = axes.includes('time');
	const grain = timed ? input.grain : 'total';
	const buckets = timed ? bucketLabels(input.grain, input.from, input.to) : [];
	if (timed) {
		const limit = input.rows === 'time' ? input.rowLimit : input.columnLimit;
		if (buckets.length > limit)
			throw badRequest(
				`按${GRAIN_ZH[input.grain]}共 ${buckets.length} 个时间段，超过透视表${input.rows === 'time' ? '行' : '列'}数上限 ${limit}；请缩短期间或选择更粗的粒度`
			);
	}
	const dims = axes.filter((a): a is Exclude<PivotDimension, 'region' | 'time'> => a !== 'region' && a !== 'time');
	const request: QueryRequest = {
		indicators: [input.indicator],
		from: input.from,
		to: input.to,
		grain,
		region: { adcode: input.region, by: axes.includes('region') ? 'children' : 'self' },
		filters: input.filters,
		groupBy: dims,
		compare: 'none'
	};
	const result = await runQuery(ctx.warehouse, request, ctx.scope, { measures: true });
	// A child region outside a county-limited scope is not shown (the SQL keeps its rows out already).
	const series = result.series.filter((s) => !axes.includes('region') || inScope(Number(s.key.region), ctx.scope));
	const keyOn = (s: Series, axis: PivotDimension, bucket: string) => (axis === 'time' ? bucket : String(axis === 'region' ? s.key.region : s.key[axis]));
	const entries: Array<{ row: string; column: string; numerator: number; denominator: number | null }> = [];
	for (const s of series) {
		const m = s.measures?.[ind.code] ?? {};
		const at = (name: string, i: number) => m[name]?.[i] ?? 0;
		const parts = (i: number | 'total') => {
			if (i === 'total') {
				const p = partsOf(ind, s);
				return { numerator: p.numerator ?? 0, denominator: p.denominator };
			}
			return d.kind === 'count' ? { numerator: at(d.measure, i), denominator: null } : { numerator: at(d.numerator, i), denominator: at(d.denominator, i) };
		};
		if (timed)
			result.buckets.forEach((b, i) => {
				const p = parts(i);
				if (p.numerator !== 0 || (p.denominator ?? 0) !== 0) entries.push({ row: keyOn(s, input.rows, b), column: keyOn(s, input.columns, b), ...p });
			});
		else entries.push({ row: keyOn(s, input.rows, 'total'), column: keyOn(s, input.columns, 'total'), ...parts('total') });
	}
	const table = pivotTable(
		entries,
		{ kind: d.kind, scale: d.kind === 'ratio' ? d.scale : 1 },
		{
			rows: { limit: input.rowLimit, ...(input.rows === 'time' ? { fixed: buckets } : {}) },
			columns: { limit: input.columnLimit, ...(input.columns === 'time' ? { fixed: buckets } : {}) }
		}
	);
	const ranges = timed ? bucketRanges(input.grain, input.from, input.to) : undefined;
	const keysOf = async (axis: PivotDimension, keys: Array<{ key: string; folded: number }>): Promise<PivotKey[]> => {
		const real = keys.filter((k) => k.key !== OTHER_KEY).map((k) => k.key);
		const labels = axis === 'time' ? new Map(real.map((k) => [k, bucketName(input.grain, k)])) : await labelsOf(ctx, axis, real);
		return keys.map((k) => ({
			key: k.key,
			label: k.key === OTHER_KEY ? `${OTHER_LABEL}（${k.folded}项）` : (labels.get(k.key) ?? k.key),
			folded: k.folded,
			filter: k.key === OTHER_KEY ? null : axis === 'time' ? { period: ranges!.get(k.key)! } : filterOf(axis, k.key)
		}));
	};
	const [rows, columns] = await Promise.all([keysOf(input.rows, table.rows), keysOf(input.columns, table.columns)]);
	const axisName = (a: PivotDimension) =>
		a === 'time' ? `时间（${GRAIN_ZH[input.grain]}）` : a === 'region' ? childLevelName(input.region) : PIVOT_DIMENSION_LABELS[a];
	const note = [
		table.folded.rows ? `行：另有 ${table.folded.rows} 项合并为“其他”` : '',
		table.folded.columns ? `列：另有 ${table.folded.columns} 项合并为“其他”` : ''
	]
		.filter(Boolean)
		.join('；');
	return {
		indicator: meta(ind),
		kind: d.kind,
		grain: timed ? input.grain : null,
		rows: { dimension: input.rows, label: axisName(input.rows), keys: rows },
		columns: { dimension: input.columns, label: axisName(input.columns), keys: columns },
		cells: table.cells,
		rowTotals: table.rowTotals,
		columnTotals: table.columnTotals,
		total: table.total,
		folded: table.folded,
		/** Why the table has a 其他 row or column (empty when nothing was folded). */
		note
	};
}

type MaskedRow = Record<string, unknown> & { id: string; ts: number; adcode: number; regionLabel: string };

async function detail(ctx: Context, input: z.output<typeof DetailInput>) {
	const table = DETAIL_TABLE[input.source];
	assertInScope(input.region, ctx.scope);
	for (const [dim, values] of Object.entries(input.filters))
		if (values?.length && !DETAIL_COLUMNS[table][dim as keyof (typeof DETAIL_COLUMNS)[DetailTable]])
			throw badRequest(`${input.source === 'tickets' ? '12345 工单' : '办件与评价'}不能按${DIMENSION_ZH[dim as BreakdownDimension]}筛选`);
	const after = input.cursor ? CURSOR.exec(input.cursor) : null;
	// A county's province and city codes as the events carry them (the same region tree ingestion reads).
	const tree = levelOf(input.region) === 'county' ? await regionByCode(ctx, input.region) : undefined;
	const page = await selectDetailPage(ctx, table, {
		region: input.region,
		...(tree ? { keys: { province_code: tree.province_code, city_code: tree.city_code } } : {}),
		from: input.from,
		to: input.to,
		filters: input.filters,
		...(input.status ? { status: input.status } : {}),
		...(after ? { after: { ts: Number(after[1]), id: after[2]! } } : {}),
		limit: input.limit
	});
	const shown = page.slice(0, input.limit);
	const names = await shortNames(
		ctx,
		shown.map((r) => r.adcode)
	);
	const rows: MaskedRow[] = shown.map((r: DetailRow<DetailTable>) => {
		const { ts_ms, ...rest } = r as DetailRow<DetailTable> & { comment?: string };
		// Free text may carry personal data: masked again here whatever ingestion stored.
		const masked = 'comment' in rest && typeof rest.comment === 'string' ? { ...rest, comment: maskPersonalData(rest.comment) } : rest;
		return { ...masked, ts: Number(ts_ms), adcode: Number(r.adcode), regionLabel: names.get(Number(r.adcode)) ?? String(r.adcode) };
	});
	const last = shown.at(-1);
	const next = page.length > input.limit && last ? `${Number(last.ts_ms)}:${last.id}` : null;
	await recordAudit(await appDbOf(ctx), {
		actor: actorOf(ctx.principal),
		action: 'detail_view',
		detail: {
			source: input.source,
			region: input.region,
			from: beijingDate(input.from),
			to: beijingDate(input.to - 1),
			filters: input.filters,
			...(input.status ? { status: input.status } : {}),
			...(input.cursor ? { cursor: input.cursor } : {}),
			rows: rows.length
		},
		regions: [input.region],
		requestId: ctx.requestId ?? null
	});
	return { source: input.source, rows, next };
}

export const analyzeRouter = router({
	series: scopedProcedure.input(SeriesInput).query(({ ctx, input }) => series(ctx, input)),
	breakdown: scopedProcedure.input(BreakdownInput).query(({ ctx, input }) => breakdown(ctx, input)),
	contributions: scopedProcedure.input(ContributionsInput).query(({ ctx, input }) => contributions(ctx, input)),
	pivot: scopedProcedure.input(PivotInput).query(({ ctx, input }) => pivot(ctx, input)),
	/** Raw rows behind a cell; each call is put on record (who, what, which page). A mutation: it writes the audit log. */
	detail: scopedProcedure.input(DetailInput).mutation(({ ctx, input }) => detail(ctx, input)),
	views: router({
		list: scopedProcedure.query(async ({ ctx }) => {
			const user = userOf(ctx.principal);
			const rows = await selectSavedViews(await appDbOf(ctx), user.userId, MAX_SAVED_VIEWS);
			return rows.map((r) => ({ id: r.id, name: r.name, query: r.query, updatedAt: r.updated_at.toISOString() }));
		}),
		save: scopedProcedure
			.input(z.strictObject({ name: ViewName, query: z.string().max(MAX_VIEW_QUERY_LENGTH, `视图最长 ${MAX_VIEW_QUERY_LENGTH} 个字符`) }))
			.mutation(async ({ ctx, input }) => {
				const user = userOf(ctx.principal);
				const parsed = parseViewState(input.query);
				if (!parsed.ok) throw badRequest(parsed.message);
				// A view of a region outside the user's scope is not kept: it could never be opened.
				assertInScope(parsed.state.region, ctx.scope);
				const db = await appDbOf(ctx);
				const existing = await selectSavedViews(db, user.userId, MAX_SAVED_VIEWS);
				if (!existing.some((v) => v.name === input.name) && existing.length >= MAX_SAVED_VIEWS)
					throw badRequest(`最多保存 ${MAX_SAVED_VIEWS} 个视图，请先删除不用的视图`);
				const row = await upsertSavedView(db, user.userId, input.name, input.query.replace(/^\?/, ''));
				return { id: row.id, name: row.name, query: row.query, updatedAt: row.updated_at.toISOString() };
			}),
		remove: scopedProcedure.input(z.strictObject({ id: z.string().regex(/^[1-9]\d{0,18}$/, '视图编号无效') })).mutation(async ({ ctx, input }) => {
			const user = userOf(ctx.principal);
			// Idempotent, as evaluate.scenarios.remove: a view that is not one's own (or is gone) is reported, never touched.
			const removed = await deleteSavedView(await appDbOf(ctx), user.userId, input.id);
			return { removed };
		})
	})
});

export type SeriesOutput = Awaited<ReturnType<typeof series>>;
export type BreakdownOutput = Awaited<ReturnType<typeof breakdown>>;
export type ContributionsOutput = Awaited<ReturnType<typeof contributions>>;
export type PivotOutput = Awaited<ReturnType<typeof pivot>>;
export type DetailOutput = Awaited<ReturnType<typeof detail>>;
