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

	it('is seeded: the same draws give the same answer', () => {
		expect(rankSensitivity(m, rows, { draws: 200, seed: 9 })).toEqual(rankSensitivity(m, rows, { draws: 200, seed: 9 }));
	});
});
