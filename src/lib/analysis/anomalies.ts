/**
 * Flags on a daily series, with the anomaly module's rule (src/lib/anomalies):
 * each day is compared with a seasonal baseline — the most recent earlier days of
 * the same type (working day or rest day, on the official calendar) — and flagged
 * only on enough sample and a deviation large in points and against the baseline's
 * spread. Rates: a drop (detectDrop). Counts: a deviation either way of at least
 * three times the larger of the days' spread and the Poisson noise, and 30 %.
 * Pure.
 */
import { DEFAULT_DROP_RULE, detectDrop, type Baseline, type DropRule, type Tally } from '$lib/anomalies';

export interface Flag {
	index: number;
	/** What it was compared with, in words. */
	text: string;
}

const BASELINE_DAYS = 4;

/** The indexes of the most recent earlier buckets of the same day type (up to four). */
function comparable(i: number, workdays: Array<boolean | null>): number[] {
	const out: number[] = [];
	for (let j = i - 1; j >= 0 && out.length < BASELINE_DAYS; j--) if (workdays[j] === workdays[i]) out.push(j);
	return out;
}

/** Days of a rate (hits of total per day) that dropped below their baseline. */
export function flagRateDrops(tallies: Tally[], workdays: Array<boolean | null>, rule: DropRule = DEFAULT_DROP_RULE): Flag[] {
	const flags: Flag[] = [];
	tallies.forEach((t, i) => {
		const days = comparable(i, workdays).filter((j) => tallies[j]!.total > 0);
		if (!days.length) return;
		const hits = days.reduce((s, j) => s + tallies[j]!.hits, 0);
		const n = days.reduce((s, j) => s + tallies[j]!.total, 0);
		const rates = days.map((j) => (100 * tallies[j]!.hits) / tallies[j]!.total);
		const mean = rates.reduce((s, r) => s + r, 0) / rates.length;
		const spread = rates.length > 1 ? Math.sqrt(rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (rates.length - 1)) : 0;
		const sort = workdays[i] ? '工作日' : '休息日';
		const baseline: Baseline = { label: `前${days.length}个${sort}`, days: days.map(String), rate: (100 * hits) / n, n, spread };
		const d = detectDrop(t, baseline, rule);
		if (d) flags.push({ index: i, text: `${d.rate.toFixed(1)}%，${baseline.label} ${baseline.rate.toFixed(1)}%，低 ${d.dropPp.toFixed(1)} 个百分点` });
	});
	return flags;
}

/** Days of a count far from the mean of their comparable days. */
export function flagCountDeviations(values: Array<number | null>, workdays: Array<boolean | null>, minMean = 30): Flag[] {
	const flags: Flag[] = [];
	values.forEach((v, i) => {
		if (v === null) return;
		const days = comparable(i, workdays).filter((j) => values[j] !== null);
		if (days.length < 3) return;
		const xs = days.map((j) => values[j]!);
		const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
		if (mean < minMean) return;
		const spread = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
		const sigma = Math.max(spread, Math.sqrt(mean));
		if (Math.abs(v - mean) >= 3 * sigma && Math.abs(v - mean) >= 0.3 * mean)
			flags.push({
				index: i,
				text: `${v > mean ? '高于' : '低于'}前${days.length}个同类日均值 ${Math.round(mean)} 的 ${Math.round((Math.abs(v - mean) / mean) * 100)}%`
			});
	});
	return flags;
}
