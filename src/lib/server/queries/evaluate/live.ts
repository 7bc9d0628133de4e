/**
 * The evaluators' live data: a built-in index's input table computed from the
 * platform's rollups, for every province (the nation's sub-regions) or for the
 * cities of a province, over a period. Each methodology indicator is mapped to
 * the product's catalogue indicators (planner/rollups.ts) or to the item-level
 * counts of ./items.ts; what the platform does not record stays missing (the
 * methodology's missing-data rule applies) and the provenance says so. The
 * caller's scope applies: the provinces need a national scope; a caller who sees
 * only some cities of a province gets those cities.
 */
import { beijingDate } from '../../../time/working-days.ts';
import { DAY_MS, startOfBeijingDay } from '../../../time/beijing-time.ts';
import { parseTimestamp } from '../../../time/timestamps.ts';
import { isMunicipality, levelOf, within } from '../../../regions/index.ts';
import type { Row } from '../../../indices/engine.ts';
import { builtinMethodology } from '../../../indices/builtins.ts';
import { leaves } from '../../../indices/methodology.ts';
import { QueryRequest } from '../../planner/request.ts';
import { runQuery } from '../../planner/run.ts';
import { childColumn } from '../../planner/plan.ts';
import { inScope, regionColumn, ScopeError } from '../../scope.ts';
import { childRegions, regionByCode } from '../regions/index.ts';
import { satisfactionInputs } from '../cockpit/satisfaction.ts';
import { itemShares, type ItemShares } from './items.ts';
import type { QueryCtx } from '../statement.ts';

export type LiveMethodology = 'capability' | 'satisfaction';
export type LiveLevel = 'province' | 'city';

/** A period: a calendar year, or Beijing dates [from, to). */
export type LivePeriod = { year: number } | { from: string; to: string };

export interface Window {
	from: number;
	to: number;
	/** 'YYYY-MM-DD', to exclusive. */
	fromDate: string;
	toDate: string;
	label: string;
}

/** The window of a period, ending no later than the end of today (Beijing). */
export function periodWindow(period: LivePeriod, now: number): Window {
	const from = 'year' in period ? parseTimestamp(`${period.year}-01-01T00:00`) : parseTimestamp(`${period.from}T00:00`);
	const end = 'year' in period ? parseTimestamp(`${period.year + 1}-01-01T00:00`) : parseTimestamp(`${period.to}T00:00`);
	const to = Math.min(end, startOfBeijingDay(now) + DAY_MS);
	const fromDate = beijingDate(from);
	const toDate = beijingDate(to);
	const lastDay = beijingDate(to - DAY_MS);
	const label = 'year' in period ? (to < end ? `${period.year}年（截至${lastDay}）` : `${period.year}年`) : `${fromDate} 至 ${lastDay}`;
	return { from, to, fromDate, toDate, label };
}

/** Where a methodology indicator's value comes from. */
export type IndicatorSource =
	| { kind: 'catalogue'; code: string }
	| { kind: 'items'; measure: 'channels' | 'mobile' | 'online' | 'crossProvince' }
	| { kind: 'counts' }
	| { kind: 'none'; reason: string };

/** The capability index's columns → the platform's data (src/lib/indices/builtins/capability.json). */
export const CAPABILITY_SOURCES: Record<string, IndicatorSource> = {
	positive_rate: { kind: 'catalogue', code: 'positiveRate' },
	on_time_rate: { kind: 'catalogue', code: 'onTimeRate' },
	review_rate: { kind: 'catalogue', code: 'reviewRate' },
	rectified_rate: { kind: 'catalogue', code: 'rectifiedRate' },
	fully_online_rate: { kind: 'catalogue', code: 'fullyOnlineRate' },
	zero_trip_rate: { kind: 'catalogue', code: 'zeroTripRate' },
	at_most_one_trip_rate: { kind: 'none', reason: '平台只记录是否零跑动，不记录跑动次数' },
	channel_coverage: { kind: 'items', measure: 'channels' },
	mobile_item_share: { kind: 'items', measure: 'mobile' },
	online_item_share: { kind: 'items', measure: 'online' },
	cross_province_item_share: { kind: 'items', measure: 'crossProvince' },
	guide_completeness: { kind: 'none', reason: '办事指南不在平台数据中' },
	guide_consistency: { kind: 'none', reason: '指南抽查结果不在平台数据中' }
};

const ITEMS_NOTE = '按期间内有办件的事项推算（有人申请才计入，开通而无人使用的渠道不计）';

export interface ProvenanceEntry {
	indicator: string;
	nameZh: string;
	column: string;
	status: 'live' | 'derived' | 'missing';
	/** The catalogue indicator(s) or counts it is computed from. */
	from: string;
	note?: string;
}

export interface LiveUnit {
	adcode: number;
	name: string;
}

export interface LiveTable {
	methodology: LiveMethodology;
	level: LiveLevel;
	/** The region whose sub-regions are the units (0: the nation). */
	region: number;
	period: Window & { at: number };
	/** The engine's unit column ('unit', the region's short name) plus 'adcode' and one column per indicator input. */
	rows: Row[];
	units: LiveUnit[];
	provenance: ProvenanceEntry[];
	/** Indicator ids that no live data gives (missing for every unit). */
	missing: string[];
	/** Units of the region the caller may not see, left out (a partial scope). */
	partialScope: boolean;
}

/**
 * Which regions to read: the parent's children, or (a partial scope) the caller's own cities of the province.
 * Throws ScopeError (FORBIDDEN) when the caller may see none of them.
 */
export function liveTargets(ctx: Pick<QueryCtx, 'scope'>, level: LiveLevel, province: number | undefined): { parent: number; self: number[] | null } {
	if (level === 'province') {
		if (!inScope(0, ctx.scope)) throw new ScopeError(0, '各省排名需要全国范围的数据权限');
		return { parent: 0, self: null };
	}
	if (province === undefined || levelOf(province) !== 'province') throw new ScopeError(province ?? 0, '请选择一个省份');
	if (inScope(province, ctx.scope)) return { parent: province, self: null };
	const mine = ctx.scope.all === true ? [] : ctx.scope.adcodes.filter((a) => within(a, province) && levelOf(a) === 'city');
	if (!mine.length) throw new ScopeError(province);
	return { parent: province, self: mine };
}

/** The units below a region as the planner splits it: a municipality's districts (below its 市辖区), else the children. */
async function unitRegions(ctx: QueryCtx, parent: number) {
	const children = await childRegions(ctx, parent);
	if (!isMunicipality(parent)) return children;
	return (await Promise.all(children.map((c) => childRegions(ctx, c.adcode)))).flat();
}

function shortName(r: { short_name: string; name: string }): string {
	return r.short_name || r.name;
}

/** The live input table of a built-in index. */
export async function liveTable(
	ctx: QueryCtx,
	input: { methodology: LiveMethodology; level: LiveLevel; province?: number; period: LivePeriod },
	now: number
): Promise<LiveTable> {
	const w = periodWindow(input.period, now);
	const { parent, self } = liveTargets(ctx, input.level, input.province);
	const regions = self ? (await Promise.all(self.map((c) => regionByCode(ctx, c)))).filter((r) => r !== undefined) : await unitRegions(ctx, parent);
	const units: LiveUnit[] = regions.map((r) => ({ adcode: r.adcode, name: shortName(r) }));
	const names = new Map(units.map((u) => [u.adcode, u.name]));
	const base = (u: LiveUnit): Row => ({ unit: u.name, adcode: u.adcode });
	const m = builtinMethodology(input.methodology)!;
	const period = { ...w, at: now };
	if (input.methodology === 'satisfaction') {
		const perRegion = self
			? await Promise.all(self.map(async (c) => sumCounts(c, await satisfactionInputs(ctx, c, { from: w.from, to: w.to }, now))))
			: await satisfactionInputs(ctx, parent, { from: w.from, to: w.to }, now);
		const byCode = new Map(perRegion.map((r) => [Number(r.unit), r]));
		const columns = [...new Set(leaves(m.root).flatMap((l) => (l.ratio ? [l.ratio.numerator, l.ratio.denominator] : [l.column!])))];
		// A unit without reviews has empty cells (missing), not zeros.
		const rows = units.map((u) => {
			const counts = byCode.get(u.adcode);
			return { ...Object.fromEntries(columns.map((c) => [c, counts?.[c] ?? ''])), ...base(u) };
		});
		const provenance = leaves(m.root).map<ProvenanceEntry>((l) => ({
			indicator: l.id,
			nameZh: l.nameZh ?? l.id,
			column: l.ratio ? `${l.ratio.numerator} ÷ ${l.ratio.denominator}` : l.column!,
			status: 'live',
			from: '好差评与办件的计数（与驾驶舱排名同一口径：差评按收到日期的批次计）'
		}));
		return { methodology: 'satisfaction', level: input.level, region: parent, period, rows, units, provenance, missing: [], partialScope: self !== null };
	}

	const codes = [...new Set(Object.values(CAPABILITY_SOURCES).flatMap((s) => (s.kind === 'catalogue' ? [s.code] : [])))];
	const request = (adcode: number, by: 'self' | 'children') =>
		QueryRequest.parse({ indicators: codes, from: w.fromDate, to: w.toDate, grain: 'total', region: { adcode, by } });
	const catalogue = new Map<number, Record<string, number | null>>();
	const items = new Map<number, ItemShares>();
	if (self) {
		await Promise.all(
			self.map(async (c) => {
				const [q, s] = await Promise.all([runQuery(ctx.warehouse, request(c, 'self'), ctx.scope), itemShares(ctx, c, regionColumn(c)!, w.from, w.to)]);
				catalogue.set(c, q.series[0]?.total ?? {});
				if (s[0]) items.set(c, { ...s[0], unit: c });
			})
		);
	} else {
		const [q, s] = await Promise.all([
			runQuery(ctx.warehouse, request(parent, 'children'), ctx.scope),
			itemShares(ctx, parent, childColumn(parent) as 'province_code' | 'city_code' | 'adcode', w.from, w.to)
		]);
		for (const series of q.series) catalogue.set(Number(series.key.region), series.total);
		for (const x of s) items.set(x.unit, x);
	}
	const share = (n: number, d: number) => (d > 0 ? (n / d) * 100 : null);
	const rows = units
		.filter((u) => names.has(u.adcode))
		.map((u) => {
			const row = base(u);
			const q = catalogue.get(u.adcode);
			const it = items.get(u.adcode);
			for (const [column, source] of Object.entries(CAPABILITY_SOURCES)) {
				let v: number | null = null;
				if (source.kind === 'catalogue') v = q?.[source.code] ?? null;
				else if (source.kind === 'items' && it)
					v =
						source.measure === 'channels'
							? share(it.channels, 5)
							: share(source.measure === 'mobile' ? it.mobileItems : source.measure === 'online' ? it.onlineItems : it.crossProvinceItems, it.items);
				// Missing stays missing: an empty cell, never 0.
				row[column] = v === null || !Number.isFinite(v) ? '' : v;
			}
			return row;
		});
	const provenance = leaves(m.root).map<ProvenanceEntry>((l) => {
		const source = CAPABILITY_SOURCES[l.column ?? ''] ?? { kind: 'none', reason: '平台数据中没有对应指标' };
		const entry = { indicator: l.id, nameZh: l.nameZh ?? l.id, column: l.column ?? '' };
		if (source.kind === 'catalogue') return { ...entry, status: 'live', from: source.code };
		if (source.kind === 'items') return { ...entry, status: 'derived', from: 'case_stats_day（事项 × 渠道）', note: ITEMS_NOTE };
		return { ...entry, status: 'missing', from: '', note: source.kind === 'none' ? source.reason : undefined };
	});
	return {
		methodology: 'capability',
		level: input.level,
		region: parent,
		period,
		rows,
		units,
		provenance,
		missing: provenance.filter((p) => p.status === 'missing').map((p) => p.indicator),
		partialScope: self !== null
	};
}

/** One row of counts for a region from its sub-regions' rows (counts add up; rates are computed by the engine). */
function sumCounts(adcode: number, rows: Array<Record<string, string | number>>): Record<string, string | number> {
	const out: Record<string, string | number> = { unit: String(adcode) };
	for (const r of rows) for (const [k, v] of Object.entries(r)) if (k !== 'unit') out[k] = Number(out[k] ?? 0) + Number(v);
	return out;
}

/** What moves an indicator: the catalogue rate, the volume it is a share of, and which way the gap counts. */
const MOVERS: Record<string, { rate: string; volume: string; gap: 'complement' | 'count' }> = {
	positiveRate: { rate: 'positiveRate', volume: 'negativeCount', gap: 'count' },
	onTimeRate: { rate: 'onTimeRate', volume: 'completedVolume', gap: 'complement' },
	reviewRate: { rate: 'reviewRate', volume: 'completedVolume', gap: 'complement' },
	fullyOnlineRate: { rate: 'fullyOnlineRate', volume: 'completedVolume', gap: 'complement' },
	zeroTripRate: { rate: 'zeroTripRate', volume: 'completedVolume', gap: 'complement' }
};

export interface Mover {
	dimension: 'department' | 'item';
	key: string;
	/** The item's name where the catalogue has one. */
	label: string;
	/** The rate of the department or item (%), null when it has no cases. */
	rate: number | null;
	volume: number;
	/** Cases short of the rate's 100 % (or 差评 for 好评率): what lifting this one would gain. */
	gap: number;
	/** The catalogue indicator to open in /analyze. */
	indicator: string;
}

export interface Movers {
	indicator: string;
	/** False when the platform cannot split this indicator by department or item. */
	available: boolean;
	note?: string;
	departments: Mover[];
	items: Mover[];
}

/**
 * The departments and service items that move a unit's indicator most: those
 * with the largest gap (cases not on time, not online, … or 差评), from the same
 * rollups as the index, within the caller's scope.
 */
export async function movers(ctx: QueryCtx, input: { indicator: string; adcode: number; period: LivePeriod; limit: number }, now: number): Promise<Movers> {
	const spec = MOVERS[input.indicator];
	if (!spec) return { indicator: input.indicator, available: false, note: '该指标不能按部门或事项拆分', departments: [], items: [] };
	const w = periodWindow(input.period, now);
	const by = async (dimension: 'department' | 'item'): Promise<Mover[]> => {
		const r = await runQuery(
			ctx.warehouse,
			QueryRequest.parse({
				indicators: [spec.rate, spec.volume],
				from: w.fromDate,
				to: w.toDate,
				grain: 'total',
				region: { adcode: input.adcode, by: 'self' },
				groupBy: [dimension]
			}),
			ctx.scope
		);
		return r.series
			.map((s) => {
				const rate = s.total[spec.rate] ?? null;
				const volume = s.total[spec.volume] ?? 0;
				// Counts of cases (or 差评): whole numbers, rounded so the float rate's noise cannot reorder equal gaps.
				const gap = Math.round(spec.gap === 'count' ? volume : rate === null ? 0 : (volume * (100 - rate)) / 100);
				return { dimension, key: String(s.key[dimension]), label: s.label ?? String(s.key[dimension]), rate, volume, gap, indicator: spec.rate };
			})
			.filter((m) => m.gap > 0)
			.sort((a, b) => b.gap - a.gap || a.key.localeCompare(b.key))
			.slice(0, input.limit);
	};
	const [departments, items] = await Promise.all([by('department'), by('item')]);
	return { indicator: input.indicator, available: true, departments, items };
}
