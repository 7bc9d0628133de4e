import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countContributions, rateContributions, type GroupFigures } from './contributions.ts';

const g = (key: string, numerator: number, denominator?: number): GroupFigures => ({
	key,
	label: key,
	numerator,
	...(denominator !== undefined ? { denominator } : {})
});

describe('what moved it: counts', () => {
	it('each group’s change, ranked by size; they add up to the total change', () => {
		// Base A 10, B 5 = 15; current A 7, B 12, C 3 = 22: +7 = −3 + 7 + 3.
		const r = countContributions([g('A', 10), g('B', 5)], [g('A', 7), g('B', 12), g('C', 3)]);
		expect(r).toMatchObject({ kind: 'count', base: 15, current: 22, change: 7 });
		expect(r.rows.map((x) => [x.key, x.effect])).toEqual([
			['B', 7],
			['A', -3],
			['C', 3]
		]);
		expect(r.rows[0]!.share).toBe(1);
	});
});

describe('what moved it: rates (symmetric shift-share)', () => {
	it('a fall inside one group is a rate effect of that group alone', () => {
		// A 90/100 both periods; B 40/50 (80 %) → 30/50 (60 %). R: 130/150 → 120/150, −6.667 points; B's weight 1/3: 1/3 × −20.
		const r = rateContributions([g('A', 90, 100), g('B', 40, 50)], [g('A', 90, 100), g('B', 30, 50)]);
		expect(r.change).toBeCloseTo(-20 / 3, 10);
		expect(r.rows[0]).toMatchObject({ key: 'B', base: { value: 80 }, current: { value: 60 } });
		expect(r.rows[0]!.rateEffect).toBeCloseTo(-20 / 3, 10);
		expect(r.rows[0]!.mixEffect).toBeCloseTo(0, 10);
		expect(r.rows[1]!.effect).toBeCloseTo(0, 10);
	});

	it('rates unchanged but the weight moved to the weaker group: all mix, centred on the mean rate', () => {
		// A 90 % with weight 2/3 → 1/3, B 80 % with 1/3 → 2/3. R 86.667 → 83.333; mean 85.
		// mix A = (90 − 85) × (−1/3) = −5/3; mix B = (80 − 85) × (+1/3) = −5/3.
		const r = rateContributions([g('A', 90, 100), g('B', 40, 50)], [g('A', 45, 50), g('B', 80, 100)]);
		expect(r.change).toBeCloseTo(-10 / 3, 10);
		for (const row of r.rows) {
			expect(row.rateEffect).toBeCloseTo(0, 10);
			expect(row.mixEffect).toBeCloseTo(-5 / 3, 10);
		}
	});

	it('a group only in the current period contributes its mix alone; no denominator, no change', () => {
		// Base A 50/100 = 50 %; current A 50/100, C 100/100: R 50 → 75. C: w 0 → 1/2, r 100 (as base too): mix (100 − 62.5) × 1/2 = 18.75; A: (50 − 62.5) × (−1/2) = 6.25.
		const r = rateContributions([g('A', 50, 100)], [g('A', 50, 100), g('C', 100, 100)]);
		expect(r.change).toBe(25);
		expect(r.rows.map((x) => [x.key, x.rateEffect, x.mixEffect])).toEqual([
			['C', 0, 18.75],
			['A', 0, 6.25]
		]);
		expect(rateContributions([], [g('A', 1, 2)]).change).toBeNull();
	});

	it('law: the parts always sum to the total change (counts and rates)', () => {
		const groups = fc.uniqueArray(
			fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), d: fc.integer({ min: 0, max: 10_000 }), p: fc.double({ min: 0, max: 1, noNaN: true }) }),
			{ selector: (x) => x.key, maxLength: 6 }
		);
		const figures = (xs: Array<{ key: string; d: number; p: number }>) => xs.map((x) => g(x.key, Math.round(x.d * x.p), x.d));
		// The totals worked here from the raw figures, not taken from the function: a change that followed wrong parts
		// (or parts and a change wrong alike) would otherwise still "sum up".
		const sums = (xs: Array<{ d: number; p: number }>) => xs.reduce<[number, number]>(([n, d], x) => [n + Math.round(x.d * x.p), d + x.d], [0, 0]);
		fc.assert(
			fc.property(groups, groups, (b, c) => {
				const rate = rateContributions(figures(b), figures(c));
				const [[n0, d0], [n1, d1]] = [sums(b), sums(c)];
				const change = d0 > 0 && d1 > 0 ? (n1 / d1 - n0 / d0) * 100 : null;
				const sum = rate.rows.reduce((s, r) => s + r.effect, 0);
				if (change === null) {
					expect(rate.change).toBeNull();
					expect(sum).toBe(0);
				} else {
					expect(Math.abs(rate.change! - change)).toBeLessThan(1e-9);
					expect(Math.abs(sum - change)).toBeLessThan(1e-9);
				}
				for (const r of rate.rows) expect(Math.abs(r.effect - (r.rateEffect! + r.mixEffect!))).toBeLessThan(1e-12);
				const count = countContributions(figures(b), figures(c));
				expect(count.change).toBe(n1 - n0);
				expect(count.rows.reduce((s, r) => s + r.effect, 0)).toBe(n1 - n0);
			})
		);
	});
});
