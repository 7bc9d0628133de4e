import { describe, expect, it } from 'vitest';
import {
	Adcode,
	cityOf,
	isMunicipality,
	isProvinceAdministered,
	levelOf,
	parentOf,
	provinceOf,
	regionColumn,
	siblingsParent,
	subRegionColumn,
	within
} from './index.ts';

// Codes used below (GB/T 2260): 440000 广东, 440100 广州, 440106 天河区, 440300 深圳, 440305 南山区;
// 110000 北京, 110100 北京市辖区, 110101 东城区; 120000 天津, 120101 和平区; 500000 重庆, 500229 城口县 (under 500200 "县");
// 420000 湖北, 420100 武汉, 420102 江岸区, 429000 湖北省直辖县级行政区划, 429004 仙桃; 460000 海南, 469001 五指山.

describe('Adcode', () => {
	it('takes the nation and six-digit codes', () => {
		expect([0, 110000, 440106, 429004, 820000, 829999].map((a) => Adcode.safeParse(a).success)).toEqual([true, true, true, true, true, true]);
	});

	it('refuses what is not a code, in Chinese', () => {
		expect([-1, 1, 109999, 830000, 4401060, 440106.5, Number.NaN].map((a) => Adcode.safeParse(a).success)).toEqual([
			false,
			false,
			false,
			false,
			false,
			false,
			false
		]);
		expect(Adcode.safeParse('440106').success).toBe(false);
		expect(Adcode.safeParse(1).error?.issues[0]?.message).toContain('行政区划代码');
	});
});

describe('levels and parents', () => {
	it('reads the level from the code', () => {
		expect([0, 440000, 440100, 440106, 110000, 110100, 110101, 429000, 429004].map(levelOf)).toEqual([
			'national',
			'province',
			'city',
			'county',
			'province',
			'city',
			'county',
			'city',
			'county'
		]);
	});

	it('finds the province and the city of a code', () => {
		expect([0, 440000, 440100, 440106, 110101, 429004].map(provinceOf)).toEqual([0, 440000, 440000, 440000, 110000, 420000]);
		expect([0, 440000, 440100, 440106, 110101, 429004, 500229].map(cityOf)).toEqual([undefined, undefined, 440100, 440100, 110100, 429000, 500200]);
	});

	it('finds the parent as the regions table records it', () => {
		expect([0, 440000, 440100, 440106, 110100, 110101, 429000, 429004].map(parentOf)).toEqual([undefined, 0, 440000, 440100, 110000, 110100, 420000, 429000]);
	});
});

describe('within', () => {
	it('holds for the region itself and everything below it, at every level', () => {
		const cases: Array<[number, number, boolean]> = [
			// the nation holds everything
			[0, 0, true],
			[440106, 0, true],
			// a province: itself, its cities and counties; not the nation, not another province
			[440000, 440000, true],
			[440100, 440000, true],
			[440106, 440000, true],
			[0, 440000, false],
			[330100, 440000, false],
			// a city: itself and its counties; not its province, not a sibling city or its districts
			[440100, 440100, true],
			[440106, 440100, true],
			[440000, 440100, false],
			[440305, 440100, false],
			[440100, 440300, false],
			[0, 440100, false],
			// a county: only itself; not the city above it, not a sibling
			[440106, 440106, true],
			[440100, 440106, false],
			[440103, 440106, false],
			// 直辖市: districts within the municipality and its 市辖区 row, not within another municipality
			[110101, 110000, true],
			[110101, 110100, true],
			[110101, 120000, false],
			[120101, 110000, false],
			[500229, 500000, true],
			// 省直辖县级行政区: 仙桃 within 湖北 and its grouping row, not within 武汉
			[429004, 420000, true],
			[429004, 429000, true],
			[429004, 420100, false],
			[420102, 429000, false]
		];
		expect(cases.map(([a, r]) => [a, r, within(a, r)])).toEqual(cases);
	});
});

describe('the irregular cases', () => {
	it('knows the four municipalities and nothing else', () => {
		expect([110000, 110101, 120000, 310000, 310104, 500000, 500229, 440000, 440300, 0].map(isMunicipality)).toEqual([
			true,
			true,
			true,
			true,
			true,
			true,
			true,
			false,
			false,
			false
		]);
	});

	it('knows the county-level cities a province governs itself (city part 90)', () => {
		expect([429004, 429000, 469001, 420102, 420000, 440106, 419001].map(isProvinceAdministered)).toEqual([true, true, true, false, false, false, true]);
	});
});

describe('columns', () => {
	it('filters a region by the column of its level', () => {
		expect([0, 440000, 440100, 440106, 110000].map(regionColumn)).toEqual([undefined, 'province_code', 'city_code', 'adcode', 'province_code']);
	});

	it('splits a province into cities, a municipality straight into districts, a city into counties', () => {
		expect([0, 440000, 110000, 120000, 310000, 500000, 420000, 440100, 440106].map(subRegionColumn)).toEqual([
			'province_code',
			'city_code',
			'adcode',
			'adcode',
			'adcode',
			'adcode',
			'city_code',
			'adcode',
			undefined
		]);
	});

	it('ranks a county within its city, or its province for a municipality district or a 省直辖 city', () => {
		expect([440106, 110101, 500229, 429004, 469001, 440100, 440000, 0].map(siblingsParent)).toEqual([
			440100,
			110000,
			500000,
			420000,
			460000,
			440000,
			0,
			undefined
		]);
		// A municipality and a 省直辖 grouping row are ranked as what they are: a province among provinces, a city row within its province.
		expect([110000, 500000, 429000, 110100].map(siblingsParent)).toEqual([0, 0, 420000, 110000]);
	});
});
