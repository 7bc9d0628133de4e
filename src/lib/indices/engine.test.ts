import { describe, expect, it } from 'vitest';
import { compute, explain, evaluate, normaliseAll, prepare, rankScores, gradeOf } from './engine.ts';
import { normalise, wilsonLowerBound, transform } from './normalise.ts';
import { parseMethodology, MethodologyError } from './methodology.ts';

const col = (...v: number[]) => Float64Array.from(v);
const round = (a: Float64Array, d = 6) => Array.from(a, (x) => (Number.isNaN(x) ? NaN : Math.round(x * 10 ** d) / 10 ** d));

describe('normalisations, on hand-worked cases', () => {
	it('min-max onto 0–100, and reversed for negative polarity', () => {
		expect(round(normalise(col(10, 20, 30, NaN), { kind: 'minMax' }, 'positive'))).toEqual([0, 50, 100, NaN]);
		expect(round(normalise(col(10, 20, 30), { kind: 'minMax', scale: [0, 1] }, 'negative'))).toEqual([1, 0.5, 0]);
		expect(round(normalise(col(5, 5), { kind: 'minMax' }, 'positive'))).toEqual([50, 50]);
	});

	it('z-score with the population standard deviation, and z-score then min-max', () => {
		// mean 4, sd 2
		expect(round(normalise(col(2, 4, 6), { kind: 'zScore' }, 'positive'))).toEqual([-1.224745, 0, 1.224745]);
		expect(round(normalise(col(2, 4, 4, 4, 5, 5, 7, 9), { kind: 'zScore' }, 'positive'))).toEqual([-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2]);
		expect(round(normalise(col(2, 4, 6), { kind: 'zScoreMinMax', scale: [0, 1] }, 'positive'))).toEqual([0, 0.5, 1]);
	});

	it('distance to target, capped at the target', () => {
		expect(round(normalise(col(50, 100, 150), { kind: 'distanceToTarget', target: 100 }, 'positive'))).toEqual([50, 100, 100]);
		expect(round(normalise(col(50, 200), { kind: 'distanceToTarget', target: 100, scale: [0, 1] }, 'negative'))).toEqual([1, 0.5]);
	});

	it('goalposts, clamped', () => {
		expect(round(normalise(col(-5, 9, 18, 20), { kind: 'goalposts', min: 0, max: 18, scale: [0, 1] }, 'positive'))).toEqual([0, 0.5, 1, 1]);
	});

	it('rank and percentile, ties sharing', () => {
		expect(round(normalise(col(3, 1, 2, 2), { kind: 'rank' }, 'positive'))).toEqual([100, 0, 50, 50]);
		expect(round(normalise(col(3, 1, 2, 2), { kind: 'percentile' }, 'positive'))).toEqual([100, 0, 50, 50]);
	});

	it('log and winsorising transforms', () => {
		expect(round(transform(col(1, Math.E, 0), { kind: 'log' }))).toEqual([0, 1, NaN]);
		expect(round(transform(col(1, 2, 3, 4, 100), { kind: 'winsorise', lower: 0.25, upper: 0.75 }))).toEqual([2, 2, 3, 4, 4]);
	});

	it('the Wilson lower bound keeps small samples from the top', () => {
		expect(wilsonLowerBound(3, 3)).toBeCloseTo(0.4385, 4);
		expect(wilsonLowerBound(9950, 10_000)).toBeCloseTo(0.99345, 4);
		expect(wilsonLowerBound(0, 0)).toBeNaN();
	});
});

describe('ranks and grades', () => {
	const scores = [96.73, 96.73, 93.93, 91.9, 91.9, 91.33, NaN];
	it('shared: 1,1,3', () => expect(rankScores(scores, 'shared', 2)).toEqual([1, 1, 3, 4, 4, 6, null]));
	it('dense: 1,1,2', () => expect(rankScores(scores, 'dense', 2)).toEqual([1, 1, 2, 3, 3, 4, null]));
	it('by unrounded value', () => expect(rankScores([0.7155, 0.715533, 0.7], 'unrounded', 4)).toEqual([2, 1, 3]));
	it('display rounding decides ties', () => expect(rankScores([0.7155, 0.715533, 0.7], 'shared', 4)).toEqual([1, 1, 3]));

	it('bands with their boundary rule', () => {
		const bands = parseMethodology({
			id: 'x',
			name: 'x',
			root: { id: 'r', children: [{ id: 'a', column: 'a' }] },
			grades: [
				{ id: 'veryHigh', label: '非常高', min: 90, minInclusive: false },
				{ id: 'high', label: '高', min: 80 },
				{ id: 'medium', label: '中' }
			]
		}).grades;
		expect([90.01, 90, 80, 79.99].map((s) => gradeOf(s, bands)?.id)).toEqual(['veryHigh', 'high', 'high', 'medium']);
		expect(gradeOf(NaN, bands)).toBeNull();
	});
});

describe('aggregation and missing data', () => {
	const doc = (extra: object = {}) =>
		parseMethodology({
			id: 't',
			name: 't',
			root: {
				id: 'total',
				children: [
					{
						id: 'g1',
						weight: 3,
						children: [
							{ id: 'a', column: 'a', weight: 1 },
							{ id: 'b', column: 'b', weight: 3 }
						]
					},
					{ id: 'c', column: 'c', weight: 1 }
				]
			},
			...extra
		});
	const rows = [
		{ unit: 'A', a: 40, b: 80, c: 100, region: 'n' },
		{ unit: 'B', a: 60, b: '', c: 20, region: 'n' },
		{ unit: 'C', a: '', b: '', c: 50, region: 's' }
	];

	it('weighted arithmetic, weights normalised', () => {
		const r = compute(doc(), rows);
		// A: g1 = (40 + 3·80)/4 = 70; total = (3·70 + 100)/4 = 77.5
		expect(r.units[0]!.nodes.g1).toBe(70);
		expect(r.units[0]!.score).toBe(77.5);
	});

	it('skip and re-weight, down to a minimum coverage', () => {
		const r = compute(doc({ missing: { rule: 'skip', minCoverage: 0.2 } }), rows);
		// B: b missing → g1 = 60 (coverage 1/4); total = (3·60 + 20)/4 = 50, coverage 3/4·1/4 + 1/4 = 0.4375
		expect(r.units[1]!.nodes.g1).toBe(60);
		expect(r.units[1]!.score).toBe(50);
		expect(r.units[1]!.coverage).toBeCloseTo(0.4375, 10);
		// C: g1 empty → total = c alone = 50 with coverage 0.25 ≥ 0.2
		expect(r.units[2]!.score).toBe(50);
		const strict = compute(doc({ missing: { rule: 'skip', minCoverage: 0.5 } }), rows);
		expect(strict.units[1]!.score).toBeNull(); // 0.4375 < 0.5
		expect(strict.units[1]!.rank).toBeNull();
	});

	it('impute by group mean', () => {
		const r = compute(doc({ missing: { rule: 'groupMean', groupColumn: 'region', minCoverage: 0 } }), rows);
		// B's b imputed from its region n (A: 80): g1 = (60 + 240)/4 = 75; total = (225 + 20)/4 = 61.25
		expect(r.units[1]!.score).toBe(61.25);
		// C in region s has no a or b values: the mean of all units is used (a: 50, b: 80) → g1 = 72.5
		expect(r.units[2]!.nodes.g1).toBe(72.5);
	});

	it('impute by the mean of all units when there is no group column', () => {
		const r = compute(doc({ missing: { rule: 'groupMean', minCoverage: 0 } }), rows);
		// One group of all units: b's mean is A's 80, a's (40 + 60)/2 = 50. B: g1 = (60 + 3·80)/4 = 75, total 61.25;
		// C: g1 = (50 + 3·80)/4 = 72.5.
		expect(r.units[1]!.score).toBe(61.25);
		expect(r.units[2]!.nodes.g1).toBe(72.5);
	});

	it('weighted geometric, and zero makes zero', () => {
		const m = parseMethodology({
			id: 'g',
			name: 'g',
			root: {
				id: 'r',
				aggregation: 'geometric',
				children: [
					{ id: 'a', column: 'a', weight: 1 },
					{ id: 'b', column: 'b', weight: 3 }
				]
			}
		});
		const r = compute(m, [
			{ unit: 'A', a: 16, b: 2 },
			{ unit: 'B', a: 0, b: 50 },
			{ unit: 'C', a: '', b: 8 }
		]);
		// Both factors above 1, so the weights decide: 16^(1/4)·2^(3/4) = 2^(7/4) ≈ 3.3636 (equal weights would give
		// 2^(5/2) ≈ 5.66, swapped ones 2^(13/4) ≈ 9.51).
		expect(r.units[0]!.score).toBeCloseTo(2 ** (7 / 4), 12);
		expect(r.units[1]!.score).toBe(0);
		// a missing: re-weighted over b alone (coverage 3/4 ≥ 0.5), 8^(3/3) = 8, not 8^(3/4).
		expect(r.units[2]!.score).toBeCloseTo(8, 12);
	});

	it('a factor of weight 0 leaves the geometric mean as it is, even at 0', () => {
		const m = parseMethodology({
			id: 'g',
			name: 'g',
			root: {
				id: 'r',
				aggregation: 'geometric',
				children: [
					{ id: 'a', column: 'a', weight: 1 },
					{ id: 'b', column: 'b', weight: 3 },
					{ id: 'c', column: 'c', weight: 0 }
				]
			}
		});
		// 16^(1/4)·2^(3/4)·0^0 = 2^(7/4) ≈ 3.3636 whatever c is; a zero in a weighted factor still makes zero.
		const r = compute(m, [
			{ unit: 'A', a: 16, b: 2, c: 0 },
			{ unit: 'B', a: 16, b: 2, c: 5 },
			{ unit: 'C', a: 0, b: 2, c: 5 }
		]);
		expect(r.units[0]!.score).toBeCloseTo(2 ** (7 / 4), 12);
		expect(r.units[1]!.score).toBeCloseTo(2 ** (7 / 4), 12);
		expect(r.units[2]!.score).toBe(0);
	});

	it('explains a score by its indicators, and the gap to the unit above', () => {
		const m = doc();
		const p = prepare(
			m,
			rows.slice(0, 2).map((r) => ({ ...r, b: 70 }))
		);
		const ev = evaluate(p, normaliseAll(p));
		const e = explain(p, ev, 'B');
		// By hand: B = (3·(60 + 3·70)/4 + 20)/4 = 55.625 (a 60·3/16 = 11.25, b 70·9/16 = 39.375, c 20/4 = 5);
		// A = (3·(40 + 3·70)/4 + 100)/4 = 71.875; the gap 16.25 = a (40 − 60)·3/16 = −3.75, b 0, c (100 − 20)/4 = 20.
		expect(e.score).toBeCloseTo(55.625, 10);
		expect(e.contributions.map((c) => [c.indicator, c.points])).toEqual([
			['a', 11.25],
			['b', 39.375],
			['c', 5]
		]);
		expect(e.contributions.find((c) => c.indicator === 'b')!.weight).toBeCloseTo(0.75 * 0.75, 12);
		expect(e.above!.unit).toBe('A');
		expect(e.above!.score).toBeCloseTo(71.875, 10);
		expect(Object.fromEntries(e.above!.gap.map((g) => [g.indicator, g.points]))).toEqual({ a: -3.75, b: 0, c: 20 });
	});
});

describe('methodology documents', () => {
	it('name the path of every problem', () => {
		expect(() => parseMethodology({ id: 'x', name: 'x', root: { id: 'r', children: [{ id: 'a' }, { id: 'a', column: 'b', weight: -1 }] } })).toThrow(
			MethodologyError
		);
		expect(() => parseMethodology({ id: 'x', name: 'x', root: { id: 'r', children: [{ id: 'a', column: 'a', weight: -1 }] } })).toThrow(
			/root\.children\.0\.weight/
		);
	});

	it('refuse data without the columns they read, and duplicate units', () => {
		const m = parseMethodology({ id: 'x', name: 'x', root: { id: 'r', children: [{ id: 'a', column: 'a' }] } });
		expect(() => compute(m, [{ unit: 'A', b: 1 }])).toThrow(/no column 'a'/);
		expect(() =>
			compute(m, [
				{ unit: 'A', a: 1 },
				{ unit: 'A', a: 2 }
			])
		).toThrow(/appears twice/);
		expect(() => compute(m, [{ a: 1 }])).toThrow(/no unit in column 'unit'/);
	});
});

describe('explanations, worked by hand (mutation survivors of explain)', () => {
	// total = ¾ g1 + ¼ c, g1 = ¼ a + ¾ b, values as they are: effective weights a 3/16, b 9/16, c 1/4.
	const m = parseMethodology({
		id: 'x',
		name: 'x',
		root: {
			id: 'total',
			children: [
				{
					id: 'g1',
					weight: 3,
					children: [
						{ id: 'a', column: 'a', weight: 1 },
						{ id: 'b', column: 'b', weight: 3 }
					]
				},
				{ id: 'c', column: 'c', weight: 1 }
			]
		},
		missing: { rule: 'skip', minCoverage: 0 }
	});
	// P: g1 = (40 + 240)/4 = 70, total = (210 + 100)/4 = 77.5. Q: g1 = 60, total = (180 + 20)/4 = 50.
	// R and S: g1 = (20 + 120)/4 = 35, total = (105 + 60)/4 = 41.25 (a tie).
	const P = { unit: 'P', a: 40, b: 80, c: 100 };
	const Q = { unit: 'Q', a: 60, b: 60, c: 20 };
	const R = { unit: 'R', a: 20, b: 40, c: 60 };
	const S = { unit: 'S', a: 20, b: 40, c: 60 };
	const explained = (rows: Array<Record<string, unknown>>, unit: string) => {
		const p = prepare(m, rows);
		return explain(p, evaluate(p, normaliseAll(p)), unit);
	};

	it('the unit just above is the lowest score strictly higher, wherever it stands in the table', () => {
		for (const rows of [
			[Q, P, R, S],
			[P, Q, R, S]
		]) {
			const e = explained(rows, 'R');
			expect(e.score).toBe(41.25);
			// R: a 3/16·20 = 3.75, b 9/16·40 = 22.5, c ¼·60 = 15. Q: a 3/16·60 = 11.25, b 9/16·60 = 33.75, c ¼·20 = 5.
			expect(e.contributions.map((c) => [c.indicator, c.weight, c.points])).toEqual([
				['a', 3 / 16, 3.75],
				['b', 9 / 16, 22.5],
				['c', 1 / 4, 15]
			]);
			expect(e.above!.unit).toBe('Q');
			expect(e.above!.score).toBe(50);
			// The gap, largest first: b 33.75 − 22.5 = 11.25, a 11.25 − 3.75 = 7.5, c 5 − 15 = −10.
			expect(e.above!.gap).toEqual([
				{ indicator: 'b', points: 11.25 },
				{ indicator: 'a', points: 7.5 },
				{ indicator: 'c', points: -10 }
			]);
		}
		expect(explained([Q, P, R, S], 'Q').above!.unit).toBe('P');
		// Two units level just above: the first in the table is named.
		expect(explained([P, Q, { ...Q, unit: 'Q2' }, R], 'R').above!.unit).toBe('Q');
		expect(explained([Q, P, R, S], 'P').above).toBeUndefined();
		expect(() => explained([Q, P, R, S], 'Z')).toThrow(/no unit 'Z'/);
	});

	it('a missing indicator has no weight and no points; the others share its node', () => {
		// b missing: g1 = a alone = 40 (all of g1's weight), total = (3·40 + 100)/4 = 55: a ¾·40 = 30, c ¼·100 = 25.
		const e = explained([{ unit: 'M', a: 40, b: '', c: 100 }, Q], 'M');
		expect(e.score).toBe(55);
		expect(e.contributions.map((c) => [c.indicator, c.value, c.weight, c.points])).toEqual([
			['a', 40, 3 / 4, 30],
			['b', null, 0, 0],
			['c', 100, 1 / 4, 25]
		]);
	});

	it('a group whose weights are all 0 has no score, and its indicators no weight and no points', () => {
		// g0 weighs a and b at 0 (what-if can set that): it has no score, so the total is c alone (the skip rule).
		const z = parseMethodology({
			id: 'z',
			name: 'z',
			root: {
				id: 'total',
				children: [
					{
						id: 'g0',
						children: [
							{ id: 'a', column: 'a', weight: 0 },
							{ id: 'b', column: 'b', weight: 0 }
						]
					},
					{ id: 'c', column: 'c', weight: 1 }
				]
			},
			missing: { rule: 'skip', minCoverage: 0 }
		});
		const p = prepare(z, [
			{ unit: 'Z', a: 40, b: 80, c: 60 },
			{ unit: 'Y', a: 10, b: 20, c: 30 }
		]);
		const e = explain(p, evaluate(p, normaliseAll(p)), 'Z');
		expect(e.score).toBe(60);
		expect(e.contributions.map((c) => [c.indicator, c.value, c.weight, c.points])).toEqual([
			['a', 40, 0, 0],
			['b', 80, 0, 0],
			['c', 60, 1, 60]
		]);
	});

	it('under a geometric node, points in proportion to each weighted log-value', () => {
		const g = parseMethodology({
			id: 'g',
			name: 'g',
			root: {
				id: 'r',
				aggregation: 'geometric',
				children: [
					{ id: 'a', column: 'a', weight: 1 },
					{ id: 'b', column: 'b', weight: 3 }
				]
			}
		});
		const p = prepare(g, [
			{ unit: 'A', a: 16, b: 2 },
			{ unit: 'O', a: 1, b: 1 }
		]);
		const ev = evaluate(p, normaliseAll(p));
		// A = 16^¼ · 2^¾ = 2^(7/4); logs 1·ln 16 = 4 ln 2 and 3·ln 2: a has 4/7 of the score, b 3/7.
		const a = explain(p, ev, 'A');
		expect(a.contributions.map((c) => c.weight)).toEqual([1 / 4, 3 / 4]);
		expect(a.contributions[0]!.points).toBeCloseTo((2 ** (7 / 4) * 4) / 7, 12);
		expect(a.contributions[1]!.points).toBeCloseTo((2 ** (7 / 4) * 3) / 7, 12);
		// O = 1: every log is 0, so the score is shared by weight: ¼ and ¾.
		const o = explain(p, ev, 'O');
		expect(o.score).toBe(1);
		expect(o.contributions.map((c) => c.points)).toEqual([1 / 4, 3 / 4]);
	});
});

describe('reading the table (mutation survivors of prepare)', () => {
	const m = parseMethodology({
		id: 'r',
		name: 'r',
		root: {
			id: 'r',
			children: [
				{ id: 'a', column: 'a' },
				{ id: 'share', ratio: { numerator: 'n', denominator: 'd', multiplier: 100 } }
			]
		}
	});

	it('trims unit names, names the row without a unit, and asks for the columns of a ratio too', () => {
		// ' A ' is unit A: a = 10, share = 1/4·100 = 25, score (10 + 25)/2 = 17.5.
		expect(compute(m, [{ unit: ' A ', a: 10, n: 1, d: 4 }]).units.map((u) => [u.unit, u.score])).toEqual([['A', 17.5]]);
		expect(() =>
			compute(m, [
				{ unit: 'A', a: 1, n: 1, d: 2 },
				{ unit: '  ', a: 1, n: 1, d: 2 }
			])
		).toThrow(/^row 2 has no unit in column 'unit'$/);
		expect(() => compute(m, [{ unit: null, a: 1, n: 1, d: 2 }])).toThrow(/^row 1 has no unit/);
		expect(() => compute(m, [{ unit: 'A', a: 1, n: 1 }])).toThrow(/^the data has no column 'd'$/);
		expect(() => compute(m, [{ unit: 'A', n: 1 }])).toThrow(/^the data has no column 'a', 'd'$/);
		// An empty table lacks no column: no units, no error.
		expect(compute(m, []).units).toEqual([]);
	});
});
