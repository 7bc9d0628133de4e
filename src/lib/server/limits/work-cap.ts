/**
 * The cap on what one indicator request may ask for, estimated before any query
 * runs: indicators × series × buckets (× 2 with a comparison period) — the
 * figures the reply would carry. Series come from the region tree (how many
 * sub-regions a split makes) and the dimensions grouped by (items and
 * departments from the item catalogue, the fixed channel and ticket-type lists,
 * or the filter's values when fewer); buckets from the grain and the range.
 * One such request once took 55 s, replied 480 MB and grew the web process to
 * 3.5 GiB; now it is refused with a message saying how to narrow it. The
 * estimate can be wrong (a stale catalogue): the planner's row LIMIT still holds.
 */
import type { Dimension } from '../../indicators/catalogue.ts';
import { levelOf } from '../../regions/index.ts';
import { DAY_MS } from '../../time/beijing-time.ts';
import { bucketLabels, MAX_RESULT_ROWS, PlanError } from '../planner/plan.ts';
import type { QueryRequest } from '../planner/request.ts';

/** Figures one request may return at most: 200 000 values is a few MB of JSON. */
export const MAX_CELLS = 200_000;

/** Requests above this, or scanning long ranges, go through the heavy-query queue. */
export const HEAVY_CELLS = 20_000;
/** Hour and minute rollups over more than a week, day rollups over more than a quarter: many rows to read. */
const HEAVY_SPAN_MS = { fine: 7 * DAY_MS, coarse: 92 * DAY_MS };

/** How many values each way of splitting a request can take. */
export interface Cardinalities {
	/** Sub-regions per region code, as the planner splits it (cities of a province, districts of a municipality, …). */
	children: ReadonlyMap<number, number>;
	items: number;
	departments: number;
}

/** Fixed lists (the request's enums) and bounds where no catalogue exists (12345 topics: the filter allows 50). */
const FIXED: Partial<Record<Dimension, number>> = { channel: 5, ticketType: 5, topic: 50 };
/** When the region tree is not loaded: more sub-regions than any real region has at that level. */
const DEFAULT_CHILDREN = { national: 34, province: 30, city: 30, county: 1 } as const;

/** The request is larger than one reply may be: a 400 that says how to narrow it. */
export class WorkTooLargeError extends PlanError {}

export interface WorkEstimate {
	indicators: number;
	series: number;
	buckets: number;
	/** 2 with a comparison period. */
	periods: number;
	cells: number;
	/** Goes through the heavy-query queue. */
	heavy: boolean;
}

export function estimateWork(request: QueryRequest, card: Cardinalities): WorkEstimate {
	const { adcode, by } = request.region;
	let series = by === 'children' ? (card.children.get(adcode) ?? DEFAULT_CHILDREN[levelOf(adcode)]) : 1;
	for (const d of request.groupBy) {
		const known = d === 'item' ? card.items : d === 'department' ? card.departments : FIXED[d]!;
		const filtered = request.filters[d]?.length;
		series *= Math.max(1, filtered ? Math.min(filtered, known) : known);
	}
	const buckets = bucketLabels(request.grain, request.from, request.to).length;
	const periods = request.compare === 'none' ? 1 : 2;
	const indicators = request.indicators.length;
	const cells = indicators * series * buckets * periods;
	const span = (request.to - request.from) * periods;
	const fine = request.grain === 'hour' || request.grain === 'minute';
	const heavy = cells > HEAVY_CELLS || span > (fine ? HEAVY_SPAN_MS.fine : HEAVY_SPAN_MS.coarse);
	return { indicators, series, buckets, periods, cells, heavy };
}

const HOW_TO_NARROW = '请减少指标、改用更粗的粒度（按日或按月）、缩短时间范围，或减少分组维度与下级地区拆分后重试。';

/** The estimate, or a WorkTooLargeError (before any query) when it is over the cap. */
export function checkWork(request: QueryRequest, card: Cardinalities): WorkEstimate {
	const w = estimateWork(request, card);
	if (w.cells > MAX_CELLS) {
		const compared = w.periods > 1 ? ' × 2（含对比期）' : '';
		throw new WorkTooLargeError(
			`查询过大：约 ${w.cells.toLocaleString('en-US')} 个数据点（${w.indicators} 个指标 × ${w.series.toLocaleString('en-US')} 条序列 × ${w.buckets.toLocaleString('en-US')} 个时间段${compared}），` +
				`单次查询上限为 ${MAX_CELLS.toLocaleString('en-US')} 个。${HOW_TO_NARROW}`
		);
	}
	return w;
}

/** The warehouse returned more rows than the cap allows (the estimate was low): refused, never truncated. */
export function tooManyRows(maxRows = MAX_RESULT_ROWS): WorkTooLargeError {
	return new WorkTooLargeError(`查询结果超过 ${maxRows.toLocaleString('en-US')} 行上限。${HOW_TO_NARROW}`);
}
