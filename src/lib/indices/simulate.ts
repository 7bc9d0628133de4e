/**
 * Ranking simulation: what-if edits, Monte Carlo over weights, normalisation and
 * aggregation, and target seeking. Pure and seeded: the same inputs give the
 * same answers in the browser, a Web Worker, the server and the CLI.
 */
import { Random } from '../random.ts';
import { evaluate, normaliseAll, prepare, rankScores, results, gradeOf, DataError, type IndexResult, type Prepared, type Row } from './engine.ts';
import type { Methodology, Normalisation } from './methodology.ts';

// ---------------------------------------------------------------- what-if

export interface WhatIf {
	/** New raw values: unit → indicator id (or its column) → value. */
	values?: Record<string, Record<string, number>>;
	/** New weights by node id (indicator or group). */
	weights?: Record<string, number>;
}

export interface UnitChange {
	unit: string;
	before: { score: number | null; rank: number | null; grade: string | null };
	after: { score: number | null; rank: number | null; grade: string | null };
	scoreDelta: number | null;
	/** Positive: moved up the ranking. */
	rankDelta: number | null;
	gradeChanged: boolean;
}

/** Applies edits to the data and the methodology, and reports each unit's change. */
export function whatIf(methodology: Methodology, rows: Row[], edits: WhatIf): { before: IndexResult; after: IndexResult; changes: UnitChange[] } {
	const before = results(...evaluateAll(methodology, rows));
	const edited = withWeights(methodology, edits.weights ?? {});
	const leaves = prepare(edited, rows).leaves;
	const unitColumn = methodology.unitColumn;
	const changedRows = rows.map((r) => {
		const change = edits.values?.[String(r[unitColumn]).trim()];
		if (!change) return r;
		const copy = { ...r };
		for (const [key, value] of Object.entries(change)) {
			const leaf = leaves.find((l) => l.id === key || l.column === key);
			if (!leaf?.column) throw new DataError(`'${key}' is not an indicator read from a column of this methodology`);
			copy[leaf.column] = value;
		}
		return copy;
	});
	for (const unit of Object.keys(edits.values ?? {})) if (!rows.some((r) => String(r[unitColumn]).trim() === unit)) throw new DataError(`no unit '${unit}'`);
	const after = results(...evaluateAll(edited, changedRows));
	const changes = before.units.map((b, i) => {
		const a = after.units[i]!;
		return {
			unit: b.unit,
			before: { score: b.score, rank: b.rank, grade: b.grade?.id ?? null },
			after: { score: a.score, rank: a.rank, grade: a.grade?.id ?? null },
			scoreDelta: a.score !== null && b.score !== null ? a.score - b.score : null,
			rankDelta: a.rank !== null && b.rank !== null ? b.rank - a.rank : null,
			gradeChanged: (a.grade?.id ?? null) !== (b.grade?.id ?? null)
		};
	});
	return { before, after, changes };
}

function evaluateAll(m: Methodology, rows: Row[]): [Prepared, ReturnType<typeof evaluate>] {
	const p = prepare(m, rows);
	return [p, evaluate(p, normaliseAll(p))];
}

/** A copy of the methodology with some nodes' weights replaced. */
export function withWeights(m: Methodology, weights: Record<string, number>): Methodology {
	const known = new Set<string>();
	const copy = structuredClone(m);
	const walk = (n: { id: string; weight: number; children?: unknown[] }) => {
		known.add(n.id);
		if (n.id in weights) {
			const w = weights[n.id]!;
			if (!(w >= 0)) throw new DataError(`weight of '${n.id}' must be ≥ 0`);
			n.weight = w;
		}
		(n.children as (typeof n)[] | undefined)?.forEach(walk);
	};
	walk(copy.root as never);
	for (const id of Object.keys(weights)) if (!known.has(id)) throw new DataError(`no node '${id}' in methodology '${m.id}'`);
	return copy;
}

// ------------------------------------------------------------ Monte Carlo

export interface MonteCarloOptions {
	draws: number;
	seed: number;
	/**
	 * Weight uncertainty per group: `dirichlet` draws the children's weights from a
	 * Dirichlet centred on the nominal ones (larger concentration = closer);
	 * `uniform` multiplies each weight by U(1 − spread, 1 + spread).
	 */
	weights?: { kind: 'dirichlet'; concentration: number } | { kind: 'uniform'; spread: number } | { kind: 'none' };
	/** Alternatives drawn uniformly per draw for every indicator (default: each indicator's own). */
	normalisations?: Normalisation[];
	/** Alternatives drawn uniformly per draw for every group. */
	aggregations?: Array<'arithmetic' | 'geometric'>;
	/** For the probability of being in the top k (default 10). */
	topK?: number;
	/** Called with the draws done so far every `progressEvery` draws (default 250) — the browser worker reports progress with it. */
	onProgress?: (done: number) => void;
	progressEvery?: number;
}

export interface UnitUncertainty {
	unit: string;
	nominalRank: number | null;
	medianRank: number | null;
	/** 5th and 95th percentiles of the rank. */
	rankInterval: [number, number] | null;
	/** Probability of each grade; null when the alternatives change the score's scale (z-scores). */
	gradeProbabilities: Record<string, number> | null;
	topKProbability: number;
}

export function monteCarlo(methodology: Methodology, rows: Row[], options: MonteCarloOptions): { units: UnitUncertainty[]; draws: number } {
	if (!(Number.isInteger(options.draws) && options.draws > 0)) throw new DataError('draws must be a positive integer');
	const p = prepare(methodology, rows);
	const random = new Random(options.seed);
	const n = p.units.length;
	const root = p.nodes.length - 1;
	const topK = options.topK ?? 10;
	const { ties, decimals } = methodology.ranking;
	// Normalised matrices computed once per alternative.
	const alternatives = options.normalisations?.length ? options.normalisations.map((a) => normaliseAll(p, a)) : [normaliseAll(p)];
	// Stryker disable next-line ArrayDeclaration: equivalent — what the empty fallback holds is never a z-score normalisation.
	const scaleSafe = !(options.normalisations ?? []).some((a) => a.kind === 'zScore');
	const gradeIds = methodology.grades.map((g) => g.id);
	const rankSamples: Array<Int32Array> = p.units.map(() => new Int32Array(options.draws));
	const gradeCounts = p.units.map(() => new Float64Array(gradeIds.length));
	const top = new Float64Array(n);
	const weightMode = options.weights ?? { kind: 'dirichlet', concentration: 50 };
	const nominal = p.nodes.map((node) => {
		const total = node.weights.reduce((s, w) => s + w, 0);
		// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — a group whose weights are all 0 scores NaN whether they read 0 or 0/0 (evaluate finds no weight present).
		return node.weights.map((w) => (total > 0 ? w / total : 0));
	});
	const drawn = nominal.map((w) => w.slice());
	const scores = new Float64Array(n);
	for (let d = 0; d < options.draws; d++) {
		p.nodes.forEach((node, k) => {
			// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — a leaf has no children's weights (an empty list), so drawing them would do nothing.
			if (node.leaf >= 0) return;
			const w = drawn[k]!;
			const base = nominal[k]!;
			if (weightMode.kind === 'dirichlet') {
				let sum = 0;
				for (let j = 0; j < w.length; j++) {
					// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — Gamma(0) is 0 (Random.gamma: Gamma(1)·U^(1/0)), so a child of weight 0 draws 0 either way; only the random stream shifts.
					w[j] = base[j]! > 0 ? random.gamma(weightMode.concentration * base[j]!) : 0;
					sum += w[j]!;
				}
				for (let j = 0; j < w.length; j++) w[j] = sum > 0 ? w[j]! / sum : base[j]!;
			} else if (weightMode.kind === 'uniform') {
				for (let j = 0; j < w.length; j++) w[j] = base[j]! * (1 - weightMode.spread + 2 * weightMode.spread * random.next());
			}
		});
		// Stryker disable next-line ConditionalExpression: equivalent — with one alternative Math.floor(random × 1) is 0 too; the shortcut only spares a random number.
		const normalised = alternatives[alternatives.length === 1 ? 0 : Math.floor(random.next() * alternatives.length)]!;
		const aggregation = options.aggregations?.length ? options.aggregations[Math.floor(random.next() * options.aggregations.length)] : undefined;
		const ev = evaluate(p, normalised, drawn, aggregation === undefined ? undefined : aggregation === 'geometric');
		scores.set(ev.scores[root]!);
		const ranks = rankScores(scores, ties, decimals);
		for (let u = 0; u < n; u++) {
			const r = ranks[u] ?? null;
			rankSamples[u]![d] = r ?? 0;
			if (r !== null && r <= topK) top[u]!++;
			const g = gradeOf(scores[u]!, methodology.grades);
			if (g) gradeCounts[u]![gradeIds.indexOf(g.id)]!++;
		}
		if (options.onProgress && ((d + 1) % (options.progressEvery ?? 250) === 0 || d + 1 === options.draws)) options.onProgress(d + 1);
	}
	const nominalRanks = results(p, evaluate(p, normaliseAll(p))).units.map((u) => u.rank);
	return {
		draws: options.draws,
		units: p.units.map((unit, u) => {
			const ranks = Array.from(rankSamples[u]!)
				.filter((r) => r > 0)
				.sort((a, b) => a - b);
			// Nearest rank: element round(x·(n − 1)) of the n sorted ranks — for x in [0, 1] always one of them.
			const q = (x: number) => ranks[Math.round(x * (ranks.length - 1))]!;
			return {
				unit,
				nominalRank: nominalRanks[u]!,
				medianRank: ranks.length ? q(0.5) : null,
				rankInterval: ranks.length ? [q(0.05), q(0.95)] : null,
				gradeProbabilities: scaleSafe && gradeIds.length ? Object.fromEntries(gradeIds.map((g, i) => [g, gradeCounts[u]![i]! / options.draws])) : null,
				topKProbability: top[u]! / options.draws
			};
		})
	};
}

// --------------------------------------------------------- target seeking

export type Target = { rank: number } | { grade: string };

export interface SeekOptions {
	/** Indicators that may change (ids); default all read from columns. */
	indicators?: string[];
	/** Feasible raw values per indicator id; default the methodology's bounds, else the best value among the units. */
	bounds?: Record<string, { min?: number; max?: number }>;
	/** Relative cost per indicator id; default the methodology's cost (1). */
	costs?: Record<string, number>;
}

export interface SeekResult {
	unit: string;
	target: Target;
	reachable: boolean;
	/** Already there: no change needed. */
	alreadyMet: boolean;
	/** In the order to make them: the most score per cost first. */
	changes: Array<{ indicator: string; column: string; from: number; to: number }>;
	/** Σ cost × |change| / range of the indicator among the units. */
	cost: number;
	after: { score: number | null; rank: number | null; grade: string | null };
	message: string;
}

/**
 * The smallest change in one unit's indicators that reaches a rank or grade, the
 * other units fixed. Indicators are filled greedily in order of score gained per
 * unit of cost, and the budget is found by bisection, every candidate checked by
 * a full recomputation (ties, rounding and shifting min–max bounds included).
 * Exact for weighted arithmetic aggregation with fixed normalisation bounds; a
 * greedy approximation otherwise.
 */
export function seekTarget(methodology: Methodology, rows: Row[], unit: string, target: Target, options: SeekOptions = {}): SeekResult {
	const p = prepare(methodology, rows);
	const u = p.units.indexOf(unit);
	if (u < 0) throw new DataError(`no unit '${unit}'`);
	if ('grade' in target && !methodology.grades.some((g) => g.id === target.grade))
		throw new DataError(`no grade '${target.grade}' in methodology '${methodology.id}'`);
	if ('rank' in target && !(Number.isInteger(target.rank) && target.rank >= 1)) throw new DataError('the target rank must be a whole number ≥ 1');
	const gradeOrder = methodology.grades.map((g) => g.id);
	const unitColumn = methodology.unitColumn;
	const rowIndex = rows.findIndex((r) => String(r[unitColumn]).trim() === unit);

	const state = (candidate: Row[]) => {
		const r = results(...evaluateAll(methodology, candidate)).units[u]!;
		return { score: r.score, rank: r.rank, grade: r.grade?.id ?? null };
	};
	const met = (s: ReturnType<typeof state>) =>
		'rank' in target ? s.rank !== null && s.rank <= target.rank : s.grade !== null && gradeOrder.indexOf(s.grade) <= gradeOrder.indexOf(target.grade);

	const now = state(rows);
	const describe = (s: typeof now) =>
		`score ${s.score === null ? '—' : s.score.toFixed(methodology.ranking.decimals)}, rank ${s.rank ?? '—'}, grade ${s.grade ?? '—'}`;
	if (met(now))
		return {
			unit,
			target,
			reachable: true,
			alreadyMet: true,
			changes: [],
			cost: 0,
			after: now,
			message: `${unit} already meets the target (${describe(now)})`
		};

	// Candidate moves: each indicator toward its best feasible value.
	const moves = p.leaves.flatMap((leaf, i) => {
		if (!leaf.column || (options.indicators && !options.indicators.includes(leaf.id))) return [];
		const current = p.raw[i]![u]!;
		const column = p.raw[i]!.filter((v) => !Number.isNaN(v));
		const lo = Math.min(...column);
		const hi = Math.max(...column);
		const bounds = { ...leaf.bounds, ...options.bounds?.[leaf.id] };
		const best = leaf.polarity === 'positive' ? (bounds.max ?? hi) : (bounds.min ?? lo);
		const from = Number.isNaN(current) ? (leaf.polarity === 'positive' ? (bounds.min ?? lo) : (bounds.max ?? hi)) : current;
		// Stryker disable next-line EqualityOperator: equivalent — a move of length 0 costs 0 and changes nothing, wherever the greedy order puts it.
		if (leaf.polarity === 'positive' ? best <= from : best >= from) return [];
		const range = hi > lo ? hi - lo : Math.abs(best - from) || 1;
		const cost = (options.costs?.[leaf.id] ?? leaf.cost) / range;
		return [{ leaf, column: leaf.column, from, to: best, unitCost: cost, fullCost: cost * Math.abs(best - from) }];
	});
	const apply = (amounts: number[]): Row[] =>
		rows.map((r, i) => {
			if (i !== rowIndex) return r;
			const copy = { ...r };
			moves.forEach((m, j) => {
				if (amounts[j]! > 0) copy[m.column] = m.from + Math.sign(m.to - m.from) * amounts[j]!;
			});
			return copy;
		});
	// Order by score gained per unit of cost when each move is made alone, in full.
	const base = now.score ?? 0;
	const ordered = moves
		.map((m, j) => {
			const amounts = moves.map((_, k) => (k === j ? Math.abs(m.to - m.from) : 0));
			const gain = (state(apply(amounts)).score ?? base) - base;
			return { j, efficiency: gain / m.fullCost };
		})
		// Moves that gain nothing alone stay, last: under geometric aggregation two moves
		// can be worthless apart and decisive together (a zero factor holds the product at zero).
		.sort((a, b) => b.efficiency - a.efficiency);
	const total = ordered.reduce((s, o) => s + moves[o.j]!.fullCost, 0);
	/** Amounts of change when a budget is spent along the greedy order. */
	const spend = (budget: number): number[] => {
		// Stryker disable next-line ArrowFunction: equivalent — a move the budget never reaches would keep undefined, which `> 0` reads as no change.
		const amounts = moves.map(() => 0);
		// What the moves before cost in full, summed in the order `total` and the bisection's bounds sum them: a budget
		// of exactly that sum leaves 0 for the next move, no rounding crumb that would start it.
		let spent = 0;
		for (const { j } of ordered) {
			const m = moves[j]!;
			const take = Math.min(budget - spent, m.fullCost);
			// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — an early exit: past the budget every take is 0 or less, which `> 0` reads as no change.
			if (take <= 0) break;
			amounts[j] = take / m.unitCost;
			spent += m.fullCost;
		}
		return amounts;
	};
	const best = state(apply(spend(total)));
	if (!met(best)) {
		return {
			unit,
			target,
			reachable: false,
			alreadyMet: false,
			changes: [],
			cost: 0,
			after: now,
			message: `${unit} cannot reach the target within the bounds: even with every indicator at its best feasible value it gets ${describe(best)}`
		};
	}
	// The score need not rise with the budget across moves: a move from an unread value enters at its worst feasible
	// value, below where the unit stood. So the bisection runs within the first move whose completion meets the target.
	let lo = 0;
	let hi = 0;
	for (const { j } of ordered) {
		lo = hi;
		hi += moves[j]!.fullCost;
		if (met(state(apply(spend(hi))))) break;
	}
	// Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,ArithmeticOperator,MethodExpression,UpdateOperator: equivalent — the cap of 60 halvings and the width of a billionth only stop the bisection; each variant stops it with the same budget to far more than the tests' 6 digits (one that never stops is a timeout).
	for (let i = 0; i < 60 && hi - lo > 1e-9 * Math.max(1, total); i++) {
		const mid = (lo + hi) / 2;
		if (met(state(apply(spend(mid))))) hi = mid;
		else lo = mid;
	}
	const amounts = spend(hi);
	const after = state(apply(amounts));
	// A to-do list: the most score per cost first (the greedy order the budget was spent in).
	const changes = ordered
		.filter(({ j }) => amounts[j]! > 0)
		.map(({ j }) => ({
			indicator: moves[j]!.leaf.id,
			column: moves[j]!.column,
			from: moves[j]!.from,
			to: moves[j]!.from + Math.sign(moves[j]!.to - moves[j]!.from) * amounts[j]!
		}));
	return {
		unit,
		target,
		reachable: true,
		alreadyMet: false,
		changes,
		cost: hi,
		after,
		message: `${unit} reaches the target with ${changes.length} change(s) (${describe(after)})`
	};
}
