/**
 * A pivot table (rows × columns) from the parts of an indicator per pair of
 * dimension values: every cell, row total, column total and the grand total is
 * the measure of SUMMED parts (a rate is Σ numerators / Σ denominators, never a
 * mean of rates). Bounded: an axis keeps its largest values (by weight: the
 * denominator of a rate, the count of a count) and folds the rest into one
 * 「其他」, so the totals still hold every event. A time axis is never folded
 * (its buckets are in calendar order; the caller refuses too many). Pure.
 */

/** The key of the folded row or column. */
export const OTHER_KEY = '__other__';
export const OTHER_LABEL = '其他';

/** What a cell adds up: a count (numerator only) or a ratio's numerator and denominator. */
export interface PivotParts {
	numerator: number;
	denominator: number | null;
}

export interface PivotCell extends PivotParts {
	/** The measure of the parts: the count, or numerator / denominator × scale (null when the denominator is 0). */
	value: number | null;
}

export interface PivotAxisSpec {
	/** At most this many rows (columns), 其他 included. */
	limit: number;
	/** A time axis: every bucket in calendar order, none folded. */
	fixed?: readonly string[];
}

export interface PivotAxisKey {
	key: string;
	/** Values folded into this one (其他 only; 0 otherwise). */
	folded: number;
}

export interface PivotTable {
	rows: PivotAxisKey[];
	columns: PivotAxisKey[];
	/** cells[row][column], in the order of `rows` and `columns`. */
	cells: PivotCell[][];
	rowTotals: PivotCell[];
	columnTotals: PivotCell[];
	total: PivotCell;
	/** How many values each axis folded into 其他 (0: nothing folded). */
	folded: { rows: number; columns: number };
}

export interface PivotMeasure {
	kind: 'count' | 'ratio';
	/** numerator / denominator × scale (100 for a percentage). */
	scale: number;
}

/** The measure of summed parts. */
export function cellOf(m: PivotMeasure, numerator: number, denominator: number | null): PivotCell {
	if (m.kind === 'count') return { value: numerator, numerator, denominator: null };
	const den = denominator ?? 0;
	return { value: den === 0 ? null : (numerator / den) * m.scale, numerator, denominator: den };
}

/** The kept values of an axis (largest weight first, key order between equals) and where each value lands. */
function axisOf(spec: PivotAxisSpec, weights: Map<string, number>): { keys: PivotAxisKey[]; slot: (key: string) => number | undefined; folded: number } {
	if (spec.fixed) {
		const index = new Map(spec.fixed.map((k, i) => [k, i]));
		return { keys: spec.fixed.map((key) => ({ key, folded: 0 })), slot: (k) => index.get(k), folded: 0 };
	}
	const ordered = [...weights.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k]) => k);
	const limit = Math.max(1, spec.limit);
	// Within the limit nothing folds; over it, limit − 1 values and one 其他 (so the table has `limit` rows).
	const kept = ordered.length <= limit ? ordered : ordered.slice(0, limit - 1);
	const folded = ordered.length - kept.length;
	const index = new Map(kept.map((k, i) => [k, i]));
	const keys: PivotAxisKey[] = kept.map((key) => ({ key, folded: 0 }));
	if (folded > 0) keys.push({ key: OTHER_KEY, folded });
	return { keys, slot: (k) => index.get(k) ?? (folded > 0 ? kept.length : undefined), folded };
}

/**
 * The table of `entries` (one per pair of values that has events; a pair may
 * repeat, its parts add up). A value outside a fixed axis is left out of every
 * figure (the caller's buckets cover its range).
 */
export function pivotTable(
	entries: ReadonlyArray<{ row: string; column: string } & PivotParts>,
	measure: PivotMeasure,
	specs: { rows: PivotAxisSpec; columns: PivotAxisSpec }
): PivotTable {
	const weight = (e: PivotParts) => (measure.kind === 'count' ? e.numerator : (e.denominator ?? 0));
	const rowWeights = new Map<string, number>();
	const columnWeights = new Map<string, number>();
	for (const e of entries) {
		rowWeights.set(e.row, (rowWeights.get(e.row) ?? 0) + weight(e));
		columnWeights.set(e.column, (columnWeights.get(e.column) ?? 0) + weight(e));
	}
	const rows = axisOf(specs.rows, rowWeights);
	const columns = axisOf(specs.columns, columnWeights);
	const sums = rows.keys.map(() => columns.keys.map(() => ({ n: 0, d: 0 })));
	for (const e of entries) {
		const r = rows.slot(e.row);
		const c = columns.slot(e.column);
		if (r === undefined || c === undefined) continue;
		sums[r]![c]!.n += e.numerator;
		sums[r]![c]!.d += e.denominator ?? 0;
	}
	const add = (parts: Array<{ n: number; d: number }>) => parts.reduce((t, p) => ({ n: t.n + p.n, d: t.d + p.d }), { n: 0, d: 0 });
	const cell = (p: { n: number; d: number }) => cellOf(measure, p.n, p.d);
	const rowSums = sums.map(add);
	const columnSums = columns.keys.map((_, c) => add(sums.map((row) => row[c]!)));
	return {
		rows: rows.keys,
		columns: columns.keys,
		cells: sums.map((row) => row.map(cell)),
		rowTotals: rowSums.map(cell),
		columnTotals: columnSums.map(cell),
		total: cell(add(rowSums)),
		folded: { rows: rows.folded, columns: columns.folded }
	};
}
