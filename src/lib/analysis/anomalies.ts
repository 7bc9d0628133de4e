/**
 * Flags on the workbench's series at every grain, with the anomaly module's rule
 * (src/lib/anomalies/grains.ts: the seasonal baseline of each grain, minimum sample,
 * size of the deviation). This file only turns a series — the buckets of a lookback
 * before the range and of the range, with their measures — into the rule's buckets
 * (day type, working days) and the flags of the range. Pure.
 */
import { flagCount, flagRate, isFlagGrain, type Bucket, type SeriesFlag } from '../anomalies/grains.ts';
import type { Tally } from '../anomalies/index.ts';
import { isWorkingDay } from '../time/working-days.ts';
import { workingDaysByPeriod } from '../time/periods.ts';

export type { SeriesFlag } from '../anomalies/grains.ts';

/** Buckets of one stretch of a series (the lookback, or the range asked for). */
export interface Stretch {
	/** The planner's bucket labels, in order. */
	labels: string[];
	/** The instants the stretch covers, [from, to). */
	from: number;
	to: number;
}

/** The rule's buckets of a stretch: the day type of hours and days, the working days of weeks, months and quarters inside it. */
export function bucketsOf(grain: string, stretch: Stretch): Bucket[] {
	if (grain === 'hour' || grain === 'day')
		return stretch.labels.map((label) => {
			const working = isWorkingDay(label.slice(0, 10));
			return { label, working, workingDays: working ? 1 : 0 };
		});
	if (grain !== 'week' && grain !== 'month' && grain !== 'quarter') return stretch.labels.map((label) => ({ label, working: null, workingDays: 0 }));
	const days = workingDaysByPeriod(grain, stretch.from, stretch.to);
	return stretch.labels.map((label) => ({ label, working: null, workingDays: days.get(label) ?? 0 }));
}

export interface FlaggedIndicator {
	nameZh: string;
	/** The unit a count is shown in ('件'). */
	unit: string;
	/** 'rate': judged on its parts (a fall only); 'count': either way. */
	kind: 'rate' | 'count';
	/** What a rate's sample is counted in ('件' of cases and tickets, '条' of reviews). */
	sampleUnit?: string;
}

/**
 * The flags of the range's buckets (indexes into the range's labels). Rates from their hits
 * and totals per bucket, counts from their values; the lookback's buckets are baseline only.
 */
export function flagSeries(
	grain: string,
	indicator: FlaggedIndicator,
	lookback: Stretch & { tallies?: Tally[]; values?: Array<number | null> },
	range: Stretch & { tallies?: Tally[]; values?: Array<number | null> }
): SeriesFlag[] {
	if (!isFlagGrain(grain)) return [];
	const buckets = [...bucketsOf(grain, lookback), ...bucketsOf(grain, range)];
	const first = lookback.labels.length;
	const shift = (flags: SeriesFlag[]) => flags.map((f) => ({ ...f, index: f.index - first }));
	if (indicator.kind === 'rate') {
		const empty = (n: number) => Array.from({ length: n }, () => ({ hits: 0, total: 0 }));
		const tallies = [...(lookback.tallies ?? empty(lookback.labels.length)), ...(range.tallies ?? empty(range.labels.length))];
		return shift(flagRate(indicator.nameZh, grain, buckets, tallies, first, undefined, indicator.sampleUnit));
	}
	const values = [...(lookback.values ?? lookback.labels.map(() => null)), ...(range.values ?? range.labels.map(() => null))];
	return shift(flagCount(indicator.nameZh, indicator.unit, grain, buckets, values, first));
}
