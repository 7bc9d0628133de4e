/**
 * Anomalies a duty officer would believe. A region's rate now is compared with a
 * seasonal baseline — the same hours of the most recent comparable days (the same
 * type of day on the official calendar, or the same weekday) — never with a whole
 * week that mixes nights and days, weekends and working days. A drop is reported
 * only when both sides rest on enough completions, when it is large in percentage
 * points and large against how much the baseline days differ among themselves and
 * how noisy today's sample is; the text says what the baseline was.
 *
 * Used by the cockpit ticker and (later) the analysts' screen. Pure: the caller
 * fetches one tally per window that `planBaseline` returns.
 */
import { beijingDate, isWorkingDay } from '../time/working-days.ts';
import { DAY_MS, HOUR_MS, startOfBeijingDay } from '../time/beijing-time.ts';
import { formatCount } from '../format/number.ts';

/** Successes out of a total (on-time completions out of completions). */
export interface Tally {
	hits: number;
	total: number;
}

/** [from, to) in epoch ms. */
export interface Window {
	from: number;
	to: number;
}

/** Which days are comparable with today. */
export type BaselineKind = 'sameDayType' | 'sameWeekday';

export interface BaselinePlan {
	kind: BaselineKind;
	/** Today's completed hours: Beijing midnight to the start of the current hour. */
	current: Window;
	/** Beijing hours of day covered, [from, to). */
	hours: [number, number];
	/** The comparable days (Beijing dates), most recent first, and their same hours. */
	days: string[];
	windows: Window[];
	/** '今日0–5时' */
	currentLabel: string;
	/** '近4个休息日同时段' */
	baselineLabel: string;
}

export interface PlanOptions {
	kind?: BaselineKind;
	/** How many comparable days (default 4). */
	days?: number;
	/** How far back to look for them (default 35 days). */
	lookbackDays?: number;
}

const WEEKDAY_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * The windows to tally for `now`: today from midnight to the start of the current
 * hour, and the same hours of the most recent comparable days. Null in the first
 * hour of the day (no completed hour yet) or when no comparable day is in reach.
 */
export function planBaseline(now: number, options: PlanOptions = {}): BaselinePlan | null {
	const kind = options.kind ?? 'sameDayType';
	const wanted = options.days ?? 4;
	const lookback = options.lookbackDays ?? 35;
	const midnight = startOfBeijingDay(now);
	const hour = Math.floor((now - midnight) / HOUR_MS);
	if (hour < 1) return null;
	const today = beijingDate(now);
	const working = isWorkingDay(today);
	const comparable = (date: string) => (kind === 'sameWeekday' ? weekday(date) === weekday(today) : isWorkingDay(date) === working);
	const days: string[] = [];
	const windows: Window[] = [];
	for (let back = 1; back <= lookback && days.length < wanted; back++) {
		const start = midnight - back * DAY_MS;
		const date = beijingDate(start);
		if (!comparable(date)) continue;
		days.push(date);
		windows.push({ from: start, to: start + hour * HOUR_MS });
	}
	if (days.length === 0) return null;
	const sort = kind === 'sameWeekday' ? WEEKDAY_ZH[weekday(today)]! : working ? '工作日' : '休息日';
	return {
		kind,
		current: { from: midnight, to: midnight + hour * HOUR_MS },
		hours: [0, hour],
		days,
		windows,
		currentLabel: `今日0–${hour}时`,
		baselineLabel: `近${days.length}个${sort}同时段`
	};
}

export interface Baseline {
	label: string;
	/** The comparable days that had completions. */
	days: string[];
	/** Pooled rate over those days, %. */
	rate: number;
	/** Completions in the baseline. */
	n: number;
	/** Standard deviation of the days' rates, percentage points. */
	spread: number;
}

/** The baseline from one tally per planned window (same order). Days without completions are left out. */
export function baselineOf(plan: BaselinePlan, perDay: Tally[]): Baseline | null {
	// Stryker disable next-line ObjectLiteral: a missing tally as {} is left out all the same (undefined > 0 is false); the line's other literal, { day, t }, is killed by every baseline test
	const used = plan.days.map((day, i) => ({ day, t: perDay[i] ?? { hits: 0, total: 0 } })).filter((d) => d.t.total > 0);
	if (used.length === 0) return null;
	const hits = used.reduce((s, d) => s + d.t.hits, 0);
	const n = used.reduce((s, d) => s + d.t.total, 0);
	const rates = used.map((d) => (100 * d.t.hits) / d.t.total);
	const mean = rates.reduce((s, r) => s + r, 0) / rates.length;
	const spread = rates.length > 1 ? Math.sqrt(rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (rates.length - 1)) : 0;
	return { label: plan.baselineLabel, days: used.map((d) => d.day), rate: (100 * hits) / n, n, spread };
}

export interface DropRule {
	/** Completions today, at least. */
	minCurrent: number;
	/** Completions over the baseline days, at least. */
	minBaseline: number;
	/** Baseline days with completions, at least. */
	minDays: number;
	/** Drop in percentage points, at least. */
	minDropPp: number;
	/** Drop in units of the expected variability (day-to-day spread and today's sampling noise), at least. */
	minSigmas: number;
	/** The spread never counts as less than this (pp): a baseline of identical days is not infinitely sure. */
	spreadFloorPp: number;
}

export const DEFAULT_DROP_RULE: DropRule = { minCurrent: 30, minBaseline: 120, minDays: 3, minDropPp: 5, minSigmas: 3, spreadFloorPp: 1 };

export interface Drop {
	rate: number;
	n: number;
	baseline: Baseline;
	/** Baseline rate minus today's, percentage points. */
	dropPp: number;
	/** The drop in units of the expected variability. */
	sigmas: number;
	severity: 'medium' | 'high';
}

/** A drop of today's rate below the baseline that passes every test of the rule, or null. */
export function detectDrop(current: Tally, baseline: Baseline | null, rule: DropRule = DEFAULT_DROP_RULE): Drop | null {
	if (baseline === null || current.total < rule.minCurrent || baseline.n < rule.minBaseline || baseline.days.length < rule.minDays) return null;
	const rate = (100 * current.hits) / current.total;
	const dropPp = baseline.rate - rate;
	// Today's rate varies with its day (spread) and with its sample: binomial noise at the baseline rate.
	const p = baseline.rate / 100;
	const noise = (100 * Math.sqrt(p * (1 - p))) / Math.sqrt(current.total);
	const sigma = Math.sqrt(Math.max(baseline.spread, rule.spreadFloorPp) ** 2 + noise ** 2);
	const sigmas = dropPp / sigma;
	if (dropPp < rule.minDropPp || sigmas < rule.minSigmas) return null;
	const severity = dropPp >= 2 * rule.minDropPp && sigmas >= 2 * rule.minSigmas ? 'high' : 'medium';
	return { rate, n: current.total, baseline, dropPp, sigmas, severity };
}

/** '按时办结率 今日0–4时 71.2%（n=86），近4个休息日同时段 98.9%（n=1,240），低 27.7 个百分点' */
export function dropText(indicatorZh: string, plan: Pick<BaselinePlan, 'currentLabel'>, d: Drop): string {
	return `${indicatorZh} ${plan.currentLabel} ${d.rate.toFixed(1)}%（n=${formatCount(d.n)}），${d.baseline.label} ${d.baseline.rate.toFixed(1)}%（n=${formatCount(d.baseline.n)}），低 ${d.dropPp.toFixed(1)} 个百分点`;
}
