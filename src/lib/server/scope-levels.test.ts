/**
 * The scope rule at every level of the region tree (issue 17 item 3): province,
 * city, county, a municipality's districts, 省直辖 county-level cities, single and
 * combined scopes. Expected values are worked out by hand from GB/T 2260 codes.
 */
import { describe, expect, it } from 'vitest';
import { inScope, regionFilter, ScopeError, visibleRegions } from './scope.ts';

const see = (adcodes: number[], codes: number[], kind: 'service' | 'published' = 'service') => codes.map((a) => inScope(a, { adcodes }, kind));

describe('a scope of one region', () => {
	it('a province sees its cities, counties and 省直辖 cities, nothing of another province', () => {
		// 湖北: 武汉, 江岸区, 仙桃 (429004) and its grouping row; 广东 and the nation are outside.
		expect(see([420000], [420000, 420100, 420102, 429000, 429004, 440000, 440106, 0])).toEqual([true, true, true, true, true, false, false, false]);
	});

	it('a city sees its counties only', () => {
		expect(see([440100], [440100, 440106, 440103, 440300, 440305, 440000, 0])).toEqual([true, true, true, false, false, false, false]);
	});

	it('a county sees itself only, and the published figures of its city, province and the nation', () => {
		expect(see([440106], [440106, 440103, 440100, 440000, 0])).toEqual([true, false, false, false, false]);
		expect(see([440106], [440106, 440103, 440100, 440000, 0, 440300], 'published')).toEqual([true, false, true, true, true, false]);
	});

	it('a municipality sees its districts and not another municipality’s', () => {
		expect(see([110000], [110000, 110100, 110101, 120000, 120101, 310104])).toEqual([true, true, true, false, false, false]);
	});

	it('a municipality district sees itself, and reads the municipality’s published figures', () => {
		expect(see([110101], [110101, 110102, 110000])).toEqual([true, false, false]);
		expect(see([110101], [110000, 110100, 0, 120000], 'published')).toEqual([true, true, true, false]);
	});

	it('a 省直辖 county-level city sees itself, and reads its province’s published figures', () => {
		expect(see([429004], [429004, 429005, 420100, 420000])).toEqual([true, false, false, false]);
		expect(see([429004], [420000, 429000, 0, 420100], 'published')).toEqual([true, true, true, false]);
	});
});

describe('a combined scope', () => {
	const scope = { adcodes: [440300, 110101, 429004] };

	it('sees the union and nothing between', () => {
		expect([440300, 440305, 110101, 429004, 440100, 110102, 420000, 0].map((a) => inScope(a, scope))).toEqual([
			true,
			true,
			true,
			true,
			false,
			false,
			false,
			false
		]);
	});

	it('writes one term per level of the scope into the WHERE, and refuses a region outside it', () => {
		expect(regionFilter(440305, scope)).toEqual({
			where: ['adcode = {region:UInt32}', '(has({scope_city:Array(UInt32)}, city_code) OR has({scope_county:Array(UInt32)}, adcode))'],
			params: { region: 440305, scope_city: [440300], scope_county: [110101, 429004] }
		});
		expect(() => regionFilter(420000, scope)).toThrow(ScopeError);
		expect(() => regionFilter(110000, scope)).toThrow(ScopeError);
	});

	it('lets navigation reach each of its regions from the top', () => {
		const provinces = [110000, 120000, 420000, 440000].map((adcode) => ({ adcode }));
		expect(visibleRegions(provinces, scope).map((r) => r.adcode)).toEqual([110000, 420000, 440000]);
	});
});
