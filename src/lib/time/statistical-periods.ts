/**
 * The statistics bureau's periods and calendar. Pure; browser, server and simulator alike.
 *
 * - 1–2月: industry (规上工业增加值), retail (社会消费品零售总额), fixed-asset investment and
 *   fiscal revenue (一般公共预算收入) are published for January and February together, once,
 *   in mid-March; there is no January figure. In Tianshu's data the period `YYYY-02` of these
 *   series stands for 1–2月 (a level is the two months' total, a growth rate the two months').
 * - Cumulative figures are labelled from January: 1–10月; quarters cumulatively 一季度, 上半年,
 *   前三季度, 全年.
 * - Calendar: the nation's figures of a month around the 15th of the next month (CPI around
 *   the 10th; December, Q4 and the year around the 17th of January), moved to the next working
 *   day of the official calendar; each province a few working days after the nation.
 */
import { addWorkingDays, isWorkingDay } from './working-days.ts';

/** Series the bureau publishes for 1–2月 as one figure. */
export const JAN_FEB_COMBINED: ReadonlySet<string> = new Set(['industrialValueAdded', 'retailSales', 'fixedAssetInvestment', 'fiscalRevenue']);

const QUARTER_CUMULATIVE = ['一季度', '上半年', '前三季度', '全年'] as const;
const QUARTER_SINGLE = ['一季度', '二季度', '三季度', '四季度'] as const;

/** The month numbers a series has figures for in a year: 2–12 when 1–2月 is one figure (2 standing for it), else 1–12. */
export function publishedMonths(combined: boolean): number[] {
	return Array.from({ length: 12 }, (_, i) => i + 1).filter((m) => !(combined && m === 1));
}

/**
 * The bureau's label of month `month`'s figure: cumulative → '1月', '1–2月', '1–10月';
 * the month alone → '10月', except the combined 1–2月 ('1–2月'; a combined series has no 1月).
 */
export function monthLabel(month: number, opts: { cumulative: boolean; combined: boolean }): string {
	if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`not a month: ${month}`);
	if (opts.combined && month === 1) throw new RangeError('1–2月 is published as one figure: there is no 1月');
	if (month === 1) return '1月';
	if (opts.cumulative || (opts.combined && month === 2)) return `1–${month}月`;
	return `${month}月`;
}

/** '一季度' … '四季度' for a quarter alone; cumulatively '一季度', '上半年', '前三季度', '全年'. */
export function quarterLabel(quarter: number, cumulative: boolean): string {
	if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw new RangeError(`not a quarter: ${quarter}`);
	return (cumulative ? QUARTER_CUMULATIVE : QUARTER_SINGLE)[quarter - 1]!;
}

/** The label of a period `YYYY-MM`, `YYYY-Qn` or `YYYY` (without the year), as the bureau writes it. */
export function periodLabel(period: string, opts: { cumulative: boolean; combined: boolean }): string {
	const q = /^\d{4}-Q([1-4])$/.exec(period);
	if (q) return quarterLabel(Number(q[1]), opts.cumulative);
	const m = /^\d{4}-(\d{2})$/.exec(period);
	if (m) return monthLabel(Number(m[1]), opts);
	if (/^\d{4}$/.test(period)) return '全年';
	throw new RangeError(`not a period: ${period}`);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The first working day on or after `date`. */
function onWorkingDay(date: string): string {
	return isWorkingDay(date) ? date : addWorkingDays(date, 1);
}

/**
 * The day (Beijing date) the nation's figure of `period` is released: the month after the
 * period ends, on the 15th (CPI: the 10th; a year's last month, Q4 and the year: the 17th of
 * January), or the next working day.
 */
// Stryker disable next-line StringLiteral: the default only has to differ from 'cpi' — any other string gives the same dates
export function nationalReleaseDate(period: string, indicator = ''): string {
	let year: number;
	let lastMonth: number;
	const q = /^(\d{4})-Q([1-4])$/.exec(period);
	const m = /^(\d{4})-(\d{2})$/.exec(period);
	if (q) [year, lastMonth] = [Number(q[1]), Number(q[2]) * 3];
	else if (m) [year, lastMonth] = [Number(m[1]), Number(m[2])];
	else if (/^\d{4}$/.test(period)) [year, lastMonth] = [Number(period), 12];
	else throw new RangeError(`not a period: ${period}`);
	// '2025-13' or '2025-00' would otherwise give a date that does not exist ('2026-14-15') or the wrong month.
	if (lastMonth < 1 || lastMonth > 12) throw new RangeError(`not a period: ${period}`);
	const [ry, rm] = lastMonth === 12 ? [year + 1, 1] : [year, lastMonth + 1];
	const day = indicator === 'cpi' ? 10 : lastMonth === 12 ? 17 : 15;
	return onWorkingDay(`${ry}-${pad(rm)}-${pad(day)}`);
}

/** A province's release: 2–5 working days after the nation's (fixed per province), as provincial bureaus follow. */
// Stryker disable next-line StringLiteral: the default only has to differ from 'cpi' — any other string gives the same dates
export function provincialReleaseDate(period: string, adcode: number, indicator = ''): string {
	const national = nationalReleaseDate(period, indicator);
	if (adcode === 0) return national;
	return addWorkingDays(national, 2 + (Math.floor(adcode / 10000) % 4));
}
