/**
 * From a request to the smallest rollup that answers it, and the SQL to ask it,
 * every value a bound parameter. Pure: unit-tested, and its SQL checked to parse
 * by the real engine.
 */
import type { Dimension, Grain } from '../../indicators/catalogue.ts';
import { chooseTable, rollupIndicator, type RollupIndicator, type Source } from './rollups.ts';
import type { QueryRequest } from './request.ts';
import { beijingLocal, DAY_MS, HOUR_MS, startOfBeijingDay } from '../../time/beijing-time.ts';
import { beijingDate } from '../../time/working-days.ts';
import { clickhouseDateTime } from '../../time/clickhouse-params.ts';
import { periodLabels, type CalendarGrain } from '../../time/periods.ts';
import { assertInScope, levelOf, regionColumn, regionFilter, type Scope } from '../scope.ts';

// The scope lives in ../scope.ts; re-exported for the modules that import it from here.
export { inScope, levelOf, regionFilter, within, type Level, type Scope } from '../scope.ts';
// The rollups live in ./rollups.ts; re-exported for the modules that import them from here.
export { SOURCES, type SourceTables } from './rollups.ts';

export class PlanError extends Error {}

/** Chinese names for refusals (the caller reads them). */
const GRAIN_ZH: Record<QueryRequest['grain'], string> = {
	minute: '分钟',
	hour: '小时',
	day: '日',
	// Stryker disable next-line StringLiteral: unreachable in a refusal — week, quarter and year are answered wherever day is, and every indicator has day data.
	week: '周',
	month: '月',
	// Stryker disable next-line StringLiteral: unreachable in a refusal — week, quarter and year are answered wherever day is, and every indicator has day data.
	quarter: '季度',
	// Stryker disable next-line StringLiteral: unreachable in a refusal — week, quarter and year are answered wherever day is, and every indicator has day data.
	year: '年',
	total: '合计'
};

/** Calendar grains made of whole Beijing days (src/lib/time/periods.ts): answered wherever the day grain is. */
const DAY_BASED = new Set<QueryRequest['grain']>(['week', 'quarter', 'year']);
/** The catalogue grain an indicator must have for a request's grain. */
const catalogueGrain = (g: QueryRequest['grain']): Grain => (DAY_BASED.has(g) ? 'day' : (g as Grain));
const FAMILY_ZH: Record<string, string> = {
	minute: '分钟',
	hour: '小时',
	// Stryker disable next-line StringLiteral: unreachable in a refusal — every source has day tables.
	day: '日'
};
const DIMENSION_ZH: Record<Dimension, string> = { department: '部门', item: '事项', channel: '渠道', ticketType: '诉求类型', topic: '诉求主题' };

/**
 * Rows one rollup query may return: the SQL asks for one more, and run.ts refuses
 * a reply that reaches it (never truncates), so a wrong work estimate
 * (limits/work-cap.ts) still cannot fill the web process's memory.
 */
export const MAX_RESULT_ROWS = 200_000;

/** 直辖市: districts directly under the province-level city. */
export const MUNICIPALITIES = new Set([110000, 120000, 310000, 500000]);

/** Whether a request reads county codes: a county region, counties as sub-regions, or counties in the scope. */
function needsCounties(request: QueryRequest, scope: Scope): boolean {
	const { adcode, by } = request.region;
	if (regionColumn(adcode) === 'adcode') return true;
	if (by === 'children' && childColumn(adcode) === 'adcode') return true;
	return !scope.all && scope.adcodes.some((a) => levelOf(a) === 'county');
}

/** The column that splits a region into its children. */
export function childColumn(adcode: number): string {
	const level = levelOf(adcode);
	if (level === 'national') return 'province_code';
	if (level === 'province') return MUNICIPALITIES.has(adcode) ? 'adcode' : 'city_code';
	if (level === 'city') return 'adcode';
	throw new PlanError('区县没有下级地区，不能按下级地区分组');
}

export interface SourceQuery {
	source: Source;
	table: string;
	sql: string;
	params: Record<string, unknown>;
	/** Measure alias → (indicator code, measure name) pairs it serves. */
	measures: Map<string, string>;
	/** Output columns that form a series key. */
	keys: string[];
}

export interface Plan {
	indicators: RollupIndicator[];
	grain: QueryRequest['grain'];
	/** Rollup family: minute, hour or day tables. */
	family: 'minute' | 'hour' | 'day';
	queries: SourceQuery[];
	/** Measure alias per indicator per measure name. */
	aliases: Map<string, Record<string, string>>;
	keyColumns: string[];
}

export function plan(request: QueryRequest, scope: Scope, range: { from: number; to: number } = request): Plan {
	const indicators = request.indicators.map((code) => rollupIndicator(code)!);
	for (const ind of indicators) {
		if (!ind.grains.includes(catalogueGrain(request.grain)))
			throw new PlanError(`${ind.nameZh}（${ind.code}）没有按${GRAIN_ZH[request.grain]}的数据；可选：${ind.grains.map((g) => GRAIN_ZH[g]).join('、')}`);
	}
	const usedDims = new Set<Dimension>([...request.groupBy, ...(Object.keys(request.filters) as Dimension[]).filter((k) => request.filters[k] !== undefined)]);
	for (const ind of indicators) {
		for (const d of usedDims) if (!ind.dimensions.includes(d)) throw new PlanError(`${ind.nameZh}（${ind.code}）不能按${DIMENSION_ZH[d]}筛选或分组`);
	}
	// Scope: the region asked for must lie within what the caller may see.
	assertInScope(request.region.adcode, scope);
	const family = familyOf(request.grain, range);

	// One query per source; measures shared between indicators are computed once.
	const bySource = new Map<Source, Map<string, string>>(); // source → sql → alias
	const aliases = new Map<string, Record<string, string>>();
	let next = 0;
	for (const ind of indicators) {
		const mine: Record<string, string> = {};
		for (const [name, m] of Object.entries(ind.measures)) {
			let sqls = bySource.get(m.source);
			if (!sqls) bySource.set(m.source, (sqls = new Map()));
			let alias = sqls.get(m.sql);
			if (!alias) sqls.set(m.sql, (alias = `m${next++}`));
			mine[name] = alias;
		}
		aliases.set(ind.code, mine);
	}

	const keyColumns = ['period', ...(request.region.by === 'children' ? ['region'] : []), ...request.groupBy];
	const queries: SourceQuery[] = [...bySource.entries()].map(([source, sqls]) => {
		const chosen = chooseTable(source, family, usedDims, needsCounties(request, scope));
		if (!chosen)
			throw new PlanError(
				// Stryker disable next-line ConditionalExpression: equivalent — outside a total the family is the grain itself, and no indicator of the catalogue lists a grain its sources have no table of.
				request.grain === 'total'
					? `该指标的合计须从北京时间零点起止（${source} 没有按${FAMILY_ZH[family]}的汇总）`
					: // Stryker disable next-line StringLiteral: unreachable, as above.
						`${source} 没有按${FAMILY_ZH[family]}的汇总`
			);
		const { table, dims } = chosen;
		const params: Record<string, unknown> = {};
		const where: string[] = [];
		if (family === 'day') {
			params.from = beijingDate(range.from);
			params.to = beijingDate(range.to);
			where.push('bucket >= {from:Date}', 'bucket < {to:Date}');
		} else {
			params.from = clickhouseDateTime(range.from);
			params.to = clickhouseDateTime(range.to);
			where.push("bucket >= {from:DateTime('UTC')}", "bucket < {to:DateTime('UTC')}");
		}
		const region = regionFilter(request.region.adcode, scope);
		Object.assign(params, region.params);
		where.push(...region.where);
		for (const d of Object.keys(request.filters) as Dimension[]) {
			const vals = request.filters[d];
			if (!vals) continue;
			const col = dims[d];
			if (!col) throw new PlanError(`按${FAMILY_ZH[family]}的数据不能按${DIMENSION_ZH[d]}筛选（${source}）`);
			params[`f_${d}`] = vals;
			where.push(`has({f_${d}:Array(String)}, toString(${col}))`);
		}
		// Not aliased `bucket`: ClickHouse lets an alias shadow the column in WHERE.
		const select: string[] = [`${bucketExpr(request.grain, family)} AS period`];
		const group: string[] = ['period'];
		if (request.region.by === 'children') {
			select.push(`${childColumn(request.region.adcode)} AS region`);
			group.push('region');
		}
		for (const d of request.groupBy) {
			const col = dims[d];
			if (!col) throw new PlanError(`按${FAMILY_ZH[family]}的数据不能按${DIMENSION_ZH[d]}分组（${source}）`);
			select.push(`toString(${col}) AS ${d}`);
			group.push(d);
		}
		const measures = new Map<string, string>();
		for (const [sql, alias] of sqls) {
			select.push(`${sql} AS ${alias}`);
			measures.set(alias, sql);
		}
		params.max_rows = MAX_RESULT_ROWS + 1;
		const sql = `SELECT ${select.join(', ')}\nFROM ${table}\nWHERE ${where.join('\n  AND ')}\nGROUP BY ${group.join(', ')}\nORDER BY ${group.join(', ')}\nLIMIT {max_rows:UInt32}`;
		return { source, table, sql, params, measures, keys: keyColumns };
	});
	return { indicators, grain: request.grain, family, queries, aliases, keyColumns };
}

/**
 * The rollup family for a grain. A total over a range that does not start and
 * end at Beijing midnight (today so far, against yesterday up to the same hour)
 * is read from the hour rollups, or the minute ones when the range is not whole hours.
 */
function familyOf(grain: QueryRequest['grain'], range: { from: number; to: number }): Plan['family'] {
	if (grain === 'minute') return 'minute';
	if (grain === 'hour') return 'hour';
	if (grain !== 'total') return 'day';
	const atBeijingMidnight = (ms: number) => startOfBeijingDay(ms) === ms;
	if (atBeijingMidnight(range.from) && atBeijingMidnight(range.to)) return 'day';
	return range.from % HOUR_MS === 0 && range.to % HOUR_MS === 0 ? 'hour' : 'minute';
}

function bucketExpr(grain: QueryRequest['grain'], family: Plan['family']): string {
	if (grain === 'total') return "'total'";
	// Day buckets are Beijing dates already; the labels are those of src/lib/time/periods.ts.
	if (family === 'day') {
		if (grain === 'month') return "formatDateTime(toStartOfMonth(bucket), '%Y-%m')";
		if (grain === 'week') return "concat(toString(toISOYear(bucket)), '-W', leftPad(toString(toISOWeek(bucket)), 2, '0'))";
		if (grain === 'quarter') return "concat(toString(toYear(bucket)), '-Q', toString(toQuarter(bucket)))";
		if (grain === 'year') return 'toString(toYear(bucket))';
		return 'toString(bucket)';
	}
	return `formatDateTime(bucket, '%Y-%m-%d %H:%i', 'Asia/Shanghai')`;
}

/** Every bucket label of a range, so empty ones can be filled. */
export function bucketLabels(grain: QueryRequest['grain'], from: number, to: number): string[] {
	if (grain === 'total') return ['total'];
	if (DAY_BASED.has(grain)) return periodLabels(grain as CalendarGrain, from, to);
	const labels: string[] = [];
	if (grain === 'minute' || grain === 'hour') {
		const step = grain === 'minute' ? 60_000 : HOUR_MS;
		for (let t = Math.floor(from / step) * step; t < to; t += step) labels.push(beijingLocal(t).replace('T', ' '));
		return labels;
	}
	// Every Beijing day that starts before `to`, from the one holding `from`.
	for (let t = startOfBeijingDay(from); t < to; t += DAY_MS) {
		const date = beijingDate(t);
		const label = grain === 'month' ? date.slice(0, 7) : date;
		if (labels.at(-1) !== label) labels.push(label);
	}
	return labels;
}
