/**
 * Runs a plan: each source's query for the current and the comparison period,
 * merged by series key, empty buckets filled, values computed by the catalogue's
 * formulas, units and labels attached.
 */
import type { Warehouse } from '../warehouse/client.ts';
import { DAY_MS } from '../../time/beijing-time.ts';
import { samePeriodLastMonth, samePeriodLastWeek, samePeriodLastYear } from '../../time/windows.ts';
import type { IndicatorDef } from '../../indicators/catalogue.ts';
import type { RollupIndicator } from './rollups.ts';
import { regionTree, shortNames } from '../queries/regions/index.ts';
import { itemCatalogueSize } from '../queries/items/catalogue.ts';
import { bucketLabels, childColumn, levelOf, MAX_RESULT_ROWS, plan, type Plan, type Scope } from './plan.ts';
import type { QueryRequest } from './request.ts';
import { checkWork, tooManyRows, type Cardinalities, type WorkEstimate } from '../limits/work-cap.ts';
import { heavyQueries, type WorkQueue } from '../limits/work-queue.ts';

export interface Series {
	key: Record<string, string | number>;
	label?: string;
	values: Record<string, Array<number | null>>;
	compare?: Record<string, Array<number | null>>;
	/** The whole range in one figure (for rates: the rate over the range, not a mean of rates). */
	total: Record<string, number | null>;
	compareTotal?: Record<string, number | null>;
	/** With `measures: true`: per indicator, each measure (numerator, denominator, sums) per bucket, and over the range. */
	measures?: Record<string, Record<string, Array<number | null>>>;
	compareMeasures?: Record<string, Record<string, Array<number | null>>>;
	totalMeasures?: Record<string, Record<string, number | null>>;
	compareTotalMeasures?: Record<string, Record<string, number | null>>;
}

export interface QueryResult {
	indicators: Array<Pick<IndicatorDef, 'code' | 'nameZh' | 'nameEn' | 'unit' | 'polarity' | 'kind' | 'definition'>>;
	grain: QueryRequest['grain'];
	buckets: string[];
	compare: QueryRequest['compare'];
	compareBuckets?: string[];
	series: Series[];
}

type Row = Record<string, string | number | null>;

/** The comparison range for a request. */
export function comparisonRange(r: QueryRequest): { from: number; to: number } | undefined {
	switch (r.compare) {
		case 'none':
			return undefined;
		case 'previousPeriod':
			return { from: r.from - (r.to - r.from), to: r.from };
		case 'previousDay':
			return { from: r.from - DAY_MS, to: r.to - DAY_MS };
		case 'previousWeek':
			return samePeriodLastWeek(r);
		// Calendar months and years on Beijing dates (src/lib/time): 29 February 2024 is compared with 28 February 2023, 31 March with 28 February.
		case 'yoy':
			return samePeriodLastYear(r);
		case 'mom':
			return samePeriodLastMonth(r);
	}
}

async function fetchRows(warehouse: Warehouse, p: Plan, maxRows: number): Promise<Row[][]> {
	return Promise.all(
		p.queries.map(async (q) => {
			const rs = await warehouse.query({ query: q.sql, query_params: { ...q.params, max_rows: maxRows + 1 }, format: 'JSONEachRow' });
			const rows = await rs.json<Row>();
			// The SQL asks for one row more than allowed: reaching it means the estimate was wrong.
			if (rows.length > maxRows) throw tooManyRows(maxRows);
			return rows;
		})
	);
}

/** Measures per series key and bucket, merged across sources. */
function collect(p: Plan, results: Row[][]): Map<string, { key: Record<string, string | number>; buckets: Map<string, Record<string, number | null>> }> {
	const seriesKeys = p.keyColumns.filter((k) => k !== 'period');
	const out = new Map<string, { key: Record<string, string | number>; buckets: Map<string, Record<string, number | null>> }>();
	results.forEach((rows, qi) => {
		const q = p.queries[qi]!;
		for (const row of rows) {
			const key = Object.fromEntries(seriesKeys.map((k) => [k, row[k] as string | number]));
			const id = JSON.stringify(seriesKeys.map((k) => row[k]));
			let series = out.get(id);
			if (!series) out.set(id, (series = { key, buckets: new Map() }));
			let measures = series.buckets.get(String(row.period));
			if (!measures) series.buckets.set(String(row.period), (measures = {}));
			for (const alias of q.measures.keys()) measures[alias] = row[alias] === null || row[alias] === undefined ? null : Number(row[alias]);
		}
	});
	return out;
}

/** Each measure of an indicator for one bucket (a bucket without rows: the measure's empty value). */
function measuresOf(ind: RollupIndicator, aliases: Record<string, string>, measures: Record<string, number | null> | undefined): Record<string, number | null> {
	const m: Record<string, number | null> = {};
	for (const [name, def] of Object.entries(ind.measures)) m[name] = measures?.[aliases[name]!] ?? def.empty;
	return m;
}

function valueOf(ind: RollupIndicator, aliases: Record<string, string>, measures: Record<string, number | null> | undefined): number | null {
	return ind.value(measuresOf(ind, aliases, measures));
}

/** Per-bucket measure records as one array per measure name. */
function transpose(ind: RollupIndicator, perBucket: Array<Record<string, number | null>>): Record<string, Array<number | null>> {
	return Object.fromEntries(Object.keys(ind.measures).map((name) => [name, perBucket.map((m) => m[name] ?? null)]));
}

/** Adds up the summable measures of every bucket (t-digest quantiles are asked of the warehouse at the 'total' grain instead). */
function sumBuckets(buckets: Map<string, Record<string, number | null>>): Record<string, number | null> {
	const total: Record<string, number | null> = {};
	for (const measures of buckets.values()) for (const [a, v] of Object.entries(measures)) total[a] = (total[a] ?? 0) + (v ?? 0);
	return total;
}

export interface RunOptions {
	/** The queue heavy requests wait in (the process's own by default). */
	queue?: WorkQueue;
	/** Rows one query may return (MAX_RESULT_ROWS by default; tests lower it). */
	maxRows?: number;
	/** Also return each indicator's measures (numerators, denominators) per bucket: the analysts' screen shows them. */
	measures?: boolean;
}

/**
 * Plans (refusing what cannot be answered or is outside the scope), refuses a
 * request over the work cap before any query, then runs it — heavy ones through
 * the bounded queue, so a few of them cannot starve everything else.
 */
export async function runQuery(warehouse: Warehouse, request: QueryRequest, scope: Scope, options: RunOptions = {}): Promise<QueryResult> {
	const work = await admitQuery(warehouse, request, scope);
	const run = () => execute(warehouse, request, scope, options.maxRows ?? MAX_RESULT_ROWS, options.measures ?? false);
	return work.heavy ? (options.queue ?? heavyQueries).run(run) : run();
}

/**
 * Plans a request and checks it against the work cap, running nothing: a live
 * topic calls it before it opens, so a request too large is refused, not retried every tick.
 */
export async function admitQuery(warehouse: Warehouse, request: QueryRequest, scope: Scope): Promise<WorkEstimate> {
	plan(request, scope);
	return checkWork(request, await cardinalities(warehouse));
}

async function execute(warehouse: Warehouse, request: QueryRequest, scope: Scope, maxRows: number, withMeasures: boolean): Promise<QueryResult> {
	const current = plan(request, scope);
	const range = comparisonRange(request);
	const compared = range ? plan(request, scope, range) : undefined;
	const needsTotalQuery = current.indicators.some((i) => Object.values(i.measures).some((m) => !m.sql.startsWith('sum(')));
	const totalRequest = { ...request, grain: 'total' as const };
	// Every plan before any query starts: a plan that throws must not leave a started query unawaited.
	const totalPlan = needsTotalQuery && request.grain !== 'total' ? plan(totalRequest, scope) : undefined;
	const compareTotalPlan = needsTotalQuery && range && request.grain !== 'total' ? plan(totalRequest, scope, range) : undefined;
	const [rows, compareRows, totalRows, compareTotalRows] = await Promise.all([
		fetchRows(warehouse, current, maxRows),
		compared ? fetchRows(warehouse, compared, maxRows) : undefined,
		totalPlan ? fetchRows(warehouse, totalPlan, maxRows) : undefined,
		compareTotalPlan ? fetchRows(warehouse, compareTotalPlan, maxRows) : undefined
	]);
	const buckets = bucketLabels(request.grain, request.from, request.to);
	const compareBuckets = range ? bucketLabels(request.grain, range.from, range.to) : undefined;
	const now = collect(current, rows);
	const before = compared && compareRows ? collect(compared, compareRows) : undefined;
	const totals = totalRows ? collect(plan(totalRequest, scope), totalRows) : undefined;
	const compareTotals = compareTotalRows && range ? collect(plan(totalRequest, scope, range), compareTotalRows) : undefined;

	// Every series seen in either period appears, with its empty buckets filled.
	const ids = new Set([...now.keys(), ...(before?.keys() ?? [])]);
	if (ids.size === 0 && current.keyColumns.length === 1) ids.add('[]');
	const series: Series[] = [...ids].map((id) => {
		const cur = now.get(id);
		const prev = before?.get(id);
		const key = cur?.key ?? prev?.key ?? {};
		const s: Series = { key, values: {}, total: {} };
		if (before) {
			s.compare = {};
			s.compareTotal = {};
		}
		for (const ind of current.indicators) {
			const aliases = current.aliases.get(ind.code)!;
			s.values[ind.code] = buckets.map((b) => valueOf(ind, aliases, cur?.buckets.get(b)));
			const total = totals ? totals.get(id)?.buckets.get('total') : cur ? sumBuckets(cur.buckets) : undefined;
			s.total[ind.code] = valueOf(ind, aliases, total);
			if (withMeasures) {
				(s.measures ??= {})[ind.code] = transpose(
					ind,
					buckets.map((b) => measuresOf(ind, aliases, cur?.buckets.get(b)))
				);
				(s.totalMeasures ??= {})[ind.code] = measuresOf(ind, aliases, total);
			}
			if (before && compared) {
				const cAliases = compared.aliases.get(ind.code)!;
				s.compare![ind.code] = compareBuckets!.map((b) => valueOf(ind, cAliases, prev?.buckets.get(b)));
				const compareTotal = compareTotals ? compareTotals.get(id)?.buckets.get('total') : prev ? sumBuckets(prev.buckets) : undefined;
				s.compareTotal![ind.code] = valueOf(ind, cAliases, compareTotal);
				if (withMeasures) {
					(s.compareMeasures ??= {})[ind.code] = transpose(
						ind,
						compareBuckets!.map((b) => measuresOf(ind, cAliases, prev?.buckets.get(b)))
					);
					(s.compareTotalMeasures ??= {})[ind.code] = measuresOf(ind, cAliases, compareTotal);
				}
			}
		}
		return s;
	});
	series.sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
	await labelRegions(warehouse, series);
	return {
		indicators: current.indicators.map(({ code, nameZh, nameEn, unit, polarity, kind, definition }) => ({
			code,
			nameZh,
			nameEn,
			unit,
			polarity,
			kind,
			definition
		})),
		grain: request.grain,
		buckets,
		compare: request.compare,
		compareBuckets,
		series
	};
}

/**
 * Sizes for the work estimate: sub-regions per region (as childColumn splits
 * them), items and departments of the item catalogue. Read once per warehouse
 * client and kept ten minutes: the region tree does not change while a process
 * runs, and a catalogue a little stale only moves the estimate (the row LIMIT holds).
 */
const CARDINALITY_TTL_MS = 10 * 60_000;
/** An empty item catalogue or region tree (a first start, still loading) is read again soon. */
const EMPTY_CARDINALITY_TTL_MS = 10_000;
const cardinalityCache = new WeakMap<Warehouse, { at: number; ttl: number; value: Promise<Cardinalities> }>();

export function cardinalities(warehouse: Warehouse): Promise<Cardinalities> {
	const hit = cardinalityCache.get(warehouse);
	if (hit && Date.now() - hit.at < hit.ttl) return hit.value;
	const entry = { at: Date.now(), ttl: EMPTY_CARDINALITY_TTL_MS, value: loadCardinalities(warehouse) };
	cardinalityCache.set(warehouse, entry);
	entry.value.then(
		(c) => (entry.ttl = c.items > 0 && c.children.size > 0 ? CARDINALITY_TTL_MS : EMPTY_CARDINALITY_TTL_MS),
		// A failed read is not kept: the next request tries again (its own caller sees this error).
		() => cardinalityCache.get(warehouse) === entry && cardinalityCache.delete(warehouse)
	);
	return entry.value;
}

async function loadCardinalities(warehouse: Warehouse): Promise<Cardinalities> {
	const [regions, catalogue] = await Promise.all([regionTree({ warehouse }).then((tree) => tree.all()), itemCatalogueSize({ warehouse })]);
	const children = new Map<number, number>();
	const count = (parent: number) => children.set(parent, (children.get(parent) ?? 0) + 1);
	for (const r of regions) {
		// Each region counts under every parent whose split yields its code: 0 → provinces, a province → its cities
		// (or a municipality's districts), a city → its counties.
		const level = levelOf(r.adcode);
		if (level === 'province') count(0);
		if (level !== 'province' && r.adcode !== r.province_code && childColumn(r.province_code) === (level === 'city' ? 'city_code' : 'adcode'))
			count(r.province_code);
		if (level === 'county' && r.city_code !== r.adcode) count(r.city_code);
	}
	return { children, items: catalogue.items, departments: catalogue.departments };
}

/** Short Chinese names of regions, from the per-process region tree (queries/regions). */
export function regionNames(warehouse: Warehouse, codes: number[]): Promise<Map<number, string>> {
	return shortNames({ warehouse }, codes);
}

/** Short Chinese names for sub-region series. */
async function labelRegions(warehouse: Warehouse, series: Series[]): Promise<void> {
	const names = await regionNames(
		warehouse,
		series.map((s) => s.key.region).filter((c): c is number => typeof c === 'number')
	);
	for (const s of series) if (typeof s.key.region === 'number') s.label = names.get(s.key.region) ?? String(s.key.region);
}
