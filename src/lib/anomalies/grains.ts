/**
 * Flags on a series at every grain of the analysts' workbench (hour, day, week,
 * month, quarter): each bucket against a seasonal baseline of earlier buckets,
 * flagged only on enough sample and a deviation large in size and against the
 * baseline's spread (the rule of ./index.ts). Pure: the caller passes the buckets
 * of a lookback before the range and of the range, in time order.
 *
 * The baseline of each grain, and why:
 * - hour: the same hour of the 4 most recent days of the same type (working day or
 *   rest day on the official calendar) — volumes and even on-time rates follow the
 *   clock and whether the halls are open; a night hour is never judged by a morning.
 * - day: counts against the 4 most recent days of the same type (a rest-day or
 *   holiday dip is the calendar, not an anomaly); rates against the 4 most recent
 *   days whatever their type — a rate divides by its own volume, so the weekly
 *   cycle of volume cancels, and mixing types keeps the baseline recent.
 * - week: the 8 weeks before — long enough to measure the spread, short enough to
 *   follow a trend; the same week last year is too far (and holidays move).
 * - month: the 3 months before and the same month last year — the recent months
 *   carry the level, last year's month the season (tax months, year end).
 * - quarter: the 4 quarters before — a full year, so every season weighs once.
 * - year: none (too few buckets to know a spread).
 * Counts at week, month and quarter are compared per working day of the bucket
 * (inside the range asked for): a week with 国庆 or a month cut by the range is not
 * "low" for having fewer working days; a bucket with none is not judged.
 * Rates are pooled from their parts (hits over total of the baseline buckets), never
 * a mean of rates; a rate is flagged when it falls (every rate of the catalogue is
 * better high). A bucket already flagged is left out of later baselines: a three-day
 * fall is three anomalies, not one anomaly that became the norm.
 */
import { DEFAULT_DROP_RULE, detectDrop, type Baseline, type DropRule, type Tally } from './index.ts';
import { formatCount } from '../format/number.ts';
import { BEIJING_OFFSET_MS, DAY_MS, HOUR_MS, startOfBeijingDay } from '../time/beijing-time.ts';
import { beijingDate } from '../time/working-days.ts';
import { periodStart } from '../time/periods.ts';

export const FLAG_GRAINS = ['hour', 'day', 'week', 'month', 'quarter'] as const;
export type FlagGrain = (typeof FLAG_GRAINS)[number];

export const isFlagGrain = (grain: string): grain is FlagGrain => (FLAG_GRAINS as readonly string[]).includes(grain);

/** How many earlier buckets of each grain make a baseline (month: 3 before, plus the same month last year). */
export const BASELINE_BUCKETS: Record<FlagGrain, number> = { hour: 4, day: 4, week: 8, month: 3, quarter: 4 };

/**
 * The range before `from` whose buckets the baselines draw on: it ends where the bucket holding
 * `from` starts (a bucket the range cuts is judged on its own days) and reaches back 35 days for
 * hours and days (4 like days, even across 春节 or 国庆), 12 weeks (8, and some to skip), 12 months
 * (last year's month of the first bucket) and 6 quarters.
 */
export function baselineLookback(grain: FlagGrain, from: number): { from: number; to: number } {
	if (grain === 'hour') {
		const to = Math.floor(from / HOUR_MS) * HOUR_MS;
		return { from: to - 35 * DAY_MS, to };
	}
	if (grain === 'day') {
		const to = startOfBeijingDay(from);
		return { from: to - 35 * DAY_MS, to };
	}
	const start = periodStart(grain, beijingDate(from));
	const midnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - BEIJING_OFFSET_MS;
	const to = midnight(start);
	if (grain === 'week') return { from: to - 12 * 7 * DAY_MS, to };
	const [y, m] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
	const back = grain === 'month' ? 12 : 18;
	return { from: Date.UTC(y, m - 1 - back, 1) - BEIJING_OFFSET_MS, to };
}

export interface Bucket {
	/** The planner's label: '2026-11-20 14:00:00', '2026-11-20', '2026-W47', '2026-11', '2026-Q4'. */
	label: string;
	/** Hour and day buckets: whether the day is a working day on the official calendar. */
	working: boolean | null;
	/** Working days of the bucket inside the range asked for (week, month, quarter counts are per working day). */
	workingDays: number;
}

export interface CountRule {
	/** Baseline buckets, at least. */
	minBuckets: number;
	/** The expected count of the bucket, at least (a handful of cases is no evidence). */
	minExpected: number;
	/** Deviation in units of the larger of the baseline's spread and the Poisson noise, at least. */
	minSigmas: number;
	/** Deviation as a share of the expected count, at least. */
	minShare: number;
}

export const DEFAULT_COUNT_RULE: CountRule = { minBuckets: 3, minExpected: 30, minSigmas: 3, minShare: 0.3 };

export interface SeriesFlag {
	index: number;
	kind: 'rate' | 'count';
	direction: 'low' | 'high';
	/** The bucket's value: a rate in %, or a count. */
	value: number;
	/** The baseline: a pooled rate in %, or the expected count of the bucket. */
	baseline: number;
	/** Percentage points for a rate, per cent of the baseline for a count; signed. */
	deviation: number;
	/** The bucket's sample (completions of a rate) and the baseline's. */
	n: number;
	baselineN: number;
	/** Which buckets the baseline was, in words ('前4天', '前8周'…). */
	baselineLabel: string;
	/** The labels of the baseline buckets, most recent first. */
	baselineBuckets: string[];
	/** The whole reason, shown beside the point and in the list. */
	text: string;
}

const hourOf = (b: Bucket) => b.label.slice(11, 13);
const typeZh = (working: boolean | null) => (working ? '工作日' : '休息日');

/** The same month a year before: '2026-03' → '2025-03'. */
const lastYearMonth = (label: string) => `${Number(label.slice(0, 4)) - 1}${label.slice(4, 7)}`;

/**
 * The earlier buckets bucket `i` is compared with, most recent first, among those `usable`
 * says may serve (not flagged, with a sample), and the words for them.
 */
export function comparableBuckets(
	grain: FlagGrain,
	kind: 'rate' | 'count',
	buckets: readonly Bucket[],
	i: number,
	usable: (j: number) => boolean
): { indexes: number[]; label: string } {
	const me = buckets[i]!;
	const wanted = BASELINE_BUCKETS[grain];
	const like = (j: number) => {
		const b = buckets[j]!;
		if (grain === 'hour') return hourOf(b) === hourOf(me) && b.working === me.working;
		if (grain === 'day') return kind === 'rate' || b.working === me.working;
		// Months before, not reaching back to last year's (which comes in as itself, below).
		if (grain === 'month') return b.label > lastYearMonth(me.label);
		return true;
	};
	const indexes: number[] = [];
	for (let j = i - 1; j >= 0 && indexes.length < wanted; j--) if (like(j) && usable(j)) indexes.push(j);
	if (grain === 'month') {
		// Earlier than every month the loop took (those are after it), so never taken twice.
		const ly = buckets.findIndex((b) => b.label === lastYearMonth(me.label));
		const withLastYear = ly >= 0 && usable(ly);
		if (withLastYear) indexes.push(ly);
		const months = indexes.length - (withLastYear ? 1 : 0);
		return { indexes, label: withLastYear ? (months ? `前${months}个月及去年同月` : '去年同月') : `前${months}个月` };
	}
	const n = indexes.length;
	const label =
		grain === 'hour'
			? `前${n}个${typeZh(me.working)}${hourOf(me)}时`
			: grain === 'day'
				? kind === 'rate'
					? `前${n}天`
					: `前${n}个${typeZh(me.working)}`
				: grain === 'week'
					? `前${n}周`
					: `前${n}个季度`;
	return { indexes, label };
}

const pct = (v: number) => `${v.toFixed(1)}%`;

/**
 * Buckets of a rate (hits of total each) that fell below their baseline, by the drop rule
 * of ./index.ts (sample on both sides, at least 3 baseline buckets, points and sigmas).
 * Only buckets from `first` on are reported; those before (the lookback) are judged too,
 * so that their own anomalies stay out of the baselines.
 */
export function flagRate(
	indicatorZh: string,
	grain: FlagGrain,
	buckets: readonly Bucket[],
	tallies: readonly Tally[],
	first = 0,
	rule: DropRule = DEFAULT_DROP_RULE,
	sampleUnit = '件'
): SeriesFlag[] {
	const flagged = new Set<number>();
	const out: SeriesFlag[] = [];
	for (let i = 0; i < buckets.length; i++) {
		const t = tallies[i]!;
		if (t.total <= 0) continue;
		const { indexes, label } = comparableBuckets(grain, 'rate', buckets, i, (j) => !flagged.has(j) && tallies[j]!.total > 0);
		const used = indexes.map((j) => tallies[j]!);
		const hits = used.reduce((s, x) => s + x.hits, 0);
		const n = used.reduce((s, x) => s + x.total, 0);
		const rates = used.map((x) => (100 * x.hits) / x.total);
		const mean = rates.reduce((s, r) => s + r, 0) / rates.length;
		const spread = rates.length > 1 ? Math.sqrt(rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (rates.length - 1)) : 0;
		const days = indexes.map((j) => buckets[j]!.label);
		const baseline: Baseline = { label, days, rate: (100 * hits) / n, n, spread };
		const d = detectDrop(t, baseline, rule);
		if (!d) continue;
		flagged.add(i);
		if (i < first) continue;
		out.push({
			index: i,
			kind: 'rate',
			direction: 'low',
			value: d.rate,
			baseline: baseline.rate,
			deviation: -d.dropPp,
			n: t.total,
			baselineN: n,
			baselineLabel: label,
			baselineBuckets: days,
			text: `${indicatorZh} ${pct(d.rate)}，低于同期基线 ${pct(baseline.rate)}（−${d.dropPp.toFixed(1)} 个百分点，样本 ${formatCount(t.total)} ${sampleUnit}；基线：${label}，${formatCount(n)} ${sampleUnit}）`
		});
	}
	return out;
}

/**
 * Buckets of a count far from their baseline either way: the mean of the baseline buckets
 * (per working day at week, month and quarter, times the bucket's working days), judged
 * against the larger of the buckets' spread and the Poisson noise of the expected count.
 * Reported from `first` on, as flagRate.
 */
export function flagCount(
	indicatorZh: string,
	unit: string,
	grain: FlagGrain,
	buckets: readonly Bucket[],
	values: ReadonlyArray<number | null>,
	first = 0,
	rule: CountRule = DEFAULT_COUNT_RULE
): SeriesFlag[] {
	const perWorkingDay = grain === 'week' || grain === 'month' || grain === 'quarter';
	// What a bucket is compared in: the count, or the count per working day.
	const rateOf = (j: number): number | null => {
		const v = values[j];
		if (v === null || v === undefined) return null;
		if (!perWorkingDay) return v;
		return buckets[j]!.workingDays > 0 ? v / buckets[j]!.workingDays : null;
	};
	const flagged = new Set<number>();
	const out: SeriesFlag[] = [];
	// Stryker disable next-line EqualityOperator: `i <= buckets.length` is equivalent — one value per bucket (the caller builds both from the same labels), so the step past the end reads values[buckets.length], undefined, and skips it (`i >= …`, killed by every test, is hidden too)
	for (let i = 0; i < buckets.length; i++) {
		const v = values[i];
		// `v === null || v === undefined` narrows v's type: rateOf(i) is null for both too, so dropping either half or both
		// changes nothing. The mutants of the whole condition and of `rateOf(i) === null` on this line are killed ('a bucket
		// without a value is never judged', 'never judges a week without working days'); the disable hides them too.
		// Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, see above
		if (v === null || v === undefined || rateOf(i) === null) continue;
		// Stryker disable next-line StringLiteral: comparableBuckets only asks whether kind is 'rate'; any other string is a count
		const { indexes, label } = comparableBuckets(grain, 'count', buckets, i, (j) => !flagged.has(j) && rateOf(j) !== null);
		if (indexes.length < rule.minBuckets) continue;
		const scale = perWorkingDay ? buckets[i]!.workingDays : 1;
		const xs = indexes.map((j) => rateOf(j)! * scale);
		const expected = xs.reduce((s, x) => s + x, 0) / xs.length;
		// A baseline of nothing gives no relative deviation (a rule with minExpected 0 would print "+Infinity%").
		if (expected <= 0 || expected < rule.minExpected) continue;
		const spread = Math.sqrt(xs.reduce((s, x) => s + (x - expected) ** 2, 0) / (xs.length - 1));
		const sigma = Math.max(spread, Math.sqrt(expected));
		const gap = v - expected;
		// The share as a quotient: 30 % of 100 is exactly 30 this way (0.3 × 100 is not).
		if (Math.abs(gap) < rule.minSigmas * sigma || Math.abs(gap) / expected < rule.minShare) continue;
		flagged.add(i);
		if (i < first) continue;
		const share = (100 * gap) / expected;
		const basis = perWorkingDay ? `${label}按工作日折算，本期 ${buckets[i]!.workingDays} 个工作日` : `${label}均值`;
		out.push({
			index: i,
			kind: 'count',
			// Stryker disable next-line EqualityOperator: `gap >= 0` is equivalent — a gap of 0 is never flagged (0 % is under minShare, and 0 under minSigmas·σ with σ ≥ √expected > 0); `gap <= 0`, killed by the direction tests, is hidden too
			direction: gap > 0 ? 'high' : 'low',
			value: v,
			baseline: expected,
			deviation: share,
			n: v,
			baselineN: indexes.reduce((s, j) => s + values[j]!, 0),
			baselineLabel: label,
			baselineBuckets: indexes.map((j) => buckets[j]!.label),
			// Stryker disable next-line EqualityOperator: `gap >= 0` equivalent and `gap <= 0` killed (the texts' 高于/低于), as for direction above
			text: `${indicatorZh} ${formatCount(v)}${unit}，${gap > 0 ? '高于' : '低于'}同期基线 ${formatCount(Math.round(expected))}${unit}（${gap > 0 ? '+' : '−'}${Math.abs(share).toFixed(1)}%；基线：${basis}）`
		});
	}
	return out;
}
