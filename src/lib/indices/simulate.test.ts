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

	it('refuses an unknown unit or grade, and a rank that is not a whole number ≥ 1', () => {
		expect(() => seekTarget(methodology(), rows, 'Z', { rank: 1 })).toThrow(/no unit 'Z'/);
		expect(() => seekTarget(methodology(), rows, 'C', { grade: 'excellent' })).toThrow(/no grade 'excellent' in methodology 'hand'/);
		for (const rank of [0, 1.5]) expect(() => seekTarget(methodology(), rows, 'C', { rank })).toThrow(/whole number ≥ 1/);
	});
});
