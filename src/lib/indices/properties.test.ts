/** Properties of the engine, checked on random methodologies and data (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compute, evaluate, explain, normaliseAll, prepare } from './engine.ts';
import { parseMethodology, type Methodology } from './methodology.ts';
import { seekTarget, whatIf } from './simulate.ts';
import { runs } from '../../../test/helpers/property-runs.ts';

const normalisations = fc.constantFrom(
	{ kind: 'minMax' as const },
	{ kind: 'goalposts' as const, min: 0, max: 100 },
	{ kind: 'distanceToTarget' as const, target: 80 },
	{ kind: 'none' as const }
);

/** A two-level methodology with 2–5 indicators, and 3–12 units of data on 0–100. */
const scenario = fc
	.record({
		indicators: fc.array(fc.record({ weight: fc.double({ min: 0.1, max: 5, noNaN: true }), normalisation: normalisations, negative: fc.boolean() }), {
			minLength: 2,
			maxLength: 5
		}),
		geometric: fc.boolean(),
		units: fc.integer({ min: 3, max: 12 })
	})
	.chain(({ indicators, geometric, units }) =>
		fc.record({
			methodology: fc.constant(
				parseMethodology({
					id: 'p',
					name: 'p',
					root: {
						id: 'root',
						aggregation: geometric ? 'geometric' : 'arithmetic',
						children: indicators.map((i, k) => ({
							id: `i${k}`,
							column: `c${k}`,
							weight: i.weight,
							normalisation: i.normalisation,
							polarity: i.negative ? 'negative' : 'positive',
							bounds: { min: 0, max: 100 }
						}))
					},
					ranking: { ties: 'unrounded', decimals: 6 }
				})
			),
			rows: fc.array(
				fc
					.tuple(...indicators.map(() => fc.double({ min: 1, max: 99, noNaN: true })))
					.map((values) => Object.fromEntries(values.map((v, k) => [`c${k}`, Math.round(v * 100) / 100]))),
				{ minLength: units, maxLength: units }
			)
		})
	)
	.map(({ methodology, rows }) => ({
		methodology: methodology as Methodology,
		rows: rows.map((r, i): Record<string, number | string> => ({ unit: `u${i}`, ...r }))
	}));

describe('properties', () => {
	it('raising an indicator with positive polarity never lowers a unit’s score (fixed goalposts)', () => {
		fc.assert(
			fc.property(scenario, fc.nat(), fc.nat(), fc.double({ min: 0.01, max: 50, noNaN: true }), ({ methodology, rows }, unitPick, indicatorPick, raise) => {
				const leaves = methodology.root.children;
				const k = indicatorPick % leaves.length;
				const leaf = leaves[k] as { polarity: string; normalisation: { kind: string } };
				fc.pre(leaf.polarity === 'positive' && leaf.normalisation.kind !== 'minMax');
				const u = unitPick % rows.length;
				const before = compute(methodology, rows).units[u]!.score!;
				const raised = rows.map((r, i) => (i === u ? { ...r, [`c${k}`]: Math.min(100, (r[`c${k}`] as number) + raise) } : r));
				const after = compute(methodology, raised).units[u]!.score!;
				expect(after).toBeGreaterThanOrEqual(before - 1e-9);
			}),
			{ numRuns: runs(300) }
		);
	});

	it('raising an indicator never lowers the unit’s rank, even when min-max bounds move', () => {
		fc.assert(
			fc.property(scenario, fc.nat(), fc.nat(), fc.double({ min: 0.01, max: 50, noNaN: true }), ({ methodology, rows }, unitPick, indicatorPick, raise) => {
				const leaves = methodology.root.children;
				const k = indicatorPick % leaves.length;
				fc.pre((leaves[k] as { polarity: string }).polarity === 'positive' && methodology.root.aggregation === 'arithmetic');
				const u = unitPick % rows.length;
				const before = compute(methodology, rows).units[u]!.rank!;
				const raised = rows.map((r, i) => (i === u ? { ...r, [`c${k}`]: (r[`c${k}`] as number) + raise } : r));
				expect(compute(methodology, raised).units[u]!.rank!).toBeLessThanOrEqual(before);
			}),
			{ numRuns: runs(300) }
		);
	});

	it('uniform weights give the plain mean', () => {
		fc.assert(
			fc.property(
				fc.array(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 10 }),
				(table) => {
					const m = parseMethodology({
						id: 'm',
						name: 'm',
						root: { id: 'r', children: [0, 1, 2, 3].map((k) => ({ id: `i${k}`, column: `c${k}`, weight: 7 })) }
					});
					const rows = table.map((values, i) => ({ unit: `u${i}`, ...Object.fromEntries(values.map((v, k) => [`c${k}`, v])) }));
					compute(m, rows).units.forEach((u, i) => expect(u.score!).toBeCloseTo(table[i]!.reduce((s, v) => s + v, 0) / 4, 9));
				}
			),
			{ numRuns: runs(100) }
		);
	});

	it('a unit’s rank never improves when only its own indicators worsen, whatever the normalisation or aggregation', () => {
		fc.assert(
			fc.property(
				scenario,
				fc.nat(),
				fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 5, maxLength: 5 }),
				({ methodology, rows }, pick, drops) => {
					const u = pick % rows.length;
					// Every indicator of unit u moves the wrong way (down for positive polarity, up for negative), by its own amount.
					const worse = { ...rows[u]! };
					methodology.root.children.forEach((l, k) => {
						const leaf = l as { polarity: string };
						const v = worse[`c${k}`] as number;
						worse[`c${k}`] = leaf.polarity === 'positive' ? Math.max(1, v - drops[k]!) : Math.min(99, v + drops[k]!);
					});
					const before = compute(methodology, rows).units[u]!.rank!;
					const after = compute(
						methodology,
						rows.map((r, i) => (i === u ? worse : r))
					).units[u]!.rank!;
					expect(after).toBeGreaterThanOrEqual(before);
				}
			),
			{ numRuns: runs(300) }
		);
	});

	it('a what-if that changes nothing changes no score or rank; one that changes a value moves only that unit (fixed bounds)', () => {
		fc.assert(
			fc.property(scenario, fc.nat(), fc.double({ min: 1, max: 99, noNaN: true }), ({ methodology, rows }, pick, value) => {
				const u = rows[pick % rows.length]!;
				const same = { values: { [String(u.unit)]: { i0: u.c0 as number } }, weights: { i1: methodology.root.children[1]!.weight } };
				for (const c of whatIf(methodology, rows, same).changes) {
					expect(c.scoreDelta).toBe(0);
					expect(c.rankDelta).toBe(0);
					expect(c.gradeChanged).toBe(false);
				}
				// Normalisations with fixed bounds: another unit's score cannot depend on u's value.
				fc.pre((methodology.root.children[0] as { normalisation: { kind: string } }).normalisation.kind !== 'minMax');
				const moved = whatIf(methodology, rows, { values: { [String(u.unit)]: { i0: value } } }).changes;
				for (const c of moved) if (c.unit !== u.unit) expect(c.scoreDelta).toBe(0);
				const mine = moved.find((c) => c.unit === u.unit)!;
				// And u's score moves the way its value moved, given the polarity (or not at all, past a cap).
				const sign = Math.sign(value - (u.c0 as number)) * ((methodology.root.children[0] as { polarity: string }).polarity === 'positive' ? 1 : -1);
				expect(Math.sign(mine.scoreDelta!) * sign).toBeGreaterThanOrEqual(0);
			}),
			{ numRuns: runs(200) }
		);
	});

	it('shares sum to 100 %: the effective weights of a fully observed unit add up to 1, and its indicators’ points to its score', () => {
		fc.assert(
			fc.property(scenario, fc.nat(), ({ methodology, rows }, pick) => {
				const p = prepare(methodology, rows);
				const ev = evaluate(p, normaliseAll(p));
				const unit = String(rows[pick % rows.length]!.unit);
				const e = explain(p, ev, unit);
				fc.pre(e.score !== null && e.score > 0 && e.contributions.every((c) => c.value !== null && c.value > 0));
				// Weights as the document gives them, normalised by hand: w_k / Σ w.
				const total = methodology.root.children.reduce((s, c) => s + c.weight, 0);
				e.contributions.forEach((c, k) => expect(c.weight).toBeCloseTo(methodology.root.children[k]!.weight / total, 9));
				expect(e.contributions.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 9);
				expect(e.contributions.reduce((s, c) => s + c.points, 0)).toBeCloseTo(e.score, 6);
			}),
			{ numRuns: runs(200) }
		);
	});

	it('target seeking’s answer, applied, reaches the target — or it says the target cannot be reached', () => {
		fc.assert(
			fc.property(scenario, fc.nat(), fc.integer({ min: 1, max: 3 }), ({ methodology, rows }, pick, rank) => {
				const unit = String(rows[pick % rows.length]!.unit);
				const r = seekTarget(methodology, rows, unit, { rank });
				if (!r.reachable) {
					// Every indicator at its best bound still falls short.
					const best = rows.map((row) =>
						row.unit !== unit
							? row
							: {
									...row,
									...Object.fromEntries(
										methodology.root.children.map((l) => {
											const leaf = l as { column: string; polarity: string };
											return [leaf.column, leaf.polarity === 'positive' ? 100 : 0];
										})
									)
								}
					);
					expect(compute(methodology, best).units.find((x) => x.unit === unit)!.rank!).toBeGreaterThan(rank);
					return;
				}
				const applied = rows.map((row) => (row.unit !== unit ? row : { ...row, ...Object.fromEntries(r.changes.map((c) => [c.column, c.to])) }));
				expect(compute(methodology, applied).units.find((x) => x.unit === unit)!.rank!).toBeLessThanOrEqual(rank);
			}),
			{ numRuns: runs(150) }
		);
	});
});
