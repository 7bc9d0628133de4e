/**
 * What the workbench shows, derived from the engine's results: the table's rows
 * (with the change against a baseline), the dimensions for the radar, the
 * leader and the median, and the labels of a methodology's nodes. Pure; tested.
 */
import { isGroup, leaves, type Group, type Indicator, type Methodology } from '$lib/indices/methodology';
import type { IndexResult } from '$lib/indices/engine';

export interface BaselineUnit {
	rank: number | null;
	score: number | null;
}

export interface ResultRow extends Record<string, unknown> {
	unit: string;
	rank: number | null;
	score: number | null;
	grade: string;
	gradeId: string | null;
	baseRank: number | null;
	/** Places moved up against the baseline (positive = better). */
	rankChange: number | null;
	coverage: number;
}

/** Labels of every node (Chinese where the methodology has them). */
export function nodeLabels(m: Methodology): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (n: Group | Indicator) => {
		out[n.id] = n.nameZh ?? n.name ?? n.id;
		if (isGroup(n)) n.children.forEach(walk);
	};
	walk(m.root);
	return out;
}

/** The dimensions of the index: the root's children (an indicator directly under the root counts as one). */
export function dimensionsOf(m: Methodology): Array<{ id: string; label: string }> {
	const labels = nodeLabels(m);
	return m.root.children.map((c) => ({ id: c.id, label: labels[c.id]! }));
}

export function resultRows(result: IndexResult, baseline: Map<string, BaselineUnit> | null): ResultRow[] {
	const dims = dimensionsOf(result.methodology);
	return result.units
		.map((u) => {
			const base = baseline?.get(u.unit) ?? null;
			const row: ResultRow = {
				unit: u.unit,
				rank: u.rank,
				score: u.score,
				grade: u.grade?.label ?? '—',
				gradeId: u.grade?.id ?? null,
				baseRank: base?.rank ?? null,
				rankChange: base?.rank != null && u.rank !== null ? base.rank - u.rank : null,
				coverage: u.coverage
			};
			for (const d of dims) row[`dim_${d.id}`] = u.nodes[d.id] ?? null;
			return row;
		})
		.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.localeCompare(b.unit, 'zh-CN'));
}

/** A rank change as text with an arrow (never colour alone). */
export function rankChangeText(change: number | null): string {
	if (change === null) return '—';
	if (change === 0) return '持平';
	return change > 0 ? `▲${change}` : `▼${-change}`;
}

/** The radar's series: the unit, the leader (rank 1) and the median of every dimension. */
export function radarSeries(
	result: IndexResult,
	unit: string
): {
	dimensions: Array<{ id: string; label: string }>;
	unit: Array<number | null>;
	leader: { name: string; values: Array<number | null> } | null;
	median: number[];
} {
	const dims = dimensionsOf(result.methodology);
	const me = result.units.find((u) => u.unit === unit);
	const leader = result.units.filter((u) => u.rank !== null).sort((a, b) => a.rank! - b.rank!)[0] ?? null;
	const median = dims.map((d) => medianOf(result.units.map((u) => u.nodes[d.id]).filter((v): v is number => v !== null && v !== undefined)));
	return {
		dimensions: dims,
		unit: dims.map((d) => me?.nodes[d.id] ?? null),
		leader: leader ? { name: leader.unit, values: dims.map((d) => leader.nodes[d.id] ?? null) } : null,
		median
	};
}

export function medianOf(values: number[]): number {
	if (!values.length) return NaN;
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The scale of the radar's axes: the grade scale if the scores reach past 1, else 1. */
export function scaleMax(result: IndexResult): number {
	const top = Math.max(...result.units.flatMap((u) => Object.values(u.nodes).filter((v): v is number => v !== null)), 0);
	return top > 1.0000001 ? 100 : 1;
}

/** The indicators of a methodology read from a column (what what-if and target seeking may change). */
export function editableIndicators(m: Methodology): Indicator[] {
	return leaves(m.root).filter((l) => l.column !== undefined);
}

/** Groups with two or more children: their children's weights are the ones worth a slider. */
export function weightedNodes(m: Methodology): Array<{ id: string; parent: string; weight: number }> {
	const out: Array<{ id: string; parent: string; weight: number }> = [];
	const walk = (g: Group) => {
		if (g.children.length > 1) for (const c of g.children) out.push({ id: c.id, parent: g.id, weight: c.weight });
		for (const c of g.children) if (isGroup(c)) walk(c);
	};
	walk(m.root);
	return out;
}

/** Which built-in a table fits: the methodology whose unit column and indicator columns it has (the current one first). */
export function fittingMethodology(columns: string[], current: Methodology, all: Methodology[]): Methodology | null {
	const has = new Set(columns);
	const fits = (m: Methodology) =>
		has.has(m.unitColumn) && leaves(m.root).every((l) => (l.column ? has.has(l.column) : has.has(l.ratio!.numerator) && has.has(l.ratio!.denominator)));
	if (fits(current)) return current;
	return all.find(fits) ?? null;
}
