/**
 * The economic series of the catalogue: what each release measures, how its
 * annual target is read, and the red/amber/green rule against target and time
 * elapsed. Pure: the browser shows the rules the server computes with.
 *
 * Rules (documented in the README):
 * - level series (社会消费品零售总额, 一般公共预算收入, 进出口总额, 亿元 a month): 累计 = the sum of
 *   the year's months; 目标完成率 = 累计 ÷ annual target; 时序进度 = months reported ÷ 12.
 *   Green when 完成率 ≥ 时序进度, amber within 5 points below, red further below.
 * - growth series (GDP growth from quarterly levels; 规上工业增加值增速 and 固定资产投资增速 as
 *   released): green when the year's growth ≥ the target, amber within 0.5 points, red below.
 * - ceiling series (城镇调查失业率, CPI): green at or under the ceiling, amber up to 0.3 (rate)
 *   or 0.5 (CPI) above, red further above.
 * - the bureau's periods (../time/statistical-periods.ts): industry, retail, investment and fiscal
 *   revenue have one figure for 1–2月 (period YYYY-02) and none for January; levels are shown
 *   cumulatively (1–10月累计, with 累计增速), GDP by cumulative quarters (前三季度).
 */

import { JAN_FEB_COMBINED, monthLabel, publishedMonths, quarterLabel } from '../time/statistical-periods.ts';

export type Status = 'green' | 'amber' | 'red';

export interface EconomicDef {
	code: string;
	nameZh: string;
	nameEn: string;
	unit: string;
	frequency: 'month' | 'quarter';
	/** level: an amount per period; growth: a % change as released; rate / index: a level that is read as it is. */
	measure: 'level' | 'growth' | 'rate' | 'index';
	/** How the annual target is expressed and judged. */
	target: 'level' | 'growth' | 'ceiling';
	polarity: 'positive' | 'negative';
	definition: string;
}

export const ECONOMY: readonly EconomicDef[] = [
	{
		code: 'gdp',
		nameZh: '地区生产总值',
		nameEn: 'GDP',
		unit: '亿元',
		frequency: 'quarter',
		measure: 'level',
		target: 'growth',
		polarity: 'positive',
		definition: '季度地区生产总值；累计增速按当年各季之和与上年同期比较（名义）'
	},
	{
		code: 'industrialValueAdded',
		nameZh: '规上工业增加值增速',
		nameEn: 'Industrial value added, growth',
		unit: '%',
		frequency: 'month',
		measure: 'growth',
		target: 'growth',
		polarity: 'positive',
		definition: '规模以上工业增加值同比增速；年内增速取各月平均'
	},
	{
		code: 'fixedAssetInvestment',
		nameZh: '固定资产投资增速',
		nameEn: 'Fixed-asset investment, YTD growth',
		unit: '%',
		frequency: 'month',
		measure: 'growth',
		target: 'growth',
		polarity: 'positive',
		definition: '固定资产投资（不含农户）累计同比增速；年内增速取最新一期'
	},
	{
		code: 'retailSales',
		nameZh: '社会消费品零售总额',
		nameEn: 'Retail sales',
		unit: '亿元',
		frequency: 'month',
		measure: 'level',
		target: 'level',
		polarity: 'positive',
		definition: '当月社会消费品零售总额；累计为当年各月之和'
	},
	{
		code: 'fiscalRevenue',
		nameZh: '一般公共预算收入',
		nameEn: 'General public budget revenue',
		unit: '亿元',
		frequency: 'month',
		measure: 'level',
		target: 'level',
		polarity: 'positive',
		definition: '当月一般公共预算收入；累计为当年各月之和'
	},
	{
		code: 'tradeTotal',
		nameZh: '进出口总额',
		nameEn: 'Imports and exports',
		unit: '亿元',
		frequency: 'month',
		measure: 'level',
		target: 'level',
		polarity: 'positive',
		definition: '当月货物进出口总额；累计为当年各月之和'
	},
	{
		code: 'unemploymentRate',
		nameZh: '城镇调查失业率',
		nameEn: 'Surveyed urban unemployment',
		unit: '%',
		frequency: 'month',
		measure: 'rate',
		target: 'ceiling',
		polarity: 'negative',
		definition: '城镇调查失业率（当月）；目标为上限'
	},
	{
		code: 'cpi',
		nameZh: '居民消费价格指数',
		nameEn: 'Consumer prices',
		unit: '上年=100',
		frequency: 'month',
		measure: 'index',
		target: 'ceiling',
		polarity: 'negative',
		definition: '居民消费价格指数（上年同月=100）；目标为上限'
	}
];

export interface Release {
	period: string;
	value: number;
}

export interface EconomicFigure {
	code: string;
	/** The latest period of the year with a value. */
	period: string | null;
	value: number | null;
	/** 同比: % change for levels, points of change for growth, rate and index series. */
	yoy: number | null;
	/** 环比: the same against the previous period. */
	mom: number | null;
	/** The bureau's label of `period` as shown: '1–10月' (累计 for levels, investment), '10月', '1–2月', '前三季度'. */
	periodLabel: string | null;
	/** 累计: the year's sum for levels; the year's growth for growth series. */
	ytd: number | null;
	/** 累计增速: the year's sum against last year's same months, % (level series). */
	ytdYoy: number | null;
	target: number | null;
	/** 目标完成率 (level targets), %. */
	targetProgress: number | null;
	/** 时序进度: share of the year's periods reported, %. */
	timeElapsed: number | null;
	status: Status | null;
	/**
	 * This year's and last year's points, for the trend with last year's line: one per published
	 * period (1–2月 one point; no 1月 for the combined series), running totals for levels
	 * (1–2月, 1–3月 … ; 一季度, 上半年, 前三季度, 全年), as released for the others.
	 */
	trend: { labels: string[]; thisYear: Array<number | null>; lastYear: Array<number | null> };
}

const pct = (a: number, b: number) => (b === 0 ? null : (a / b - 1) * 100);

/** The period numbers of a year the series has figures for: quarters 1–4, months 1–12, or 2–12 (2 = 1–2月). */
function slotsOf(def: EconomicDef): number[] {
	return def.frequency === 'quarter' ? [1, 2, 3, 4] : publishedMonths(JAN_FEB_COMBINED.has(def.code));
}

const periodOf = (def: EconomicDef, year: number, n: number) => (def.frequency === 'quarter' ? `${year}-Q${n}` : `${year}-${String(n).padStart(2, '0')}`);

/** The label of slot `n` as the bureau writes it: cumulative for levels and year-to-date series. */
function labelOf(def: EconomicDef, n: number): string {
	const cumulative = def.measure === 'level' || def.code === 'fixedAssetInvestment';
	return def.frequency === 'quarter' ? quarterLabel(n, cumulative) : monthLabel(n, { cumulative, combined: JAN_FEB_COMBINED.has(def.code) });
}

/** Running totals while every point is known (a gap ends the line: a total over a missing month would be false). */
function running(values: Array<number | null>): Array<number | null> {
	let sum: number | null = 0;
	return values.map((v) => (sum = sum === null || v === null ? null : sum + v));
}

/** Figures for one indicator and year, from its releases (latest release per period) and target. */
export function economicFigure(def: EconomicDef, year: number, releases: Release[], target: number | null): EconomicFigure {
	const byPeriod = new Map(releases.map((r) => [r.period, r.value]));
	const slots = slotsOf(def);
	const combined = JAN_FEB_COMBINED.has(def.code);
	const thisYear = slots.map((n) => byPeriod.get(periodOf(def, year, n)) ?? null);
	const lastYear = slots.map((n) => byPeriod.get(periodOf(def, year - 1, n)) ?? null);
	const lastIndex = thisYear.reduce<number>((acc, v, i) => (v !== null ? i : acc), -1);
	const level = def.measure === 'level';
	const figure: EconomicFigure = {
		code: def.code,
		period: null,
		periodLabel: null,
		value: null,
		yoy: null,
		mom: null,
		ytd: null,
		ytdYoy: null,
		target,
		targetProgress: null,
		timeElapsed: null,
		status: null,
		trend: { labels: slots.map((n) => labelOf(def, n)), thisYear: level ? running(thisYear) : thisYear, lastYear: level ? running(lastYear) : lastYear }
	};
	if (lastIndex < 0) return figure;
	const value = thisYear[lastIndex]!;
	// The period before: within the year, or last year's last.
	const previous = lastIndex > 0 ? thisYear[lastIndex - 1] : lastYear.at(-1);
	const sameLastYear = lastYear[lastIndex];
	const n = slots[lastIndex]!;
	figure.period = periodOf(def, year, n);
	figure.periodLabel = labelOf(def, n);
	figure.value = value;
	const reported = thisYear.slice(0, lastIndex + 1);
	figure.timeElapsed = (n / (def.frequency === 'quarter' ? 4 : 12)) * 100;
	if (level) {
		figure.yoy = sameLastYear !== null && sameLastYear !== undefined ? pct(value, sameLastYear) : null;
		// 1–2月 is two months' total: neither it nor March has a comparable period before it.
		const comparable = !(combined && lastIndex <= 1);
		figure.mom = comparable && previous !== null && previous !== undefined ? pct(value, previous) : null;
		figure.ytd = reported.reduce<number>((s, v) => s + (v ?? 0), 0);
		const lastYtd = lastYear.slice(0, lastIndex + 1);
		const ytdGrowth = lastYtd.every((v) => v !== null)
			? pct(
					figure.ytd,
					lastYtd.reduce<number>((s, v) => s + v!, 0)
				)
			: null;
		figure.ytdYoy = ytdGrowth;
		if (def.target === 'level' && target) {
			figure.targetProgress = (figure.ytd / target) * 100;
			const gap = oneDecimal(figure.targetProgress - figure.timeElapsed);
			figure.status = gap >= 0 ? 'green' : gap >= -5 ? 'amber' : 'red';
		} else if (def.target === 'growth') {
			// GDP is reported as the year-to-date growth (前三季度同比增长 …), judged against the growth target.
			figure.yoy = ytdGrowth;
			if (target !== null && ytdGrowth !== null) figure.status = growthStatus(ytdGrowth, target);
		}
	} else {
		figure.yoy = sameLastYear !== null && sameLastYear !== undefined ? value - sameLastYear : null;
		figure.mom = previous !== null && previous !== undefined ? value - previous : null;
		if (def.measure === 'growth') {
			// A YTD series' latest value is the year's growth; a monthly series is averaged over the year's months (1–2月 counts two).
			const weights = slots.slice(0, lastIndex + 1).map((s) => (combined && s === 2 ? 2 : 1));
			const known: Array<[number, number]> = [];
			reported.forEach((v, i) => {
				if (v !== null) known.push([v, weights[i]!]);
			});
			figure.ytd = def.code === 'fixedAssetInvestment' ? value : known.reduce((s, [v, w]) => s + v * w, 0) / known.reduce((s, [, w]) => s + w, 0);
			if (target !== null) figure.status = growthStatus(figure.ytd, target);
		} else if (def.target === 'ceiling' && target !== null) {
			const over = oneDecimal(value - target);
			const tolerance = def.measure === 'index' ? 0.5 : 0.3;
			figure.status = over <= 0 ? 'green' : over <= tolerance ? 'amber' : 'red';
		}
	}
	return figure;
}

/** Growth is judged at the one decimal statistics are published with (4.4999… is 4.5). */
const oneDecimal = (v: number) => Math.round(v * 10) / 10;

function growthStatus(growth: number, target: number): Status {
	const g = oneDecimal(growth);
	return g >= target ? 'green' : g >= oneDecimal(target - 0.5) ? 'amber' : 'red';
}
