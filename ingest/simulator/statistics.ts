/**
 * The simulator's statistics releases, as the bureau publishes them (src/lib/time/statistical-periods.ts):
 * 1–2月 as one figure for industry, retail, investment and fiscal revenue (period `YYYY-02`),
 * fixed-asset investment as its year-to-date growth, GDP by quarter; the nation around the 15th
 * of the next month, each province a few working days later; every release also revises the
 * period before it.
 *
 * Shapes and growth come from the published national series (reference/statistics/national_monthly.csv):
 * - retail sales: each month's share of the year from the 2023 values (1–2月, April, May, July,
 *   November and the year); unpublished months interpolated between their published neighbours,
 *   December the rest of the published year. 2023's national values are the published ones,
 *   2024's are 2023's grown at the published growth of each month (interpolated where none).
 * - industry: 2023's and 2024's monthly growth as published (2024 March from the Q1 cumulative);
 *   later years repeat 2024's month-to-month pattern around the province's pace.
 * - investment, unemployment and CPI: the published 2023–2024 values, interpolated where missing,
 *   later years following 2024's pattern.
 * - fiscal revenue, trade and quarterly GDP have no monthly series in the reference data: their
 *   shapes are stated below as assumptions (tax calendar; Spring Festival dip; quarters growing
 *   through the year), not data.
 * Provinces follow the national shape at their own level and pace (../reference/statistics/provinces.csv).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Random } from '../../src/lib/random.ts';
import { JAN_FEB_COMBINED, nationalReleaseDate, provincialReleaseDate } from '../../src/lib/time/statistical-periods.ts';
import type { ProvinceEconomy } from './sim-regions.ts';

/** Published national figures by `period|indicator` as in the CSV (`2023-01/02`, `2023-04`, `2023`). */
export type NationalRecord = ReadonlyMap<string, number>;

export function loadNationalRecord(referenceDir: string): NationalRecord {
	const text = readFileSync(path.join(referenceDir, 'statistics', 'national_monthly.csv'), 'utf8');
	const record = new Map<string, number>();
	for (const line of text.trim().split('\n').slice(1)) {
		const [month, indicator, value] = line.split(',');
		if (month && indicator && value !== undefined && value !== '') record.set(`${month}|${indicator}`, Number(value));
	}
	return record;
}

/** Fills the gaps of a 12-month series by straight lines between published months (the ends held flat). */
export function interpolate(values: Array<number | undefined>): number[] {
	const known = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== undefined);
	if (known.length === 0) throw new Error('no published value to calibrate on');
	return values.map((v, i) => {
		if (v !== undefined) return v;
		const before = known.filter(([k]) => k < i).at(-1);
		const after = known.find(([k]) => k > i);
		if (!before) return after![1];
		if (!after) return before[1];
		return before[1] + ((after[1] - before[1]) * (i - before[0])) / (after[0] - before[0]);
	});
}

const mm = (m: number) => String(m).padStart(2, '0');

/** The national calibration: month shapes and the published years' values, index 0 = January. */
export interface Calibration {
	/** Retail sales: each month's share of the year; [0] is 0 and [1] holds 1–2月. */
	retailShare: number[];
	/** National retail sales, 亿元, of the published year (2023). */
	retail2023: number;
	/** Retail growth by month in 2024, % (index 1 = 1–2月). */
	retailGrowth2024: number[];
	/** Industrial value added, growth by month, %, 2023 and 2024 (index 1 = 1–2月). */
	industry: Record<2023 | 2024, number[]>;
	fai: Record<2023 | 2024, number[]>;
	unemployment: Record<2023 | 2024, number[]>;
	/** CPI, 同比 %. */
	cpi: Record<2023 | 2024, number[]>;
}

export function calibrate(record: NationalRecord): Calibration {
	const get = (period: string, indicator: string) => record.get(`${period}|${indicator}`);
	const months = (year: number, indicator: string, janFeb?: string) =>
		Array.from({ length: 12 }, (_, i) => {
			if (i === 0) return undefined;
			if (i === 1 && janFeb) return get(`${year}-01/02`, janFeb);
			return get(`${year}-${mm(i + 1)}`, indicator);
		});
	// Retail 2023: 1–2月 and the published months; the rest interpolated per month, December the year's rest.
	const retail2023 = get('2023', 'retail_sales_value_full_year')!;
	const janFeb = get('2023-01/02', 'retail_sales_value_jan_feb_cumulative')!;
	const published = months(2023, 'retail_sales_value').map((v, i) => (i === 1 ? janFeb / 2 : v));
	published[11] = undefined;
	const monthly = interpolate(published.slice(1)).map((v, i) => (i === 0 ? janFeb : v));
	const novToDec = monthly.slice(0, 10).reduce((s, v) => s + v, 0);
	monthly[10] = retail2023 - novToDec;
	const retailShare = [0, ...monthly.map((v) => v / retail2023)];
	// Retail growth 2024: 1–2月, March from the Q1 cumulative, the published months.
	const g24 = months(2024, 'retail_sales_yoy', 'retail_sales_yoy_jan_feb_cumulative');
	const q1 = get('2024-03', 'retail_sales_yoy_q1_cumulative');
	if (q1 !== undefined && g24[1] !== undefined) {
		const [jf, mar] = [retailShare[1]!, retailShare[2]!];
		g24[2] = (((1 + q1 / 100) * (jf + mar) - (1 + g24[1] / 100) * jf) / mar - 1) * 100;
	}
	const growthYear = (year: 2023 | 2024, indicator: string, janFeb: string, q1Cumulative?: string) => {
		const v = months(year, indicator, janFeb);
		const q = q1Cumulative ? get(`${year}-03`, q1Cumulative) : undefined;
		// 1–2月 is two months of three: March = 3 × Q1 − 2 × (1–2月).
		if (v[2] === undefined && q !== undefined && v[1] !== undefined) v[2] = 3 * q - 2 * v[1];
		return [Number.NaN, ...interpolate(v.slice(1))];
	};
	const levelMonths = (year: 2023 | 2024, indicator: string, janFeb: string, average?: string) => {
		const v = months(year, indicator, janFeb);
		if (v[2] === undefined && average) {
			const q = get(`${year}-03`, average);
			if (q !== undefined && v[1] !== undefined) v[2] = 3 * q - 2 * v[1];
		}
		const filled = interpolate(v.slice(1));
		return [filled[0]!, ...filled];
	};
	const cpiYear = (year: 2023 | 2024) => {
		const v = Array.from({ length: 12 }, (_, i) => get(`${year}-${mm(i + 1)}`, 'cpi_yoy'));
		return interpolate(v);
	};
	return {
		retailShare,
		retail2023,
		retailGrowth2024: [Number.NaN, ...interpolate(g24.slice(1))],
		industry: {
			2023: growthYear(2023, 'industrial_value_added_yoy', 'industrial_value_added_yoy_jan_feb_cumulative'),
			2024: growthYear(2024, 'industrial_value_added_yoy', 'industrial_value_added_yoy_jan_feb_cumulative', 'industrial_value_added_yoy_q1_cumulative')
		},
		fai: {
			2023: [Number.NaN, ...interpolate(months(2023, 'fixed_asset_investment_ytd_yoy', 'fixed_asset_investment_ytd_yoy').slice(1))],
			2024: [Number.NaN, ...interpolate(months(2024, 'fixed_asset_investment_ytd_yoy', 'fixed_asset_investment_ytd_yoy').slice(1))]
		},
		unemployment: {
			2023: levelMonths(2023, 'urban_surveyed_unemployment', 'urban_surveyed_unemployment_jan_feb_average', 'urban_surveyed_unemployment_q1_average'),
			2024: levelMonths(2024, 'urban_surveyed_unemployment', 'urban_surveyed_unemployment_jan_feb_average', 'urban_surveyed_unemployment_q1_average')
		},
		cpi: { 2023: cpiYear(2023), 2024: cpiYear(2024) }
	};
}

/**
 * Assumed shapes where the reference data has no monthly series (shares of the year, index 0 = January).
 * Fiscal revenue: heavy in 1–2月 and in the months of quarterly enterprise-income-tax payments
 * (April, July, October), light in the summer and at year end. Trade: the Spring Festival dip in
 * February, rising to the end of the year.
 */
const FISCAL_SHARE = [0, 0.215, 0.072, 0.098, 0.085, 0.078, 0.095, 0.066, 0.07, 0.093, 0.063, 0.065];
const TRADE_SHARE = [0.083, 0.066, 0.08, 0.083, 0.082, 0.083, 0.087, 0.087, 0.087, 0.083, 0.087, 0.092];
/** Quarterly GDP through the year: each quarter's share of the year. */
const GDP_QUARTER_SHARE = [0.232, 0.246, 0.25, 0.272];

function hash(text: string): number {
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
	return h >>> 0;
}

export interface Release {
	indicator: string;
	adcode: number;
	period: string;
	value: number;
	unit: string;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/** Values of every series for every economy and period, deterministic under the seed. */
export class StatisticsModel {
	private readonly nation: ProvinceEconomy | undefined;
	constructor(
		private readonly seed: number,
		private readonly economies: readonly ProvinceEconomy[],
		private readonly cal: Calibration
	) {
		this.nation = economies.find((e) => e.adcode === 0);
	}

	private noise(e: ProvinceEconomy, key: string): Random {
		return new Random(hash(`${this.seed}:${e.adcode}:${key}`));
	}

	/** The national pace in a year: published for 2023–2024, later the economies' weighted growth. */
	private nationalGrowth(): number {
		return this.nation?.growth ?? 5;
	}

	/** A province's offset from the national pace, points. */
	private offset(e: ProvinceEconomy): number {
		return e.adcode === 0 ? 0 : e.growth - this.nationalGrowth();
	}

	/** Retail sales of month m (1–12; 2 = 1–2月) of year y, 亿元. */
	retail(e: ProvinceEconomy, y: number, m: number): number {
		if (m === 1) throw new RangeError('retail sales have no January figure');
		// A province's share of the nation; with the nation not simulated (--simulate-scope), of the published national year.
		const scale = e.adcode === 0 ? 1 : e.retail / (this.nation?.retail ?? this.cal.retail2023);
		const nationalLevel = (year: number): number => {
			if (year <= 2023) return this.cal.retailShare[m - 1]! * this.cal.retail2023 * (year < 2023 ? 0.95 ** (2023 - year) : 1);
			const g = year === 2024 ? this.cal.retailGrowth2024[m - 1]! : 4 + this.noise(this.nation ?? e, `retail:${year}:${m}`).normal() * 0.8;
			return nationalLevel(year - 1) * (1 + g / 100);
		};
		// A province: the national month at its share, grown at its own pace since 2023.
		// (Consumption differs less between provinces than output: half the GDP pace's offset.)
		const own = e.adcode === 0 ? 1 : (1 + this.offset(e) / 200) ** (y - 2023) * (1 + this.noise(e, `retail:${y}:${m}`).normal() * 0.005);
		return nationalLevel(y) * scale * own;
	}

	/** A monthly level with an assumed shape (fiscal revenue, trade), 亿元. */
	private shaped(e: ProvinceEconomy, annual2023: number, share: number[], key: string, y: number, m: number): number {
		const annual = annual2023 * (1 + (e.growth + 1) / 100) ** (y - 2023);
		return annual * share[m - 1]! * (1 + this.noise(e, `${key}:${y}:${m}`).normal() * 0.03);
	}

	/** A monthly growth series: 2023–2024 as published, later years 2024's pattern around the year's pace. */
	private growthSeries(e: ProvinceEconomy, series: Record<2023 | 2024, number[]>, key: string, y: number, m: number, drift: number): number {
		const r = this.noise(e, `${key}:${y}:${m}`);
		const base =
			y <= 2023
				? series[2023][m - 1]!
				: y === 2024
					? series[2024][m - 1]!
					: series[2024][m - 1]! + drift * (y - 2024) + this.noise(this.nation ?? e, `${key}:${y}:${m}`).normal() * 0.3;
		return base + this.offset(e) + (e.adcode === 0 ? 0 : r.normal() * 0.4);
	}

	/** Every series' value for one period (`YYYY-MM` or `YYYY-Qn`) of one economy; none for January of the 1–2月 series. */
	values(e: ProvinceEconomy, period: string): Release[] {
		const y = Number(period.slice(0, 4));
		const out: Release[] = [];
		const push = (indicator: string, value: number, unit: string, d: number) => out.push({ indicator, adcode: e.adcode, period, value: round(value, d), unit });
		const q = /-Q([1-4])$/.exec(period);
		if (q) {
			const quarter = Number(q[1]);
			const annual = e.gdp * (1 + (e.growth + 1) / 100) ** (y - e.gdpYear);
			push('gdp', annual * GDP_QUARTER_SHARE[quarter - 1]! * (1 + this.noise(e, `gdp:${y}:${quarter}`).normal() * 0.004), '亿元', 2);
			return out;
		}
		const m = Number(period.slice(5));
		if (m !== 1) {
			push('industrialValueAdded', this.growthSeries(e, this.cal.industry, 'industry', y, m, -0.2), '%', 1);
			push('fixedAssetInvestment', this.growthSeries(e, this.cal.fai, 'fai', y, m, -0.3), '%', 1);
			push('retailSales', this.retail(e, y, m), '亿元', 2);
			push('fiscalRevenue', this.shaped(e, e.fiscal, FISCAL_SHARE, 'fiscal', y, m), '亿元', 2);
		}
		push('tradeTotal', this.shaped(e, e.trade, TRADE_SHARE, 'trade', y, m), '亿元', 2);
		const pick = (series: Record<2023 | 2024, number[]>) => series[y <= 2023 ? 2023 : 2024][m - 1]!;
		const r = this.noise(e, `labour:${y}:${m}`);
		push('unemploymentRate', pick(this.cal.unemployment) + (y > 2024 ? -0.05 * (y - 2024) : 0) + (e.adcode === 0 ? 0 : r.normal() * 0.25), '%', 1);
		push('cpi', 100 + pick(this.cal.cpi) + (y > 2024 ? 0.3 * r.normal() : 0) + (e.adcode === 0 ? 0 : r.normal() * 0.3), '上年=100', 1);
		return out.filter((v) => !(m === 1 && JAN_FEB_COMBINED.has(v.indicator)));
	}

	/** A revision of a first release: levels by up to ±0.4 %, rates by a tenth of a point now and then. */
	revise(v: Release): Release {
		const r = new Random(hash(`${this.seed}:revise:${v.adcode}:${v.indicator}:${v.period}`));
		const value =
			v.unit === '亿元' ? round(v.value * (1 + (r.next() - 0.5) * 0.008), 2) : round(v.value + (r.chance(0.3) ? (r.chance(0.5) ? 0.1 : -0.1) : 0), 1);
		return { ...v, value };
	}

	/**
	 * What is released on Beijing date `date`: for each economy, each period whose release
	 * falls on it (the month before, and its quarter), with the period before that revised.
	 */
	releasesOn(date: string): Release[] {
		const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
		const out: Release[] = [];
		// A period's release falls in the month after it (1–2月: in March), so candidates are the last two months.
		for (const back of [1, 2]) {
			const total = y * 12 + (m - 1) - back;
			const [py, pm] = [Math.floor(total / 12), (total % 12) + 1];
			const period = `${py}-${mm(pm)}`;
			const prevTotal = total - 1; // March revises 1–2月 (period YYYY-02); February has no January to revise for those series
			const prev = `${Math.floor(prevTotal / 12)}-${mm((prevTotal % 12) + 1)}`;
			for (const e of this.economies) {
				for (const v of this.values(e, period)) {
					if (provincialReleaseDate(period, e.adcode, v.indicator) !== date) continue;
					out.push(v);
					const before = this.values(e, prev).find((p) => p.indicator === v.indicator);
					if (before) out.push(this.revise(before));
				}
				if (pm % 3 === 0) {
					const quarter = `${py}-Q${pm / 3}`;
					if (provincialReleaseDate(quarter, e.adcode, 'gdp') === date) out.push(...this.values(e, quarter));
				}
			}
		}
		return out;
	}
}

/** The national release day of a period, for tests and the README's table. */
export { nationalReleaseDate };
