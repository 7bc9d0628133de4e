/**
 * What-if, Monte Carlo and target seeking on small tables worked out by hand:
 * every expected score, rank and change below is arithmetic written in the
 * comments, never the engine asked of itself.
 */
import { describe, expect, it } from 'vitest';
import { DataError } from './engine.ts';
import { parseMethodology } from './methodology.ts';
import { monteCarlo, seekTarget, whatIf, withWeights } from './simulate.ts';

/** Two indicators as they are (no normalisation), equal weights; a's column is named apart from its id. */
const methodology = (extra: object = {}) =>
	parseMethodology({
		id: 'hand',
		name: 'hand',
		root: {
			id: 'total',
			children: [
				{ id: 'a', column: 'colA', bounds: { min: 0, max: 100 } },
				{ id: 'b', column: 'colB', bounds: { min: 0, max: 100 } }
			]
		},
		grades: [
			{ id: 'good', label: '好', min: 60 },
			{ id: 'poor', label: '差' }
		],
		ranking: { ties: 'unrounded', decimals: 2 },
		...extra
	});
// A = (80 + 60)/2 = 70, B = (60 + 70)/2 = 65, C = (50 + 50)/2 = 50: ranks 1, 2, 3; grades good, good, poor.
const rows = [
	{ unit: 'A', colA: 80, colB: 60 },
	{ unit: 'B', colA: 60, colB: 70 },
	{ unit: 'C', colA: 50, colB: 50 }
];

describe('what-if', () => {
	it('an edited value moves that unit and re-ranks the others', () => {
		// C's a 50 → 100: C = 75, first; A and B keep their scores and drop one place each.
		const { changes, after } = whatIf(methodology(), rows, { values: { C: { a: 100 } } });
		expect(after.units.map((u) => [u.unit, u.score, u.rank])).toEqual([
			['A', 70, 2],
			['B', 65, 3],
			['C', 75, 1]
		]);
		expect(changes).toEqual([
			{
				unit: 'A',
				before: { score: 70, rank: 1, grade: 'good' },
				after: { score: 70, rank: 2, grade: 'good' },
				scoreDelta: 0,
				rankDelta: -1,
				gradeChanged: false
			},
			{
				unit: 'B',
				before: { score: 65, rank: 2, grade: 'good' },
				after: { score: 65, rank: 3, grade: 'good' },
				scoreDelta: 0,
				rankDelta: -1,
				gradeChanged: false
			},
			{
				unit: 'C',
				before: { score: 50, rank: 3, grade: 'poor' },
				after: { score: 75, rank: 1, grade: 'good' },
				scoreDelta: 25,
				rankDelta: 2,
				gradeChanged: true
			}
		]);
	});

	it('an edit may name the indicator’s column instead of its id', () => {
		// B's b 70 → 20: B = (60 + 20)/2 = 40, last.
		const { changes } = whatIf(methodology(), rows, { values: { B: { colB: 20 } } });
		expect(changes.map((c) => [c.unit, c.after.score, c.after.rank])).toEqual([
			['A', 70, 1],
			['B', 40, 3],
			['C', 50, 2]
		]);
	});

	it('new weights re-weight every unit', () => {
		// b weighs 3: A = (80 + 3·60)/4 = 65, B = (60 + 3·70)/4 = 67.5, C = 50.
		const { changes } = whatIf(methodology(), rows, { weights: { b: 3 } });
		expect(changes.map((c) => [c.unit, c.after.score, c.rankDelta])).toEqual([
			['A', 65, -1],
			['B', 67.5, 1],
			['C', 50, 0]
		]);
	});

	it('a score that goes missing has no delta', () => {
		// A's a becomes unreadable: only b (60) is left, coverage 1/2 ≥ 0.5 still scores; under 0.6 it does not.
		const strict = methodology({ missing: { rule: 'skip', minCoverage: 0.6 } });
		const { changes } = whatIf(strict, rows, { values: { A: { a: Number.NaN } } });
		expect(changes[0]).toMatchObject({ after: { score: null, rank: null, grade: null }, scoreDelta: null, rankDelta: null, gradeChanged: true });
	});

	it('a score that appears has no delta either, and its grade counts as changed', () => {
		// A's a is unreadable before (coverage 1/2 < 0.6: no score); the edit gives it a = 80: A = (80 + 60)/2 = 70, first.
		const strict = methodology({ missing: { rule: 'skip', minCoverage: 0.6 } });
		const gaps = [{ unit: 'A', colA: '', colB: 60 }, ...rows.slice(1)];
		const { changes } = whatIf(strict, gaps, { values: { A: { a: 80 } } });
		expect(changes).toEqual([
			{
				unit: 'A',
				before: { score: null, rank: null, grade: null },
				after: { score: 70, rank: 1, grade: 'good' },
				scoreDelta: null,
				rankDelta: null,
				gradeChanged: true
			},
			{
				unit: 'B',
				before: { score: 65, rank: 1, grade: 'good' },
				after: { score: 65, rank: 2, grade: 'good' },
				scoreDelta: 0,
				rankDelta: -1,
				gradeChanged: false
			},
			{
				unit: 'C',
				before: { score: 50, rank: 2, grade: 'poor' },
				after: { score: 50, rank: 3, grade: 'poor' },
				scoreDelta: 0,
				rankDelta: -1,
				gradeChanged: false
			}
		]);
	});

	it('finds a unit whose cell has spaces around its name', () => {
		// ' C ' is unit C: its a 50 → 100 gives C = 75, first.
		const spaced = [...rows.slice(0, 2), { unit: ' C ', colA: 50, colB: 50 }];
		const { changes } = whatIf(methodology(), spaced, { values: { C: { a: 100 } } });
		expect(changes.map((c) => [c.unit, c.after.score, c.after.rank])).toEqual([
			['A', 70, 2],
			['B', 65, 3],
			['C', 75, 1]
		]);
	});

	it('a weight of 0 is allowed: that indicator stops counting', () => {
		// b weighs 0: every unit scores its a alone: A 80, B 60, C 50.
		const { changes } = whatIf(methodology(), rows, { weights: { b: 0 } });
		expect(changes.map((c) => [c.unit, c.after.score, c.after.rank])).toEqual([
			['A', 80, 1],
			['B', 60, 2],
			['C', 50, 3]
		]);
	});

	it('refuses to edit an indicator computed as a ratio (it has no column of its own)', () => {
		const m = parseMethodology({
			id: 'ratio',
			name: 'ratio',
			root: {
				id: 'total',
				children: [
					{ id: 'a', column: 'colA' },
					{ id: 'share', ratio: { numerator: 'n', denominator: 'd' } }
				]
			}
		});
		const ratioRows = [
			{ unit: 'A', colA: 80, n: 1, d: 2 },
			{ unit: 'B', colA: 60, n: 1, d: 4 }
		];
		expect(() => whatIf(m, ratioRows, { values: { A: { share: 1 } } })).toThrow(/'share' is not an indicator read from a column/);
	});

	it('refuses an unknown unit, indicator or node, and a negative weight', () => {
		expect(() => whatIf(methodology(), rows, { values: { Z: { a: 1 } } })).toThrow(/no unit 'Z'/);
		expect(() => whatIf(methodology(), rows, { values: { A: { nope: 1 } } })).toThrow(/'nope' is not an indicator/);
		expect(() => whatIf(methodology(), rows, { weights: { nope: 1 } })).toThrow(/no node 'nope' in methodology 'hand'/);
		expect(() => whatIf(methodology(), rows, { weights: { a: -1 } })).toThrow(/weight of 'a' must be ≥ 0/);
		expect(() => whatIf(methodology(), rows, { weights: { a: Number.NaN } })).toThrow(DataError);
	});

	it('new weights are a copy: the methodology itself is unchanged', () => {
		const m = methodology();
		const copy = withWeights(m, { total: 2, a: 5 });
		expect(copy.root.weight).toBe(2);
		expect(copy.root.children.map((c) => c.weight)).toEqual([5, 1]);
		expect(m.root.children.map((c) => c.weight)).toEqual([1, 1]);
		expect(m.root.weight).toBe(1);
	});
});

describe('Monte Carlo', () => {
	it('with nothing uncertain, every draw is the nominal ranking', () => {
		const r = monteCarlo(methodology(), rows, { draws: 20, seed: 1, weights: { kind: 'none' }, topK: 2 });
		expect(r.draws).toBe(20);
		expect(r.units).toEqual([
			{ unit: 'A', nominalRank: 1, medianRank: 1, rankInterval: [1, 1], gradeProbabilities: { good: 1, poor: 0 }, topKProbability: 1 },
			{ unit: 'B', nominalRank: 2, medianRank: 2, rankInterval: [2, 2], gradeProbabilities: { good: 1, poor: 0 }, topKProbability: 1 },
			{ unit: 'C', nominalRank: 3, medianRank: 3, rankInterval: [3, 3], gradeProbabilities: { good: 0, poor: 1 }, topKProbability: 0 }
		]);
	});

	it('uncertain weights swap two units whose order depends on them, about as often as the weights tip', () => {
		// A = (80, 60), B = (60, 70): A leads while w_a·80 + w_b·60 > w_a·60 + w_b·70, i.e. while w_a > w_b/2 (w_a > 1/3).
		// Weights ×U(0.5, 1.5) each: B leads when u_a < u_b/2, possible only for u_b > 1 (u_a ≥ 0.5):
		// P = ∫₁^1.5 (u/2 − 0.5) du = 1/16, so A leads in 15/16 = 0.9375 of the draws (± 0.004 at 4000 draws).
		const r = monteCarlo(methodology(), rows, { draws: 4000, seed: 7, weights: { kind: 'uniform', spread: 0.5 }, topK: 1 });
		const a = r.units[0]!;
		expect(a.topKProbability).toBeGreaterThan(0.9375 - 0.02);
		expect(a.topKProbability).toBeLessThan(0.9375 + 0.02);
		expect(r.units[1]!.topKProbability).toBeCloseTo(1 - a.topKProbability, 10);
		expect(a.medianRank).toBe(1);
		expect(a.rankInterval).toEqual([1, 2]);
		expect(r.units[2]!.rankInterval).toEqual([3, 3]);
	});

	it('draws weights from a Dirichlet around the nominal ones: the nominal leader stays ahead in most draws', () => {
		// Nominal weights ½, ½ give A 70 > B 65; a concentrated Dirichlet (50) rarely moves w_a below 1/3.
		const r = monteCarlo(methodology(), rows, { draws: 500, seed: 3, topK: 1 });
		expect(r.units[0]!.topKProbability).toBeGreaterThan(0.95);
		expect(r.units[0]!.topKProbability).toBeLessThan(1);
		// A loose one (concentration 2) tips it far more often.
		const loose = monteCarlo(methodology(), rows, { draws: 500, seed: 3, topK: 1, weights: { kind: 'dirichlet', concentration: 2 } });
		expect(loose.units[0]!.topKProbability).toBeLessThan(0.9);
	});

	it('alternative aggregations: the geometric mean favours the balanced unit', () => {
		// D = (90, 40): arithmetic 65, geometric √3600 = 60; E = (62, 62): 62 either way. D leads arithmetically only.
		const m = methodology({ grades: [] });
		const two = [
			{ unit: 'D', colA: 90, colB: 40 },
			{ unit: 'E', colA: 62, colB: 62 }
		];
		const r = monteCarlo(m, two, { draws: 2000, seed: 5, weights: { kind: 'none' }, aggregations: ['arithmetic', 'geometric'], topK: 1 });
		expect(r.units[0]!.topKProbability).toBeGreaterThan(0.45);
		expect(r.units[0]!.topKProbability).toBeLessThan(0.55);
		expect(r.units[0]!.gradeProbabilities).toBeNull();
		const geo = monteCarlo(m, two, { draws: 10, seed: 5, weights: { kind: 'none' }, aggregations: ['geometric'], topK: 1 });
		expect(geo.units.map((u) => u.topKProbability)).toEqual([0, 1]);
	});

	it('alternative normalisations: z-scores change the scale, so no grade probabilities', () => {
		const r = monteCarlo(methodology(), rows, { draws: 10, seed: 1, weights: { kind: 'none' }, normalisations: [{ kind: 'zScore' }] });
		expect(r.units.every((u) => u.gradeProbabilities === null)).toBe(true);
		// z-scores keep the order of these three: a (80, 60, 50) and b (60, 70, 50) standardised, summed → A, B, C.
		expect(r.units.map((u) => u.medianRank)).toEqual([1, 2, 3]);
		const minMax = monteCarlo(methodology(), rows, { draws: 10, seed: 1, weights: { kind: 'none' }, normalisations: [{ kind: 'minMax' }] });
		// min-max: A = (100 + 50)/2 = 75, B = (100/3 + 100)/2 ≈ 66.7, C = 0: grades good, good, poor.
		expect(minMax.units.map((u) => u.gradeProbabilities)).toEqual([
			{ good: 1, poor: 0 },
			{ good: 1, poor: 0 },
			{ good: 0, poor: 1 }
		]);
	});

	it('a unit without a score has no rank in any draw', () => {
		const r = monteCarlo(methodology(), [...rows, { unit: 'X', colA: '', colB: '' }], { draws: 5, seed: 1, weights: { kind: 'none' } });
		expect(r.units[3]).toEqual({
			unit: 'X',
			nominalRank: null,
			medianRank: null,
			rankInterval: null,
			gradeProbabilities: { good: 0, poor: 0 },
			topKProbability: 0
		});
		// topK defaults to 10: all three scored units are in it.
		expect(r.units.slice(0, 3).map((u) => u.topKProbability)).toEqual([1, 1, 1]);
	});

	it('a loose Dirichlet (concentration 2) draws w_a uniformly: A leads in 2/3 of the draws', () => {
		// Two children with nominal weights ½, ½ and concentration 2: w_a ~ Beta(1, 1), the uniform law on (0, 1).
		// A leads while w_a > 1/3 (see above): P = 2/3 (± 0.009 at 3000 draws). A Dirichlet on the wrong parameters
		// (e.g. Beta(4, 4), concentration 8) would give P = 1 − I_{1/3}(4, 4) = 1 − 379/2187 ≈ 0.827.
		const r = monteCarlo(methodology(), rows, { draws: 3000, seed: 11, topK: 1, weights: { kind: 'dirichlet', concentration: 2 } });
		expect(Math.abs(r.units[0]!.topKProbability - 2 / 3)).toBeLessThan(0.035);
		expect(r.units[1]!.topKProbability).toBeCloseTo(1 - r.units[0]!.topKProbability, 10);
		// A is first in 2/3 of the draws, B in 1/3: the 5th percentiles are 1, A's median 1, B's 2, the 95th 2; C is always third.
		expect(r.units.map((u) => [u.medianRank, u.rankInterval])).toEqual([
			[1, [1, 2]],
			[2, [1, 2]],
			[3, [3, 3]]
		]);
	});

	it('alternative normalisations: one that reorders the units is used in every draw, two about half the time each', () => {
		// As they are: X = (90 + 50)/2 = 70, Y = 60, Z = 27.5. Min-max over the units (a 10…90, b 45…60):
		// X = (100 + 100·5/15)/2 ≈ 66.7, Y = (100·50/80 + 100)/2 = 81.25, Z = 0 — Y first.
		const xyz = [
			{ unit: 'X', colA: 90, colB: 50 },
			{ unit: 'Y', colA: 60, colB: 60 },
			{ unit: 'Z', colA: 10, colB: 45 }
		];
		const only = monteCarlo(methodology(), xyz, { draws: 5, seed: 1, weights: { kind: 'none' }, normalisations: [{ kind: 'minMax' }], topK: 1 });
		expect(only.units.map((u) => [u.unit, u.nominalRank, u.medianRank, u.topKProbability])).toEqual([
			['X', 1, 2, 0],
			['Y', 2, 1, 1],
			['Z', 3, 3, 0]
		]);
		const both = monteCarlo(methodology(), xyz, {
			draws: 2000,
			seed: 9,
			weights: { kind: 'none' },
			normalisations: [{ kind: 'none' }, { kind: 'minMax' }],
			topK: 1
		});
		// Each alternative with probability ½: X leads in about half the draws (± 0.011 at 2000 draws).
		expect(Math.abs(both.units[0]!.topKProbability - 0.5)).toBeLessThan(0.05);
		expect(both.units[1]!.topKProbability).toBeCloseTo(1 - both.units[0]!.topKProbability, 10);
	});

	it('without alternative aggregations every group keeps its own (here geometric)', () => {
		// Geometric root: D = √(90·40) = 60, E = 62: E first, in every draw and nominally.
		const m = methodology({
			grades: [],
			root: {
				id: 'total',
				aggregation: 'geometric',
				children: [
					{ id: 'a', column: 'colA' },
					{ id: 'b', column: 'colB' }
				]
			}
		});
		const two = [
			{ unit: 'D', colA: 90, colB: 40 },
			{ unit: 'E', colA: 62, colB: 62 }
		];
		const r = monteCarlo(m, two, { draws: 3, seed: 1, weights: { kind: 'none' }, topK: 1 });
		expect(r.units.map((u) => [u.unit, u.nominalRank, u.medianRank, u.topKProbability])).toEqual([
			['D', 2, 2, 0],
			['E', 1, 1, 1]
		]);
	});

	it('reports progress every progressEvery draws and at the last one', () => {
		const done: number[] = [];
		monteCarlo(methodology(), rows, { draws: 5, seed: 1, weights: { kind: 'none' }, progressEvery: 2, onProgress: (d) => done.push(d) });
		expect(done).toEqual([2, 4, 5]);
		const byDefault: number[] = [];
		monteCarlo(methodology(), rows, { draws: 3, seed: 1, weights: { kind: 'none' }, onProgress: (d) => byDefault.push(d) });
		expect(byDefault).toEqual([3]); // every 250 by default: only the end
	});

	it('the rank percentiles are nearest-rank on the sorted draws: element round(x·(n − 1))', () => {
		// D leads in the arithmetic draws only (see above), so D's n ranks sorted are k ones then n − k twos, with
		// k = n × P(top 1). Element i of them is 1 exactly when i < k. Checked for every n from 1 to 40.
		const m = methodology({ grades: [] });
		const two = [
			{ unit: 'D', colA: 90, colB: 40 },
			{ unit: 'E', colA: 62, colB: 62 }
		];
		const at = (i: number, k: number) => (i < k ? 1 : 2);
		let mixed = 0;
		for (let n = 1; n <= 40; n++) {
			const d = monteCarlo(m, two, { draws: n, seed: 5, weights: { kind: 'none' }, aggregations: ['arithmetic', 'geometric'], topK: 1 }).units[0]!;
			const k = Math.round(d.topKProbability * n);
			if (k > 0 && k < n) mixed++;
			expect([d.medianRank, d.rankInterval]).toEqual([
				at(Math.round(0.5 * (n - 1)), k),
				[at(Math.round(0.05 * (n - 1)), k), at(Math.round(0.95 * (n - 1)), k)]
			]);
		}
		expect(mixed).toBeGreaterThan(30); // the draws did mix the two ranks
	});

	it('uniform weight noise on three children: a unit strong on one alone leads in half the draws', () => {
		// A = (100, 0, 0), B = (0, 50, 50), weights ×u_i with u_i ~ U(0.1, 1.9): A leads while 100·u₁ > 50·(u₂ + u₃),
		// i.e. 2u₁ − u₂ − u₃ > 0, a sum of variables symmetric about 0: P = ½ exactly (± 0.011 at 2000 draws).
		// (Dividing by u_i instead gives P ≈ 0.42.)
		const three = parseMethodology({
			id: 'three',
			name: 'three',
			root: { id: 'total', children: ['x', 'y', 'z'].map((id) => ({ id, column: id })) },
			ranking: { ties: 'unrounded', decimals: 2 }
		});
		const ab = [
			{ unit: 'A', x: 100, y: 0, z: 0 },
			{ unit: 'B', x: 0, y: 50, z: 50 }
		];
		const r = monteCarlo(three, ab, { draws: 2000, seed: 4, weights: { kind: 'uniform', spread: 0.9 }, topK: 1 });
		expect(Math.abs(r.units[0]!.topKProbability - 0.5)).toBeLessThan(0.04);
	});

	it('a Dirichlet so loose that every weight can underflow to 0 falls back to the nominal weights: every draw ranks every unit', () => {
		// Concentration 0.001: each child draws Gamma(0.0005) = Gamma(1.0005)·U^2000, which is 0 in a double (below
		// 5·10⁻³²⁴) whenever U < 0.69 — in about half the draws both children do. Those draws keep the nominal weights ½, ½;
		// the others put almost all weight on one child. Either way A, B and C all have a score and a rank.
		const r = monteCarlo(methodology(), rows, { draws: 200, seed: 2, topK: 3, weights: { kind: 'dirichlet', concentration: 0.001 } });
		expect(r.units.map((u) => u.topKProbability)).toEqual([1, 1, 1]);
		expect(r.units[2]!.rankInterval).toEqual([3, 3]); // C is last under any weights
	});

	it('refuses a number of draws that is not a positive whole number', () => {
		for (const draws of [0, -1, 1.5]) expect(() => monteCarlo(methodology(), rows, { draws, seed: 1 })).toThrow(/draws must be a positive integer/);
	});
});

describe('target seeking', () => {
	it('already there: no change', () => {
		const r = seekTarget(methodology(), rows, 'A', { rank: 1 });
		expect(r).toMatchObject({ reachable: true, alreadyMet: true, changes: [], cost: 0, after: { score: 70, rank: 1, grade: 'good' } });
		expect(r.message).toBe('A already meets the target (score 70.00, rank 1, grade good)');
	});

	it('spends on the cheapest indicator first, just enough', () => {
		// C to rank 1 needs a + b ≥ 140 (a tie with A at 70 shares rank 1). Ranges among the units: a 30, b 20, so a point
		// of score costs 2/30 through a and 2/20 through b: a first, from 50 to 90, at cost 40/30.
		const r = seekTarget(methodology(), rows, 'C', { rank: 1 });
		expect(r.reachable).toBe(true);
		expect(r.alreadyMet).toBe(false);
		expect(r.changes).toHaveLength(1);
		expect(r.changes[0]!).toMatchObject({ indicator: 'a', column: 'colA', from: 50 });
		expect(r.changes[0]!.to).toBeCloseTo(90, 6);
		expect(r.cost).toBeCloseTo(40 / 30, 6);
		expect(r.after.rank).toBe(1);
		expect(r.after.score).toBeCloseTo(70, 6);
		expect(r.message).toBe('C reaches the target with 1 change(s) (score 70.00, rank 1, grade good)');
	});

	it('moves on to the next indicator when the first is at its bound', () => {
		// a capped at 70: C = (70 + b)/2 ≥ 70 needs b = 70; cost 20/30 + 20/20.
		const r = seekTarget(methodology(), rows, 'C', { rank: 1 }, { bounds: { a: { max: 70 } } });
		expect(r.changes.map((c) => c.indicator)).toEqual(['a', 'b']);
		expect(r.changes[0]!.to).toBeCloseTo(70, 9);
		expect(r.changes[1]!.to).toBeCloseTo(70, 6);
		expect(r.cost).toBeCloseTo(20 / 30 + 1, 6);
	});

	it('follows the costs it is given', () => {
		// b now costs a tenth: a point of score costs 2/200 through b and 2/30 through a. b from 50 to 90.
		const r = seekTarget(methodology(), rows, 'C', { rank: 1 }, { costs: { b: 0.1 } });
		expect(r.changes.map((c) => c.indicator)).toEqual(['b']);
		expect(r.changes[0]!.to).toBeCloseTo(90, 6);
		expect(r.cost).toBeCloseTo(0.1 * (40 / 20), 6);
	});

	it('only the indicators it may change', () => {
		const r = seekTarget(methodology(), rows, 'C', { rank: 1 }, { indicators: ['b'] });
		expect(r.changes.map((c) => [c.indicator, Math.round(c.to * 1e6) / 1e6])).toEqual([['b', 90]]);
	});

	it('a grade: C to good needs a score of 60, so a from 50 to 70', () => {
		const r = seekTarget(methodology(), rows, 'C', { grade: 'good' });
		expect(r.changes[0]!.to).toBeCloseTo(70, 6);
		expect(r.after.grade).toBe('good');
		expect(seekTarget(methodology(), rows, 'A', { grade: 'poor' }).alreadyMet).toBe(true); // good is better than poor
	});

	it('says when a target cannot be reached within the bounds', () => {
		// a ≤ 60 and b ≤ 70: C at best (60 + 70)/2 = 65, level with B, behind A.
		const r = seekTarget(methodology(), rows, 'C', { rank: 1 }, { bounds: { a: { max: 60 }, b: { max: 70 } } });
		expect(r).toMatchObject({ reachable: false, alreadyMet: false, changes: [], cost: 0, after: { score: 50, rank: 3 } });
		expect(r.message).toBe(
			'C cannot reach the target within the bounds: even with every indicator at its best feasible value it gets score 65.00, rank 2, grade good'
		);
	});

	it('lowers an indicator of negative polarity', () => {
		const m = parseMethodology({
			id: 'neg',
			name: 'neg',
			root: {
				id: 'r',
				children: [
					{ id: 'good', column: 'g', bounds: { min: 0, max: 100 } },
					{ id: 'bad', column: 'x', polarity: 'negative', normalisation: { kind: 'goalposts', min: 0, max: 100 }, bounds: { min: 0, max: 100 } }
				]
			},
			ranking: { ties: 'unrounded', decimals: 2 }
		});
		// P = (80 + (100 − 20))/2 = 80; Q = (80 + (100 − 60))/2 = 60. Q reaches 80 by x 60 → 20 (g is already the best among the units).
		const r = seekTarget(
			m,
			[
				{ unit: 'P', g: 80, x: 20 },
				{ unit: 'Q', g: 80, x: 60 }
			],
			'Q',
			{ rank: 1 },
			{ indicators: ['bad'] }
		);
		expect(r.changes).toHaveLength(1);
		expect(r.changes[0]!.from).toBe(60);
		expect(r.changes[0]!.to).toBeCloseTo(20, 6);
	});

	it('finds a unit whose cell has spaces around its name', () => {
		const spaced = [...rows.slice(0, 2), { unit: ' C ', colA: 50, colB: 50 }];
		const r = seekTarget(methodology(), spaced, 'C', { rank: 1 });
		expect(r.changes.map((c) => [c.indicator, Math.round(c.to * 1e6) / 1e6])).toEqual([['a', 90]]);
	});

	it('an unread value starts from its worst feasible value: the bound, else the worst among the units', () => {
		// C's a is unread: C = 50 (b alone). With bounds 0…100, a starts at 0; C = (a + 50)/2 ≥ 70 needs a = 90.
		// Range of a among the units that have it: 80 − 60 = 20, so the cost is 90/20.
		const gaps = [...rows.slice(0, 2), { unit: 'C', colA: '', colB: 50 }];
		const r = seekTarget(methodology(), gaps, 'C', { rank: 1 }, { indicators: ['a'] });
		expect(r.changes).toHaveLength(1);
		expect(r.changes[0]!).toMatchObject({ indicator: 'a', from: 0 });
		expect(r.changes[0]!.to).toBeCloseTo(90, 6);
		expect(r.cost).toBeCloseTo(90 / 20, 6);
		// Without bounds: a runs from the worst among the units (60) to the best (80); C = (80 + 50)/2 = 65 ties B for 2nd.
		const unbounded = methodology({
			root: {
				id: 'total',
				children: [
					{ id: 'a', column: 'colA' },
					{ id: 'b', column: 'colB' }
				]
			}
		});
		const second = seekTarget(unbounded, gaps, 'C', { rank: 2 }, { indicators: ['a'] });
		expect(second.changes.map((c) => [c.indicator, c.from, Math.round(c.to * 1e6) / 1e6])).toEqual([['a', 60, 80]]);
		expect(second.cost).toBeCloseTo(20 / 20, 6);
		expect(second.after.rank).toBe(2);
	});

	it('an indicator on which all units are level costs its change over its own distance to the best', () => {
		// b is 50 everywhere: its range among the units is 0, so a change costs |change| / (100 − 50). a: range 80 − 50 = 30.
		// C (50, 50) to rank 1 needs a + b ≥ 130 (A = 65). Alone, a in full (to 100) gains 25 for 50/30, b gains 25 for 1:
		// b first, 50 → 80, cost 30/50.
		const level = [
			{ unit: 'A', colA: 80, colB: 50 },
			{ unit: 'B', colA: 60, colB: 50 },
			{ unit: 'C', colA: 50, colB: 50 }
		];
		const r = seekTarget(methodology(), level, 'C', { rank: 1 });
		expect(r.changes.map((c) => [c.indicator, c.from, Math.round(c.to * 1e6) / 1e6])).toEqual([['b', 50, 80]]);
		expect(r.cost).toBeCloseTo(0.6, 6);
	});

	it('says so when even the best feasible values leave the unit without a score', () => {
		// Under minimum coverage 0.6 one of two indicators is not enough: C has neither, and only a may change.
		const strict = methodology({ missing: { rule: 'skip', minCoverage: 0.6 } });
		const empty = [...rows.slice(0, 2), { unit: 'C', colA: '', colB: '' }];
		const r = seekTarget(strict, empty, 'C', { rank: 1 }, { indicators: ['a'] });
		expect(r).toMatchObject({ reachable: false, changes: [], after: { score: null, rank: null, grade: null } });
		expect(r.message).toBe(
			'C cannot reach the target within the bounds: even with every indicator at its best feasible value it gets score —, rank —, grade —'
		);
	});

	it('orders the moves by score gained per cost, not by score reached per cost', () => {
		// b capped at 60. Alone and in full: a 50 → 100 gains 75 − 50 = 25 for 50/30 (15 a unit of cost), b 50 → 60 gains
		// 55 − 50 = 5 for 10/20 (10 a unit). a first, and a alone suffices: a + 50 ≥ 140 at a = 90. (Measured by the score
		// reached, 75/(50/30) = 45 against 55/(10/20) = 110, b would come first: b to 60, then a to 80.)
		const r = seekTarget(methodology(), rows, 'C', { rank: 1 }, { bounds: { b: { max: 60 } } });
		expect(r.changes.map((c) => [c.indicator, Math.round(c.to * 1e6) / 1e6])).toEqual([['a', 90]]);
		expect(r.cost).toBeCloseTo(40 / 30, 6);
	});

	it('leaves an unread indicator unread when the target needs no change of it', () => {
		// C's a is unread: C = b alone = 50. Alone and in full, b 50 → 100 gains 50 for 50/20 (20 a unit), a 0 → 100 gains
		// (100 + 50)/2 − 50 = 25 for 100/20 (5 a unit). To rank 2 (level with B at 65) b alone suffices: b = 65, cost 15/20.
		const gaps = [...rows.slice(0, 2), { unit: 'C', colA: '', colB: 50 }];
		const r = seekTarget(methodology(), gaps, 'C', { rank: 2 });
		expect(r.changes.map((c) => [c.indicator, c.from, Math.round(c.to * 1e6) / 1e6])).toEqual([['b', 50, 65]]);
		expect(r.cost).toBeCloseTo(0.75, 6);
		expect(r.after.rank).toBe(2);
		expect(r.after.score).toBeCloseTo(65, 6);
	});

	it('never moves an indicator that is already past its bound', () => {
		// b capped at 40, but C's b is 50: b stays. a capped at 85: C at best (85 + 50)/2 = 67.5, behind A (70).
		const r = seekTarget(methodology(), rows, 'C', { rank: 1 }, { bounds: { a: { max: 85 }, b: { max: 40 } } });
		expect(r.reachable).toBe(false);
		expect(r.message).toMatch(/it gets score 67\.50, rank 2, grade good$/);
	});

	it('a target grade for a unit without a score is not already met', () => {
		const strict = methodology({ missing: { rule: 'skip', minCoverage: 0.6 } });
		const empty = [...rows.slice(0, 2), { unit: 'C', colA: '', colB: '' }];
		const r = seekTarget(strict, empty, 'C', { grade: 'poor' }, { indicators: ['a'] });
		expect(r).toMatchObject({ reachable: false, alreadyMet: false });
	});

	it('negative polarity: an unread value starts from the upper bound, and the lower bound limits the best', () => {
		const m = parseMethodology({
			id: 'neg',
			name: 'neg',
			root: {
				id: 'r',
				children: [
					{ id: 'good', column: 'g', bounds: { min: 0, max: 100 } },
					{ id: 'bad', column: 'x', polarity: 'negative', normalisation: { kind: 'goalposts', min: 0, max: 100 }, bounds: { min: 0, max: 100 } }
				]
			},
			ranking: { ties: 'unrounded', decimals: 2 }
		});
		// P = (90 + (100 − 20))/2 = 85. Q's x is unread: Q = 80 (g alone). x starts at its worst, 100, and Q = (80 + 100 − x)/2
		// ≥ 85 needs x = 10. Only P has an x (a range of 0), so a change costs |change| / |0 − 100|: 90/100.
		const unread = seekTarget(
			m,
			[
				{ unit: 'P', g: 90, x: 20 },
				{ unit: 'Q', g: 80, x: '' }
			],
			'Q',
			{ rank: 1 },
			{ indicators: ['bad'] }
		);
		expect(unread.changes.map((c) => [c.indicator, c.from, Math.round(c.to * 1e6) / 1e6])).toEqual([['bad', 100, 10]]);
		expect(unread.cost).toBeCloseTo(0.9, 6);
		// P = (80 + 80)/2 = 80, Q = (80 + 40)/2 = 60. x may not go below 40: Q at best (80 + 60)/2 = 70, second.
		const pq = [
			{ unit: 'P', g: 80, x: 20 },
			{ unit: 'Q', g: 80, x: 60 }
		];
		const floor = seekTarget(m, pq, 'Q', { rank: 1 }, { indicators: ['bad'], bounds: { bad: { min: 40 } } });
		expect(floor.message).toMatch(/it gets score 70\.00, rank 2, grade —$/);
		// Q's x is 30, already below the floor of 40: x stays; g up to 85 gives Q at best (85 + 70)/2 = 77.5.
		const below = seekTarget(m, [pq[0]!, { unit: 'Q', g: 70, x: 30 }], 'Q', { rank: 1 }, { bounds: { bad: { min: 40 }, good: { max: 85 } } });
		expect(below.message).toMatch(/it gets score 77\.50, rank 2, grade —$/);
	});

	it('refuses an unknown unit or grade, and a rank that is not a whole number ≥ 1', () => {
		expect(() => seekTarget(methodology(), rows, 'Z', { rank: 1 })).toThrow(/no unit 'Z'/);
		expect(() => seekTarget(methodology(), rows, 'C', { grade: 'excellent' })).toThrow(/no grade 'excellent' in methodology 'hand'/);
		for (const rank of [0, 1.5]) expect(() => seekTarget(methodology(), rows, 'C', { rank })).toThrow(/whole number ≥ 1/);
	});
});
