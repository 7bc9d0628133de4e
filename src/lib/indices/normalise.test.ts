/**
 * Normalisations, transforms, ratios, cells, ranks and grades at their edges:
 * one unit, all equal, missing values, negative polarity, the scale. Every
 * expected value is worked out by hand in the comment beside it.
 */
import { describe, expect, it } from 'vitest';
import { cellNumber, compute, rankScores, roundTo } from './engine.ts';
import { normalise, quantile, ratio, transform, wilsonLowerBound } from './normalise.ts';
import { parseMethodology } from './methodology.ts';

const col = (...v: number[]) => Float64Array.from(v);
// `+ 0` reads −0 as 0: the sign of a zero is no part of a score.
const list = (a: Float64Array, d = 6) => Array.from(a, (x) => (Number.isNaN(x) ? NaN : Math.round(x * 10 ** d) / 10 ** d + 0));

describe('quantiles, ratios and transforms', () => {
	it('interpolates between order statistics', () => {
		expect(quantile([], 0.5)).toBeNaN();
		expect(quantile([10], 0.9)).toBe(10);
		expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5); // position 1.5
		expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75); // position 0.75
		expect(quantile([1, 2, 3, 4], 1)).toBe(4);
	});

	it('a ratio of counts, scaled; missing when the denominator is not positive or the numerator is missing', () => {
		expect(ratio(3, 4, { numerator: 'n', denominator: 'd', multiplier: 100 })).toBe(75);
		expect(ratio(3, 0, { numerator: 'n', denominator: 'd', multiplier: 1 })).toBeNaN();
		expect(ratio(3, -2, { numerator: 'n', denominator: 'd', multiplier: 1 })).toBeNaN();
		expect(ratio(3, NaN, { numerator: 'n', denominator: 'd', multiplier: 1 })).toBeNaN();
		expect(ratio(NaN, 4, { numerator: 'n', denominator: 'd', multiplier: 1 })).toBeNaN();
		// Wilson at z = 1.96 for 3 of 3: (1 + 0.6403 − 1.96·√(0 + 0.3201/9·… )) …: 0.4385 (as the engine tests), ×100.
		expect(ratio(3, 3, { numerator: 'n', denominator: 'd', multiplier: 100, correction: { kind: 'wilson', z: 1.96 } })).toBeCloseTo(43.85, 2);
		// z = 1: p = 1, n = 4: (1 + 1/8 − √(1/64)) / (1 + 1/4) = (1.125 − 0.125)/1.25 = 0.8.
		expect(wilsonLowerBound(4, 4, 1)).toBeCloseTo(0.8, 12);
		expect(wilsonLowerBound(1, -1)).toBeNaN();
	});

	it('log makes non-positive values missing; winsorising leaves missing values missing', () => {
		expect(list(transform(col(Math.E ** 2, -1, NaN), { kind: 'log' }))).toEqual([2, NaN, NaN]);
		expect(list(transform(col(1, NaN, 3, 5), { kind: 'winsorise', lower: 0.5, upper: 0.5 }))).toEqual([3, NaN, 3, 3]);
		// Unsorted input: the quantiles are of the sorted values 1, 2, 3, 4, 100 — q 0.25 at position 1 is 2, q 0.75 at
		// position 3 is 4 (taken in the given order they would be 1 and 2).
		expect(list(transform(col(100, 1, 4, 2, 3), { kind: 'winsorise', lower: 0.25, upper: 0.75 }))).toEqual([4, 2, 4, 2, 3]);
		const same = col(1, 2);
		expect(transform(same, undefined)).toBe(same);
	});
});

describe('normalisations at the edges', () => {
	it('none: the value as it is, negated for negative polarity', () => {
		expect(list(normalise(col(1, -2, NaN), { kind: 'none' }, 'positive'))).toEqual([1, -2, NaN]);
		expect(list(normalise(col(1, -2), { kind: 'none' }, 'negative'))).toEqual([-1, 2]);
	});

	it('min-max onto a scale of its own, all equal at its middle', () => {
		expect(list(normalise(col(0, 5, 10), { kind: 'minMax', scale: [20, 40] }, 'positive'))).toEqual([20, 30, 40]);
		expect(list(normalise(col(7, 7, NaN), { kind: 'minMax', scale: [20, 40] }, 'negative'))).toEqual([30, 30, NaN]);
	});

	it('z-scores: zero when every unit is equal, reversed for negative polarity, missing stays missing', () => {
		expect(list(normalise(col(3, 3, NaN), { kind: 'zScore' }, 'positive'))).toEqual([0, 0, NaN]);
		// mean 4, population sd √(8/3) = 1.632993
		expect(list(normalise(col(2, 4, 6, NaN), { kind: 'zScore' }, 'negative'))).toEqual([1.224745, 0, -1.224745, NaN]);
		expect(list(normalise(col(2, 4, 6), { kind: 'zScoreMinMax' }, 'negative'))).toEqual([100, 50, 0]);
	});

	it('distance to target: a share of the target, capped; for negative polarity target / value, zero or less is best', () => {
		expect(list(normalise(col(40, 0, NaN), { kind: 'distanceToTarget', target: 80 }, 'positive'))).toEqual([50, 0, NaN]);
		expect(list(normalise(col(160, 80, 40, 0, -5), { kind: 'distanceToTarget', target: 80, scale: [0, 1] }, 'negative'))).toEqual([0.5, 1, 1, 1, 1]);
	});

	it('goalposts: reversed for negative polarity, clamped both ways, missing stays missing', () => {
		expect(list(normalise(col(-5, 5, 10, 15, NaN), { kind: 'goalposts', min: 0, max: 10 }, 'negative'))).toEqual([100, 50, 0, 0, NaN]);
		expect(list(normalise(col(2.5), { kind: 'goalposts', min: 0, max: 10, scale: [1, 5] }, 'positive'))).toEqual([2]);
		// Goalposts away from zero: (50 − 20)/(80 − 20) = 0.5, (35 − 20)/60 = 0.25; with min + instead of − or a range of
		// max + min these would be 70/60 → 1 and 30/100.
		expect(list(normalise(col(50, 35), { kind: 'goalposts', min: 20, max: 80 }, 'positive'))).toEqual([50, 25]);
	});

	it('rank: the best at the top of the scale, ties sharing the mean, one unit at the top, reversed for negative polarity', () => {
		// 5 best, 1 worst; 3 and 3 share places 2–3 → (4 − 2.5)/3 of the scale = 50.
		expect(list(normalise(col(1, 3, 5, 3, NaN), { kind: 'rank' }, 'positive'))).toEqual([0, 50, 100, 50, NaN]);
		expect(list(normalise(col(1, 3, 5), { kind: 'rank', scale: [0, 10] }, 'negative'))).toEqual([10, 5, 0]);
		expect(list(normalise(col(42, NaN), { kind: 'rank' }, 'positive'))).toEqual([100, NaN]);
	});

	it('percentile: the share of units worse, ties counting half, one unit at the top, reversed for negative polarity', () => {
		// Four units: 1 has none worse (0/3); each 3 has one worse and one equal → (1 + 0.5)/3 = 0.5; 5 has three worse.
		expect(list(normalise(col(1, 3, 5, 3, NaN), { kind: 'percentile' }, 'positive'))).toEqual([0, 50, 100, 50, NaN]);
		expect(list(normalise(col(1, 2, 4), { kind: 'percentile', scale: [0, 1] }, 'negative'))).toEqual([1, 0.5, 0]);
		expect(list(normalise(col(42), { kind: 'percentile' }, 'negative'))).toEqual([100]);
	});
});

describe('cells, rounding and ranks', () => {
	it('reads numbers and numeric text; anything else is missing', () => {
		expect([3, ' 4.5 ', '1e3', '', '  ', 'x', Infinity, NaN, null, undefined, true, {}].map(cellNumber)).toEqual([
			3,
			4.5,
			1000,
			NaN,
			NaN,
			NaN,
			NaN,
			NaN,
			NaN,
			NaN,
			NaN,
			NaN
		]);
		expect(cellNumber('Infinity')).toBeNaN();
	});

	it('rounds half away from zero at the display precision, also for values stored just below it', () => {
		expect(roundTo(1.005, 2)).toBe(1.01); // 1.005 is stored as 1.00499999…
		expect(roundTo(-1.005, 2)).toBe(-1.01);
		expect(roundTo(2.5, 0)).toBe(3);
		expect(roundTo(0, 2)).toBe(0);
	});

	it('ranks: shared places skip, dense places do not, missing scores get none', () => {
		expect(rankScores([NaN, 5, 7, 5], 'shared', 2)).toEqual([null, 2, 1, 2]);
		expect(rankScores([1, 2, 2, 3], 'dense', 0)).toEqual([3, 2, 2, 1]);
		expect(rankScores([1, 2, 2, 3], 'shared', 0)).toEqual([4, 2, 2, 1]);
		expect(rankScores([], 'shared', 2)).toEqual([]);
	});
});

describe('groups: rescaled, and an imputed value counts as missing coverage', () => {
	it('rescales a group before it is weighed', () => {
		const m = parseMethodology({
			id: 'r',
			name: 'r',
			root: {
				id: 'total',
				children: [
					{ id: 'g', rescale: { kind: 'minMax' }, children: [{ id: 'a', column: 'a' }] },
					{ id: 'b', column: 'b' }
				]
			}
		});
		// g = a min-maxed over the units: 0, 100; total = (g + b)/2 = (0 + 10)/2, (100 + 20)/2.
		const r = compute(m, [
			{ unit: 'X', a: 3, b: 10 },
			{ unit: 'Y', a: 9, b: 20 }
		]);
		expect(r.units.map((u) => [u.nodes.g, u.score])).toEqual([
			[0, 5],
			[100, 60]
		]);
	});

	it('imputed values fill the score but not the coverage; a group with no value falls back to all units', () => {
		const m = parseMethodology({
			id: 'i',
			name: 'i',
			root: {
				id: 'total',
				children: [
					{ id: 'a', column: 'a', weight: 1 },
					{ id: 'b', column: 'b', weight: 3 }
				]
			},
			missing: { rule: 'groupMean', groupColumn: 'region', minCoverage: 0 }
		});
		const r = compute(m, [
			{ unit: 'P', a: 10, b: 20, region: 'n' },
			{ unit: 'Q', a: 30, b: '', region: 'n' },
			{ unit: 'R', a: 50, b: 60, region: 'n' },
			{ unit: 'S', a: '', b: 100, region: 's' }
		]);
		// Q's b = mean of n's b = (20 + 60)/2 = 40 → (30 + 120)/4 = 37.5, coverage 1/4.
		expect(r.units[1]!.score).toBe(37.5);
		expect(r.units[1]!.coverage).toBe(0.25);
		// S's a: region s has no a, so the mean of all a = (10 + 30 + 50)/3 = 30 → (30 + 300)/4 = 82.5, coverage 3/4.
		expect(r.units[3]!.score).toBe(82.5);
		expect(r.units[3]!.coverage).toBe(0.75);
		expect(r.units[0]!.coverage).toBe(1);
	});

	it('a unit with nothing observed has no score; weights of zero give no coverage', () => {
		const m = parseMethodology({
			id: 'z',
			name: 'z',
			root: { id: 'total', children: [{ id: 'a', column: 'a', weight: 0 }] },
			missing: { rule: 'skip', minCoverage: 0 }
		});
		const r = compute(m, [
			{ unit: 'P', a: 5 },
			{ unit: 'Q', a: '' }
		]);
		expect(r.units.map((u) => [u.score, u.coverage, u.rank])).toEqual([
			[null, 0, null],
			[null, 0, null]
		]);
	});
});
