import { describe, expect, it } from 'vitest';
import { OTHER_KEY, cellOf, pivotTable } from './pivot.ts';

const RATE = { kind: 'ratio' as const, scale: 100 };
const COUNT = { kind: 'count' as const, scale: 1 };

describe('pivot table', () => {
	it('a rate’s totals are ratios of sums, not means of rates (hand figures)', () => {
		// A × x: 9/10 = 90 %; A × y: 1/10 = 10 %; B × x: 50/100 = 50 %; B × y has no events.
		const t = pivotTable(
			[
				{ row: 'A', column: 'x', numerator: 9, denominator: 10 },
				{ row: 'A', column: 'y', numerator: 1, denominator: 10 },
				{ row: 'B', column: 'x', numerator: 50, denominator: 100 }
			],
			RATE,
			{ rows: { limit: 30 }, columns: { limit: 24 } }
		);
		// Rows by weight: B (100) before A (20); columns: x (110) before y (10).
		expect(t.rows.map((r) => r.key)).toEqual(['B', 'A']);
		expect(t.columns.map((c) => c.key)).toEqual(['x', 'y']);
		expect(t.cells[1]![0]).toEqual({ value: 90, numerator: 9, denominator: 10 });
		expect(t.cells[0]![1]).toEqual({ value: null, numerator: 0, denominator: 0 });
		// Row A: 10/20 = 50 % (the mean of 90 % and 10 % is 50 % too — column x shows the difference).
		expect(t.rowTotals[1]).toEqual({ value: 50, numerator: 10, denominator: 20 });
		// Column x: 59/110 = 53.63…%, not (90 + 50) / 2 = 70 %.
		expect(t.columnTotals[0]!.value).toBeCloseTo((59 / 110) * 100, 12);
		expect(t.columnTotals[0]).toMatchObject({ numerator: 59, denominator: 110 });
		expect(t.total).toMatchObject({ numerator: 60, denominator: 120, value: 50 });
		expect(t.folded).toEqual({ rows: 0, columns: 0 });
	});

	it('folds the smallest values into 其他 beyond the limit; the totals keep every event', () => {
		// Five rows of counts 50, 40, 30, 20, 10 over one column; limit 3: two kept, three folded (30 + 20 + 10 = 60).
		const entries = [50, 40, 30, 20, 10].map((n, i) => ({ row: `r${i}`, column: 'c', numerator: n, denominator: null }));
		const t = pivotTable(entries, COUNT, { rows: { limit: 3 }, columns: { limit: 24 } });
		expect(t.rows).toEqual([
			{ key: 'r0', folded: 0 },
			{ key: 'r1', folded: 0 },
			{ key: OTHER_KEY, folded: 3 }
		]);
		expect(t.cells.map((r) => r[0]!.value)).toEqual([50, 40, 60]);
		expect(t.total.value).toBe(150);
		expect(t.columnTotals[0]!.value).toBe(150);
		expect(t.folded).toEqual({ rows: 3, columns: 0 });
		// Exactly at the limit nothing folds.
		expect(pivotTable(entries.slice(0, 3), COUNT, { rows: { limit: 3 }, columns: { limit: 24 } }).rows.map((r) => r.key)).toEqual(['r0', 'r1', 'r2']);
	});

	it('a time axis keeps its buckets in order, empty ones included, and never folds', () => {
		const t = pivotTable(
			[
				{ row: 'A', column: '2026-03', numerator: 5, denominator: null },
				{ row: 'A', column: '2026-01', numerator: 7, denominator: null }
			],
			COUNT,
			{ rows: { limit: 30 }, columns: { limit: 2, fixed: ['2026-01', '2026-02', '2026-03'] } }
		);
		expect(t.columns.map((c) => c.key)).toEqual(['2026-01', '2026-02', '2026-03']);
		expect(t.cells[0]!.map((c) => c.value)).toEqual([7, 0, 5]);
		expect(t.rowTotals[0]!.value).toBe(12);
	});

	it('the same pair given twice adds up; equal weights order by key', () => {
		const t = pivotTable(
			[
				{ row: 'b', column: 'x', numerator: 1, denominator: 2 },
				{ row: 'a', column: 'x', numerator: 1, denominator: 2 },
				{ row: 'a', column: 'x', numerator: 0, denominator: 0 }
			],
			RATE,
			{ rows: { limit: 30 }, columns: { limit: 24 } }
		);
		expect(t.rows.map((r) => r.key)).toEqual(['a', 'b']);
		expect(cellOf(RATE, 3, 0).value).toBeNull();
		expect(cellOf(COUNT, 3, null)).toEqual({ value: 3, numerator: 3, denominator: null });
	});
});
