/**
 * Region codes (GB/T 2260) in one place: the validated type, the level, the
 * parents and the containment rule. Pure and browser-safe; the server reads
 * names and the region tree through src/lib/server/queries/regions/.
 *
 * A code is 0 (the nation) or six digits PPCCXX: province PP0000, prefecture
 * city PPCC00, county PPCCXX. Two irregular cases: the 直辖市 (110000 北京,
 * 120000 天津, 310000 上海, 500000 重庆) have districts but no real cities (their
 * 110100 "市辖区" rows only group the districts), and 省直辖县级行政区 (city part
 * 90, e.g. 429004 仙桃 under 429000/420000) are county-level cities governed by
 * the province itself.
 */
import { z } from 'zod';

export type Level = 'national' | 'province' | 'city' | 'county';

/** The lowest and highest six-digit codes (北京 110000 … 澳门 82xxxx). */
export const ADCODE_MIN = 110000;
export const ADCODE_MAX = 829999;

/** A region: 0 for the nation, or a GB/T 2260 code. */
export const Adcode = z
	.number()
	.int()
	.refine((v) => v === 0 || (v >= ADCODE_MIN && v <= ADCODE_MAX), '须为 0（全国）或六位行政区划代码（GB/T 2260）');
export type Adcode = z.infer<typeof Adcode>;

/** The nation: code 0, which is no row of the regions table (that starts at the provinces). */
export const NATION = { adcode: 0, name: '全国' } as const;

/** 直辖市: districts directly under the province-level city. */
export const MUNICIPALITIES: ReadonlySet<number> = new Set([110000, 120000, 310000, 500000]);

/** The city part (CC of PPCCXX) that marks 省直辖县级行政区. */
const PROVINCE_ADMINISTERED_CITY_PART = 90;

/** The level of a code (0 is the nation). */
export function levelOf(adcode: number): Level {
	if (adcode === 0) return 'national';
	if (adcode % 10000 === 0) return 'province';
	if (adcode % 100 === 0) return 'city';
	return 'county';
}

/** The province of a code (0 for the nation). */
export function provinceOf(adcode: number): number {
	return Math.floor(adcode / 10000) * 10000;
}

/** The prefecture-level code of a city or county (a municipality's 市辖区 row, 429000 for 仙桃); none above the city level. */
export function cityOf(adcode: number): number | undefined {
	const level = levelOf(adcode);
	return level === 'city' || level === 'county' ? Math.floor(adcode / 100) * 100 : undefined;
}

/** The region directly above, as the regions table's parent_code has it (none for the nation). */
export function parentOf(adcode: number): number | undefined {
	const level = levelOf(adcode);
	// Stryker disable next-line ConditionalExpression,StringLiteral: equivalent — without it the nation falls through to cityOf(0), which is undefined too.
	if (level === 'national') return undefined;
	if (level === 'province') return 0;
	if (level === 'city') return provinceOf(adcode);
	return cityOf(adcode);
}

/** Whether `adcode` lies within `region` (the same region or one below it). */
export function within(adcode: number, region: number): boolean {
	const level = levelOf(region);
	if (level === 'national') return true;
	// Stryker disable next-line ConditionalExpression: equivalent — the tests below are false for 0 anyway (provinceOf(0) = 0, cityOf(0) undefined); kept to say so.
	if (adcode === 0) return false;
	if (level === 'province') return provinceOf(adcode) === region;
	if (level === 'city') return cityOf(adcode) === region;
	return adcode === region;
}

/** Whether the code is in a 直辖市 (the municipality itself, its 市辖区 row or a district). */
export function isMunicipality(adcode: number): boolean {
	// Stryker disable next-line ConditionalExpression: equivalent — provinceOf(0) = 0 is no municipality; the guard says so.
	return adcode !== 0 && MUNICIPALITIES.has(provinceOf(adcode));
}

/** Whether the code is a 省直辖县级行政区 (a county-level code with city part 90), or their grouping row (PP9000). */
export function isProvinceAdministered(adcode: number): boolean {
	const level = levelOf(adcode);
	// Stryker disable next-line ConditionalExpression: equivalent — a province (PP0000) or the nation has city part 00, never 90.
	return (level === 'city' || level === 'county') && Math.floor(adcode / 100) % 100 === PROVINCE_ADMINISTERED_CITY_PART;
}

/** The column that filters rows of a region at its level (none for the nation). */
export function regionColumn(adcode: number): 'province_code' | 'city_code' | 'adcode' | undefined {
	return { national: undefined, province: 'province_code' as const, city: 'city_code' as const, county: 'adcode' as const }[levelOf(adcode)];
}

/**
 * The column that splits a region into its sub-regions: the nation into
 * provinces, a province into cities (a municipality straight into districts),
 * a city into counties; none below a county.
 */
export function subRegionColumn(adcode: number): 'province_code' | 'city_code' | 'adcode' | undefined {
	const level = levelOf(adcode);
	if (level === 'national') return 'province_code';
	if (level === 'province') return MUNICIPALITIES.has(adcode) ? 'adcode' : 'city_code';
	if (level === 'city') return 'adcode';
	return undefined;
}

/**
 * The region whose sub-regions are a code's siblings, i.e. what it is ranked
 * within: a county's city, or its province for a municipality's districts and
 * 省直辖 county-level cities (whose "city" only groups them); a city's province;
 * a province's nation. None for the nation.
 */
export function siblingsParent(adcode: number): number | undefined {
	if (levelOf(adcode) === 'county' && (isMunicipality(adcode) || isProvinceAdministered(adcode))) return provinceOf(adcode);
	return parentOf(adcode);
}
