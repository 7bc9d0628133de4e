import { describe, expect, it } from 'vitest';
import { assertInScope, assertWholeScope, inScope, regionFilter, ScopeError, visibleRegions } from './scope.ts';

const shenzhen = { adcodes: [440300] };

describe('the scope', () => {
	it('lets a city see itself and its districts, not its neighbours, its province or the nation', () => {
		expect([440300, 440305, 440100, 440103, 440000, 0, 330000].map((a) => inScope(a, shenzhen))).toEqual([true, true, false, false, false, false, false]);
	});

	it('lets it read the published statistics of the regions above it, and no one else’s', () => {
		expect([440300, 440305, 440000, 0, 440100, 330000, 330100].map((a) => inScope(a, shenzhen, 'published'))).toEqual([
			true,
			true,
			true,
			true,
			false,
			false,
			false
		]);
	});

	it('refuses with a typed error that names the region, whatever its text', () => {
		expect(() => assertInScope(440100, shenzhen)).toThrow(ScopeError);
		expect(() => assertInScope(440000, shenzhen)).toThrow(ScopeError);
		expect(() => assertInScope(440000, shenzhen, 'published')).not.toThrow();
		expect(() => assertWholeScope(shenzhen)).toThrow(ScopeError);
		expect(() => assertWholeScope({ all: true })).not.toThrow();
		const e = (() => {
			try {
				assertInScope(440100, shenzhen);
			} catch (err) {
				return err as ScopeError;
			}
		})();
		expect(e).toBeInstanceOf(ScopeError);
		expect(e!.adcode).toBe(440100);
		expect(e!.name).toBe('ScopeError');
		expect(e!.message).toBe('无权查看该地区：440100（不在您的数据范围内）');
		expect(() => assertWholeScope(shenzhen)).toThrow('无权查看全部数据接入状态（仅限全国范围）');
		expect(() => assertWholeScope({ adcodes: [0] })).toThrow(ScopeError);
	});

	it('writes the region and the scope into the WHERE terms as parameters', () => {
		expect(regionFilter(440305, { adcodes: [440300, 110000] })).toEqual({
			where: ['adcode = {region:UInt32}', '(has({scope_province:Array(UInt32)}, province_code) OR has({scope_city:Array(UInt32)}, city_code))'],
			params: { region: 440305, scope_province: [110000], scope_city: [440300] }
		});
		expect(regionFilter(0, { all: true })).toEqual({ where: [], params: {} });
		expect(() => regionFilter(440000, shenzhen)).toThrow(ScopeError);
	});

	it('shows the way down to the scope in navigation, and nothing beside it', () => {
		const provinces = [{ adcode: 110000 }, { adcode: 440000 }];
		const cities = [{ adcode: 440100 }, { adcode: 440300 }];
		expect(visibleRegions(provinces, shenzhen)).toEqual([{ adcode: 440000 }]);
		expect(visibleRegions(cities, shenzhen)).toEqual([{ adcode: 440300 }]);
		expect(visibleRegions(cities, { all: true })).toEqual(cities);
		// Equivalent mutants (Stryker, scope.ts visibleRegions): dropping the `scope.all === true` shortcut changes nothing,
		// since inScope keeps every region of an all-scope anyway; the shortcut only saves the filter.
	});

	it('fails closed in SQL for a scope that lists no region level it can test (the nation by code instead of all)', () => {
		// The sign-in layer turns 0 into { all: true }; a list holding only 0 still reads no rows rather than all of them.
		expect(regionFilter(440305, { adcodes: [0] })).toEqual({ where: ['adcode = {region:UInt32}', '0'], params: { region: 440305 } });
	});
});
