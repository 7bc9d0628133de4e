/**
 * Where the simulated demand comes from: the leaf regions of a scope (counties,
 * and cities without districts) weighted by their province's population (7th
 * census) and a stable per-region factor; and each province's economy,
 * calibrated on the published figures in ingest/reference/statistics.
 */
import path from 'node:path';
import { readCsv, regionRows, type RegionRow } from '../reference/reference-data.ts';
import { Random } from '../../src/lib/random.ts';
import { within } from '../../src/lib/regions/index.ts';

export interface SimRegion {
	adcode: number;
	name: string;
	province_code: number;
	city_code: number;
	weight: number;
}

export interface ProvinceEconomy {
	adcode: number;
	/** Annual, 亿元 */
	gdp: number;
	/** Real growth, % */
	growth: number;
	retail: number;
	fiscal: number;
	trade: number;
	/** The years the GDP and the other levels above were published for. */
	gdpYear: number;
	levelsYear: number;
}

function stableFactor(adcode: number, seed: number): number {
	// Same region, same factor, whatever else the seed drives.
	return new Random(adcode * 7919 + seed).logNormal(1, 0.6);
}

function num(v: string | undefined): number | undefined {
	return v === undefined || v === '' ? undefined : Number(v);
}

export function loadScope(referenceDir: string, scope: number, seed: number): { regions: SimRegion[]; economies: ProvinceEconomy[] } {
	const rows = regionRows(path.join(referenceDir, 'regions'));
	const stats = readCsv(path.join(referenceDir, 'statistics', 'provinces.csv'));
	const population = new Map(stats.map((s) => [Number(s.adcode), Number(s.population_2020_wan)]));
	const byCode = new Map(rows.map((r) => [r.adcode, r]));
	const inScope = (r: RegionRow) => within(r.adcode, scope);
	const hasChildren = new Set(rows.filter((r) => r.level === 'county').map((r) => r.parent_code));
	const leaves = rows.filter(
		(r) => population.has(r.province_code) && inScope(r) && (r.level === 'county' || (r.level === 'city' && !hasChildren.has(r.adcode)))
	);
	if (leaves.length === 0) throw new Error(`no regions with population data in scope ${scope}`);

	// Population of each province spread over its cities, then counties, by stable factors.
	const cityFactor = new Map<number, number>();
	const countyFactorSum = new Map<number, number>();
	const cityFactorSum = new Map<number, number>();
	for (const leaf of leaves) {
		const city = leaf.level === 'city' ? leaf.adcode : leaf.city_code;
		if (!cityFactor.has(city)) {
			const f = stableFactor(city, seed);
			cityFactor.set(city, f);
			cityFactorSum.set(leaf.province_code, (cityFactorSum.get(leaf.province_code) ?? 0) + f);
		}
		countyFactorSum.set(city, (countyFactorSum.get(city) ?? 0) + stableFactor(leaf.adcode, seed));
	}
	const regions = leaves.map((leaf) => {
		const city = leaf.level === 'city' ? leaf.adcode : leaf.city_code;
		const cityShare = cityFactor.get(city)! / cityFactorSum.get(leaf.province_code)!;
		const countyShare = stableFactor(leaf.adcode, seed) / countyFactorSum.get(city)!;
		const cityRow = byCode.get(city);
		const cityName = cityRow && !/^(市辖区|县)$|直辖/.test(cityRow.name) ? cityRow.name : (byCode.get(leaf.province_code)?.name ?? '');
		return {
			adcode: leaf.adcode,
			name: leaf.level === 'city' ? leaf.name : `${cityName}${leaf.name}`,
			province_code: leaf.province_code,
			city_code: leaf.level === 'city' ? leaf.adcode : leaf.city_code,
			weight: population.get(leaf.province_code)! * cityShare * countyShare
		};
	});

	const provinces = new Set(regions.map((r) => r.province_code));
	const economies = stats
		.filter((s) => provinces.has(Number(s.adcode)))
		.map((s) => {
			const gdpYear = num(s.gdp_2024) !== undefined ? 2024 : num(s.gdp_2023) !== undefined ? 2023 : 2022;
			const gdp = num(s.gdp_2024) ?? num(s.gdp_2023) ?? num(s.gdp_2022) ?? Number(s.population_2020_wan) * 8;
			return {
				adcode: Number(s.adcode),
				gdp,
				gdpYear,
				levelsYear: 2023,
				growth: num(s.growth_2024) ?? num(s.growth_2023) ?? 5,
				retail: num(s.retail_2023) ?? gdp * 0.38,
				fiscal: num(s.fiscal_2023) ?? gdp * 0.085,
				trade: num(s.trade_2023) ?? gdp * 0.25
			};
		});
	// The nation's own releases: levels summed, growth weighted by GDP.
	if (scope === 0 && economies.length > 1) {
		const total = (k: 'gdp' | 'retail' | 'fiscal' | 'trade') => economies.reduce((s, e) => s + e[k], 0);
		const gdp = total('gdp');
		const growth = Math.round((economies.reduce((s, e) => s + e.growth * e.gdp, 0) / gdp) * 10) / 10;
		economies.push({ adcode: 0, gdp, growth, retail: total('retail'), fiscal: total('fiscal'), trade: total('trade'), gdpYear: 2024, levelsYear: 2023 });
	}
	return { regions, economies };
}
