/**
 * The simulator's scope: only leaf regions (counties, and cities without
 * districts) within the scope, at every level; checked against code prefixes
 * worked out by hand, not against the rule the code uses.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScope } from './sim-regions.ts';

const reference = path.resolve(import.meta.dirname, '../reference');
const codes = (scope: number) => loadScope(reference, scope, 1).regions.map((r) => r.adcode);
const prefixed = (list: number[], prefix: string) => list.every((a) => String(a).startsWith(prefix));

describe('the simulated regions of a scope', () => {
	it('a province: its counties, its district-less cities and its 省直辖 cities', () => {
		const hubei = codes(420000);
		expect(prefixed(hubei, '42')).toBe(true);
		expect(hubei).toContain(420102); // 江岸区, 武汉
		expect(hubei).toContain(429004); // 仙桃, governed by the province
		expect(hubei).not.toContain(420100); // 武汉 has districts: not a leaf
	});

	it('a city: only its districts', () => {
		const guangzhou = codes(440100);
		expect(guangzhou.length).toBeGreaterThan(5);
		expect(prefixed(guangzhou, '4401')).toBe(true);
		expect(guangzhou).toContain(440106);
	});

	it('a city without districts: itself', () => {
		expect(codes(441900)).toEqual([441900]); // 东莞
	});

	it('a municipality: its districts, none of another', () => {
		const beijing = codes(110000);
		expect(prefixed(beijing, '11')).toBe(true);
		expect(beijing).toContain(110101);
	});

	it('a county: itself', () => {
		expect(codes(429004)).toEqual([429004]);
		expect(codes(440106)).toEqual([440106]);
	});
});
