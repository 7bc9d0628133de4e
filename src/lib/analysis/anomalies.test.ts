import { describe, expect, it } from 'vitest';
import { flagCountDeviations, flagRateDrops } from './anomalies.ts';

const W = true;
const R = false;

describe('flags on a daily series', () => {
	it('flag a day whose rate falls well below the same type of days before it, not the rest days between', () => {
		// Working days at 98–99 % on 100 completions; day 7 (a working day) at 80 %; the rest days (5, 6) at 90 % are compared with rest days only.
		const tallies = [99, 98, 99, 98, 99, 90, 90, 80].map((hits) => ({ hits, total: 100 }));
		const workdays = [W, W, W, W, W, R, R, W];
		const flags = flagRateDrops(tallies, workdays);
		expect(flags.map((f) => f.index)).toEqual([7]);
		expect(flags[0]!.text).toContain('低 18.5 个百分点'); // baseline: days 4, 3, 2, 1 pooled = 394/400 = 98.5 %
	});

	it('do not flag a small sample or a small drop', () => {
		expect(
			flagRateDrops(
				[99, 98, 99, 98, 10].map((hits, i) => ({ hits: i === 4 ? 2 : hits, total: i === 4 ? 10 : 100 })),
				[W, W, W, W, W]
			)
		).toEqual([]);
		expect(
			flagRateDrops(
				[99, 98, 99, 98, 96].map((hits) => ({ hits, total: 100 })),
				[W, W, W, W, W]
			)
		).toEqual([]);
	});

	it('flag a count far from its comparable days either way', () => {
		expect(flagCountDeviations([100, 104, 98, 101, 200, 99], [W, W, W, W, W, W]).map((f) => f.index)).toEqual([4]);
		expect(flagCountDeviations([100, 104, 98, 101, 120], [W, W, W, W, W])).toEqual([]);
		expect(flagCountDeviations([5, 6, 5, 4, 20], [W, W, W, W, W])).toEqual([]); // too few to judge
	});
});
