/**
 * The rollup catalogue (server only): which table answers which request — per
 * source its minute/hour/day tables, the smaller regional and city-level ones and
 * the dimension columns each has — and, per indicator, the aggregates it needs
 * over them and how its value follows. The browser-shared catalogue
 * (indicators/catalogue.ts) keeps names, units, polarity, definitions, grains and
 * dimensions; no SQL reaches the browser bundle.
 */
import { CATALOGUE, type Dimension, type IndicatorDef } from '../../indicators/catalogue.ts';

/** A family of rollups fed by one kind of event. */
export type Source = 'cases' | 'reviews' | 'reviewActions' | 'negativeReviews' | 'negativeCohort' | 'hotline';

/** The rollup family a request reads: minute, hour or day tables. */
export type Family = 'minute' | 'hour' | 'day';

export interface SourceTables {
	minute?: string;
	hour?: string;
	day: string;
	/** Request dimension → column, per grain family. */
	dims: Partial<Record<Dimension, string>>;
	minuteDims?: Partial<Record<Dimension, string>>;
	/** Smaller rollups with fewer dimensions, used when the request needs no more. */
	regional?: { hour?: string; day: string; dims: Partial<Record<Dimension, string>> };
	/** The regional rollups summed to prefecture cities: for requests that need no county. */
	cityLevel?: { hour: string; day: string; dims: Partial<Record<Dimension, string>> };
}

export const SOURCES: Record<Source, SourceTables> = {
	cases: {
		minute: 'case_stats_minute',
		hour: 'case_stats_hour',
		day: 'case_stats_day',
		dims: { department: 'department', item: 'item_code', channel: 'channel' },
		minuteDims: { channel: 'channel' },
		regional: { hour: 'case_region_stats_hour', day: 'case_region_stats_day', dims: { channel: 'channel' } },
		cityLevel: { hour: 'case_city_stats_hour', day: 'case_city_stats_day', dims: { channel: 'channel' } }
	},
	reviews: {
		hour: 'review_stats_hour',
		day: 'review_stats_day',
		dims: { department: 'department', item: 'item_code', channel: 'channel' },
		regional: { hour: 'review_region_stats_hour', day: 'review_region_stats_day', dims: { channel: 'channel' } },
		cityLevel: { hour: 'review_city_stats_hour', day: 'review_city_stats_day', dims: { channel: 'channel' } }
	},
	reviewActions: { day: 'review_action_stats_day', dims: {} },
	/** A view over the state of each 差评, bucketed by its deadline. */
	negativeReviews: { day: 'negative_review_status', dims: {} },
	/** A view with one row per 差评, bucketed by the Beijing date it was received (migration 0012). */
	negativeCohort: { day: 'negative_review_cohort', dims: {} },
	hotline: { hour: 'hotline_stats_hour', day: 'hotline_stats_day', dims: { ticketType: 'ticket_type', topic: 'topic' } }
};

/**
 * The smallest rollup of a source that answers a request (the "table decider"):
 * city level when no county is needed, then region level, then the detailed one —
 * each only when its dimensions cover everything the request filters or groups by.
 * Undefined when the source has no table of the family.
 */
export function chooseTable(
	source: Source,
	family: Family,
	usedDims: ReadonlySet<Dimension>,
	needsCounties: boolean
): { table: string; dims: Partial<Record<Dimension, string>> } | undefined {
	const tables = SOURCES[source];
	const covers = (dims: Partial<Record<Dimension, string>>) => [...usedDims].every((d) => dims[d]);
	const cityTable = family === 'minute' || !tables.cityLevel || !covers(tables.cityLevel.dims) || needsCounties ? undefined : tables.cityLevel[family];
	if (cityTable) return { table: cityTable, dims: tables.cityLevel!.dims };
	const regionalTable = family === 'minute' ? undefined : tables.regional?.[family];
	if (regionalTable !== undefined && covers(tables.regional!.dims)) return { table: regionalTable, dims: tables.regional!.dims };
	const table = tables[family];
	return table ? { table, dims: family === 'minute' ? (tables.minuteDims ?? {}) : tables.dims } : undefined;
}

/** An aggregate over a source's rollup columns. Fixed SQL from this file, never from input. */
export interface Measure {
	source: Source;
	sql: string;
	/** Value when a bucket has no rows. */
	empty: number | null;
}

/** How an indicator is computed from the rollups. */
export interface Computation {
	/** Measures by name. */
	measures: Record<string, Measure>;
	value: (m: Record<string, number | null>) => number | null;
}

/** An indicator as the planner uses it: its shared definition and its computation. */
export type RollupIndicator = IndicatorDef & Computation;

/**
 * 办理时长 as the case rollups keep it (migration 0012): a histogram of processing times in fixed bins, merged
 * by adding counts, so the same events give the same percentiles whatever the batches or merges. Each band of
 * bins starts at `from` seconds with bins `width` seconds wide, numbered from `key`. The SQL below and the
 * migration's views say the same.
 */
export const DURATION_BANDS: ReadonlyArray<{ from: number; width: number; key: number }> = [
	{ from: 0, width: 60, key: 0 },
	{ from: 86_400, width: 600, key: 1440 },
	{ from: 604_800, width: 3600, key: 2304 },
	{ from: 7_776_000, width: 86_400, key: 4296 }
];

/** A processing time's bin (pure: what durationBinSql computes in the warehouse; the raw recount of `tianshu verify` uses it). */
export function durationBin(seconds: number): number {
	const b = DURATION_BANDS.findLast((x) => seconds >= x.from)!;
	return b.key + Math.floor((seconds - b.from) / b.width);
}

/** The start of a bin, in seconds: what a percentile falling in it reads — the exact time rounded down to the bin. */
export function durationBinStart(key: number): number {
	const b = DURATION_BANDS.findLast((x) => key >= x.key)!;
	return b.from + (key - b.key) * b.width;
}

/** SQL: the bin of a processing time in seconds (a UInt32 expression from this code, never input). */
export function durationBinSql(seconds: string): string {
	const bin = (b: (typeof DURATION_BANDS)[number]) => `${b.key} + intDiv(${seconds} - ${b.from}, ${b.width})`;
	const branches = DURATION_BANDS.slice(1).map((b, i) => `${seconds} < ${b.from}, ${bin(DURATION_BANDS[i]!)}`);
	return `toUInt16(multiIf(${branches.join(', ')}, ${bin(DURATION_BANDS.at(-1)!)}))`;
}

/**
 * SQL: the q-quantile, in seconds, of a merged histogram `hist` (a Map(UInt16, UInt64) expression such as
 * `sumMap(duration_hist)`): the start of the bin holding the ⌈q·n⌉-th smallest of the n times — that time rounded
 * down to a minute under a day, 10 minutes under 7 days, an hour under 90 days, a day beyond (counts compared in
 * integers, q in thousandths) — NULL when there is none. `q` is a constant of this code, never input.
 */
export function durationQuantileSql(hist: string, q: number): string {
	const permille = Math.round(q * 1000);
	if (!(permille > 0 && permille <= 1000)) throw new Error(`quantile ${q} is not in (0, 1]`);
	const counts = `mapValues(${hist})`;
	const n = `arraySum(${counts})`;
	const key = `toInt64(mapKeys(${hist})[arrayFirstIndex((c, t) -> c * 1000 >= t, arrayCumSum(${counts}), arrayWithConstant(length(${counts}), ${permille} * ${n}))])`;
	const start = DURATION_BANDS.map((b) => `${b.from} + (k - ${b.key}) * ${b.width}`);
	const bands = DURATION_BANDS.slice(1)
		.map((b, i) => `k < ${b.key}, ${start[i]}`)
		.join(', ');
	return `if(${n} = 0, NULL, arrayMap(k -> toFloat64(multiIf(${bands}, ${start.at(-1)})), [${key}])[1])`;
}

const sum = (source: Source, column: string): Measure => ({ source, sql: `sum(${column})`, empty: 0 });
/**
 * The reviews or 差评 that count (reviews/figures.ts): a 差评 whose appeal was upheld (申诉成立) leaves every
 * numerator and denominator. The review rollups hold `upheld` in the review's own bucket (migration 0013), so the
 * difference is a sum like any count (UInt64 − UInt64 is Int64 in the warehouse: a row of upheld only is negative).
 */
const counted = (column: 'reviews' | 'negative'): Measure => ({ source: 'reviews', sql: `sum(${column} - upheld)`, empty: 0 });
const ratio = (n: number | null | undefined, d: number | null | undefined, scale = 100): number | null => (d ? ((n ?? 0) / d) * scale : null);

export const COMPUTATIONS: Record<string, Computation> = {
	caseVolume: {
		measures: { submitted: sum('cases', 'submitted') },
		value: (m) => m.submitted ?? 0
	},
	acceptedVolume: {
		measures: { accepted: sum('cases', 'accepted') },
		value: (m) => m.accepted ?? 0
	},
	completedVolume: {
		measures: { completed: sum('cases', 'completed') },
		value: (m) => m.completed ?? 0
	},
	onTimeRate: {
		measures: { onTime: sum('cases', 'completed_on_time'), completed: sum('cases', 'completed') },
		value: (m) => ratio(m.onTime, m.completed)
	},
	earlyRate: {
		measures: { early: sum('cases', 'completed_early'), completed: sum('cases', 'completed') },
		value: (m) => ratio(m.early, m.completed)
	},
	avgDuration: {
		measures: { seconds: sum('cases', 'duration_sum'), timed: sum('cases', 'completed_timed') },
		value: (m) => ratio(m.seconds, m.timed, 1 / 3600)
	},
	p90Duration: {
		measures: { p90: { source: 'cases', sql: durationQuantileSql('sumMap(duration_hist)', 0.9), empty: null }, timed: sum('cases', 'completed_timed') },
		value: (m) => (m.timed ? (m.p90 ?? 0) / 3600 : null)
	},
	fullyOnlineRate: {
		measures: { online: sum('cases', 'fully_online'), completed: sum('cases', 'completed') },
		value: (m) => ratio(m.online, m.completed)
	},
	zeroTripRate: {
		measures: { zero: sum('cases', 'zero_trip'), completed: sum('cases', 'completed') },
		value: (m) => ratio(m.zero, m.completed)
	},
	crossProvinceVolume: {
		measures: { cross: sum('cases', 'cross_province') },
		value: (m) => m.cross ?? 0
	},
	positiveRate: {
		measures: { positive: sum('reviews', 'positive'), reviews: counted('reviews') },
		value: (m) => ratio(m.positive, m.reviews)
	},
	negativeCount: {
		measures: { negative: counted('negative') },
		value: (m) => m.negative ?? 0
	},
	reviewRate: {
		measures: { reviews: sum('reviews', 'reviews'), completed: sum('cases', 'completed') },
		value: (m) => ratio(m.reviews, m.completed)
	},
	rectifiedRate: {
		// A cohort (GB/T 39735): of the 差评 received in the period, those rectified by now — never above 100 %. Not the
		// rectifications dated in the period: those include older 差评's. The cockpit counts the same at its instant.
		measures: { rectified: sum('negativeCohort', 'rectified'), negative: sum('negativeCohort', 'negative') },
		value: (m) => ratio(m.rectified, m.negative)
	},
	overdueNegativeCount: {
		measures: { overdue: sum('negativeReviews', 'overdue') },
		value: (m) => m.overdue ?? 0
	},
	ticketVolume: {
		measures: { created: sum('hotline', 'created') },
		value: (m) => m.created ?? 0
	},
	answerRate: {
		measures: { answered: sum('hotline', 'answered'), created: sum('hotline', 'created') },
		value: (m) => ratio(m.answered, m.created)
	},
	ticketOnTimeRate: {
		measures: { onTime: sum('hotline', 'closed_on_time'), withDue: sum('hotline', 'closed_with_due') },
		value: (m) => ratio(m.onTime, m.withDue)
	},
	satisfactionRate: {
		measures: { satisfied: sum('hotline', 'closed_satisfied'), rated: sum('hotline', 'closed_rated') },
		value: (m) => ratio(m.satisfied, m.rated)
	},
	followUpRate: {
		measures: { rated: sum('hotline', 'closed_rated'), closed: sum('hotline', 'closed') },
		value: (m) => ratio(m.rated, m.closed)
	}
};

const BY_CODE = new Map<string, RollupIndicator>(
	CATALOGUE.map((def) => {
		const c = COMPUTATIONS[def.code];
		// Every catalogue indicator is computable: a new one without a computation fails at start-up, not on a wall.
		if (!c) throw new Error(`indicator ${def.code} has no computation in planner/rollups.ts`);
		return [def.code, { ...def, ...c }];
	})
);

export function rollupIndicator(code: string): RollupIndicator | undefined {
	return BY_CODE.get(code);
}

/**
 * How an indicator's value splits over groups (for "what moved it"): a count is
 * one summed measure; a ratio is numerator ÷ denominator × scale of two summed
 * measures (the first named is the numerator, as every computation above writes
 * it; the scale is read off the formula and checked). Undefined for what does not
 * add up over groups (a percentile).
 */
export type Decomposition = { kind: 'count'; measure: string } | { kind: 'ratio'; numerator: string; denominator: string; scale: number };

export function decomposition(ind: RollupIndicator): Decomposition | undefined {
	const names = Object.keys(ind.measures);
	if (!names.every((n) => ind.measures[n]!.sql.startsWith('sum('))) return undefined;
	if (names.length === 1 && ind.kind === 'count') return { kind: 'count', measure: names[0]! };
	if (names.length !== 2) return undefined;
	const [numerator, denominator] = names as [string, string];
	const scale = ind.value({ [numerator]: 1, [denominator]: 1 });
	if (scale === null || Math.abs((ind.value({ [numerator]: 3, [denominator]: 4 }) ?? NaN) - 0.75 * scale) > 1e-9 * Math.abs(scale)) return undefined;
	return { kind: 'ratio', numerator, denominator, scale };
}
