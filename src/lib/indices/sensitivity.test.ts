import { describe, expect, it } from 'vitest';
import { Random } from '../random.ts';
import { parseMethodology } from './methodology.ts';
import { firstOrderIndex, rankSensitivity } from './sensitivity.ts';

describe('the first-order index estimator', () => {
	const random = new Random(7);
	const n = 20_000;
	const x1 = Float64Array.from({ length: n }, () => random.next());
	const x2 = Float64Array.from({ length: n }, () => random.next());

	it('is 1 for a function of X alone, ≈ 0 for an unrelated X', () => {
		const y = x1.map((v) => v * v);
		expect(firstOrderIndex(x1, y)).toBeGreaterThan(0.99);
		expect(firstOrderIndex(x2, y)).toBeLessThan(0.01);
	});

	it('splits Y = X1 + X2 half and half (two independent uniforms: Var X1 / Var Y = 1/2)', () => {
		const y = x1.map((v, i) => v + x2[i]!);
		expect(firstOrderIndex(x1, y)).toBeCloseTo(0.5, 1);
		expect(firstOrderIndex(x2, y)).toBeCloseTo(0.5, 1);
	});

	it('is 0 for an interaction alone: Y = (X1 − ½)(X2 − ½) has E[Y | X1] = E[Y | X2] = 0', () => {
		const y = x1.map((v, i) => (v - 0.5) * (x2[i]! - 0.5));
		expect(firstOrderIndex(x1, y)).toBeLessThan(0.01);
		expect(firstOrderIndex(x2, y)).toBeLessThan(0.01);
	});

	it('is null when Y does not vary', () => {
		expect(firstOrderIndex(x1, new Float64Array(n).fill(3))).toBeNull();
	});
});

describe('the sensitivity of ranks to weights', () => {
	// Two groups; within 甲's and 乙's first group both indicators are equal, so the weights of A and B
	// cannot change a score; the only thing that decides who is first is G1's weight against G2's:
	// 甲 scores 100·w(G1), 乙 100·w(G2) — 甲 is first exactly when w(G1) > ½.
	const m = parseMethodology({
		id: 'hand',
		name: 'hand-worked',
		root: {
			id: 'total',
			children: [
				{
					id: 'G1',
					children: [
						{ id: 'A', column: 'a' },
						{ id: 'B', column: 'b' }
					]
				},
				{ id: 'G2', children: [{ id: 'C', column: 'c' }] }
			]
		}
	});
	const rows = [
		{ unit: '甲', a: 100, b: 100, c: 0 },
		{ unit: '乙', a: 0, b: 0, c: 100 }
	];

	it('finds the group weight decisive (S ≈ 1) and the weights that cannot matter at 0', () => {
		const r = rankSensitivity(m, rows, { draws: 4000, seed: 3 });
		const s = Object.fromEntries(r.weights.map((w) => [w.node, w]));
		expect(Object.keys(s).sort()).toEqual(['A', 'B', 'G1', 'G2']); // C is G2's only child: always 1
		expect(s.G1!.overall).toBeGreaterThan(0.9);
		expect(s.G2!.overall).toBeGreaterThan(0.9);
		expect(s.G1!.perUnit['甲']).toBeGreaterThan(0.9);
		expect(s.A!.overall).toBeLessThan(0.02);
		expect(s.B!.overall).toBeLessThan(0.02);
		expect(r.weights[0]!.node).toMatch(/^G[12]$/);
		expect(s.G1!.nominal).toBe(0.5);
	});

	it('gives null for a unit whose rank never moves', () => {
		const r = rankSensitivity(m, [...rows, { unit: '丙', a: 1000, b: 1000, c: 1000 }], { draws: 500, seed: 1 });
		for (const w of r.weights) expect(w.perUnit['丙']).toBeNull();
	});
});

describe('the sensitivity of ranks to weights, worked by hand for a fixed seed', () => {
	// Two indicators under the root, nominal weights 3 : 1 (¾, ¼), each drawn as nominal × (½ + u), u uniform
	// (spread ½), two uniforms a draw (A's, then C's). 甲 scores 100·wA/(wA+wC), 乙 360·wC/(wA+wC), so 甲 is
	// first exactly when 75·(½ + u1) > 90·(½ + u2), i.e. u1 > 0.1 + 1.2·u2 — and then A's share x is high.
	// The uniforms below are sfc32's (src/lib/random.ts) worked with a separate Python implementation of
	// sfc32, not with this code. Seed 9, draws (u1, u2): (.2331 .2557) (.1464 .7580) (.0477 .2901)
	// (.0105 .1617) (.7164 .2390)* (.8483 .9480) (.9600 .6739)* (.0376 .2548) (.6239 .7189) (.9794 .8637)
	// (.5944 .1578)* (.8064 .6153) — 甲 first in the 3 starred draws. Seed 5: (.9278 .5215)* (.4104 .2636)
	// (.3804 .6115) (.0949 .4914) (.7575 .1594)* (.1156 .1375) (.7420 .1101)* (.1161 .6071) (.7105 .5517)
	// (.9811 .1007)* (.8505 .6881) (.8180 .5283)* — 5 starred.
	// 12 draws sorted by x into 3 bins of 4 (the default: round(√12) = 3); 甲's ranks are 2 below the
	// threshold and 1 above it. With k draws first: Var(rank) = p(1 − p), p = k/12.
	// k = 3: bins [2 2 2 2] [2 2 2 2] [2 1 1 1]; mean 7/4, Var 3/16; between = ⅓(1/16 + 1/16 + 1/4) = 1/8;
	//   noise = ⅓ · (¾ ÷ 3) ÷ 4 = 1/48; S = (1/8 − 1/48) ÷ 3/16 = 5/9.
	// k = 5: bins [2 2 2 2] [2 2 2 1] [1 1 1 1]; mean 19/12, Var 35/144; between = ⅓(25 + 4 + 49)/144 = 26/144;
	//   noise = 3/144; S = 23/35.
	// 乙's ranks mirror 甲's, and C's share is 1 − x (the bins reversed): every figure is the same S.
	const m = parseMethodology({
		id: 'seeded',
		name: 'hand-worked, seeded',
		root: {
			id: 'total',
			children: [
				{ id: 'A', column: 'a', weight: 3 },
				{ id: 'C', column: 'c', weight: 1 }
			]
		}
	});
	const rows = [
		{ unit: '甲', a: 100, c: 0 },
		{ unit: '乙', a: 0, c: 360 }
	];
	const run = (seed: number) => rankSensitivity(m, rows, { draws: 12, seed, weights: { kind: 'uniform', spread: 0.5 } });

	it.each([
		[9, 5 / 9],
		[5, 23 / 35]
	])('seed %i gives S = %f for both weights and both units', (seed, expected) => {
		const r = run(seed);
		expect(r.draws).toBe(12);
		expect(r.weights.map((w) => [w.node, w.parent, w.nominal]).sort()).toEqual([
			['A', 'total', 0.75],
			['C', 'total', 0.25]
		]);
		for (const w of r.weights) {
			expect(w.overall).toBeCloseTo(expected, 9);
			expect(w.perUnit['甲']).toBeCloseTo(expected, 9);
			expect(w.perUnit['乙']).toBeCloseTo(expected, 9);
		}
	});
});
