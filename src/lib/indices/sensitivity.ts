/**
 * Which weights a unit's rank is most sensitive to: variance-based first-order
 * sensitivity indices, as COINr's get_sensitivity reports them (S_i = Var(E[Y | X_i]) / Var(Y)),
 * estimated from Monte Carlo draws of the weights — Y is a unit's rank, X_i one
 * weight. S_i near 1: the weight alone decides the rank's spread; near 0: the rank
 * does not depend on it on its own. Pure and seeded (browser, worker, server).
 */
import { Random } from '../random.ts';
import { evaluate, normaliseAll, prepare, rankScores, DataError, type Row } from './engine.ts';
import type { Methodology } from './methodology.ts';

/**
 * First-order index of Y on X by binning: the draws sorted by X into equal-count
 * bins, the variance of the bin means over the variance of Y, less the part the
 * bins' own sampling noise adds (so a factor that does not matter scores ≈ 0, not
 * ≈ bins/draws). Null when Y does not vary. Clamped to [0, 1].
 */
export function firstOrderIndex(x: ArrayLike<number>, y: ArrayLike<number>, bins = defaultBins(x.length)): number | null {
	if (x.length !== y.length) throw new DataError('x and y must have the same length');
	return binned(sortedOrder(x), y, bins);
}

function sortedOrder(x: ArrayLike<number>): Uint32Array {
	return Uint32Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
}

/** The estimator over draws already ordered by X (one sort per weight serves every unit). */
function binned(order: Uint32Array, y: ArrayLike<number>, bins: number): number | null {
	const n = order.length;
	if (n < 2) return null;
	let mean = 0;
	for (let i = 0; i < n; i++) mean += y[i]!;
	mean /= n;
	let total = 0;
	for (let i = 0; i < n; i++) total += (y[i]! - mean) ** 2;
	total /= n;
	if (!(total > 1e-12)) return null;
	const b = Math.max(1, Math.min(bins, Math.floor(n / 2)));
	let between = 0;
	let noise = 0;
	for (let k = 0; k < b; k++) {
		const lo = Math.floor((k * n) / b);
		const hi = Math.floor(((k + 1) * n) / b);
		const size = hi - lo;
		let m = 0;
		for (let i = lo; i < hi; i++) m += y[order[i]!]!;
		m /= size;
		let v = 0;
		for (let i = lo; i < hi; i++) v += (y[order[i]!]! - m) ** 2;
		// Within-bin variance (unbiased) over the bin size: the noise in the bin's mean.
		if (size > 1) noise += (size / n) * (v / (size - 1) / size);
		between += (size / n) * (m - mean) ** 2;
	}
	return Math.min(1, Math.max(0, (between - noise) / total));
}

function defaultBins(n: number): number {
	return Math.max(2, Math.min(50, Math.round(Math.sqrt(n))));
}

export interface SensitivityOptions {
	draws: number;
	seed: number;
	/** As monteCarlo's: Dirichlet per group (default, concentration 50), or each weight × U(1 − spread, 1 + spread). */
	weights?: { kind: 'dirichlet'; concentration: number } | { kind: 'uniform'; spread: number };
	bins?: number;
}

export interface WeightSensitivity {
	/** The node whose weight this is (an indicator or a group), and its parent group. */
	node: string;
	parent: string;
	nameZh?: string;
	/** Its nominal share of the parent's weight. */
	nominal: number;
	/** Over all units: Σ Var(E[rank | w]) ÷ Σ Var(rank) — the share of the ranks' spread this weight explains alone. */
	overall: number | null;
	/** Per unit: S_i of its rank; null when its rank never moves. */
	perUnit: Record<string, number | null>;
}

export interface SensitivityResult {
	draws: number;
	/** Highest overall first. Weights of a group with one child (always 1) are not listed. */
	weights: WeightSensitivity[];
}

/** First-order sensitivity of every unit's rank to every weight, from `draws` draws of the weights. */
export function rankSensitivity(methodology: Methodology, rows: Row[], options: SensitivityOptions): SensitivityResult {
	if (!(Number.isInteger(options.draws) && options.draws >= 10)) throw new DataError('draws must be a whole number ≥ 10');
	const p = prepare(methodology, rows);
	const random = new Random(options.seed);
	const n = p.units.length;
	const root = p.nodes.length - 1;
	const { ties, decimals } = methodology.ranking;
	const mode = options.weights ?? { kind: 'dirichlet', concentration: 50 };
	const normalised = normaliseAll(p);
	const nominal = p.nodes.map((node) => {
		const total = node.weights.reduce((s, w) => s + w, 0);
		return node.weights.map((w) => (total > 0 ? w / total : 0));
	});
	// The factors: each child's weight in a group of two or more children.
	const factors = p.nodes.flatMap((node, k) => (node.leaf < 0 && node.children.length > 1 ? node.children.map((c, j) => ({ k, j, child: c })) : []));
	const x = factors.map(() => new Float64Array(options.draws));
	const ranks = p.units.map(() => new Float64Array(options.draws));
	const drawn = nominal.map((w) => w.slice());
	for (let d = 0; d < options.draws; d++) {
		p.nodes.forEach((node, k) => {
			if (node.leaf >= 0) return;
			const w = drawn[k]!;
			const base = nominal[k]!;
			if (mode.kind === 'dirichlet') {
				let sum = 0;
				for (let j = 0; j < w.length; j++) {
					w[j] = base[j]! > 0 ? random.gamma(mode.concentration * base[j]!) : 0;
					sum += w[j]!;
				}
				for (let j = 0; j < w.length; j++) w[j] = sum > 0 ? w[j]! / sum : base[j]!;
			} else {
				for (let j = 0; j < w.length; j++) w[j] = base[j]! * (1 - mode.spread + 2 * mode.spread * random.next());
			}
		});
		factors.forEach((f, i) => {
			// The weight as a share of its group, whichever way it was drawn.
			const w = drawn[f.k]!;
			const sum = w.reduce((s, v) => s + v, 0);
			x[i]![d] = sum > 0 ? w[f.j]! / sum : 0;
		});
		const ev = evaluate(p, normalised, drawn);
		const r = rankScores(ev.scores[root]!, ties, decimals);
		for (let u = 0; u < n; u++) ranks[u]![d] = r[u] ?? NaN;
	}
	const names = new Map<string, string | undefined>();
	const walk = (node: { id: string; nameZh?: string; children?: unknown[] }) => {
		names.set(node.id, node.nameZh);
		(node.children as Array<typeof node> | undefined)?.forEach(walk);
	};
	walk(methodology.root as never);
	const variance = (y: Float64Array) => {
		let m = 0;
		for (const v of y) m += v;
		m /= y.length;
		let s = 0;
		for (const v of y) s += (v - m) ** 2;
		return s / y.length;
	};
	// Units without a score (NaN ranks) are left out.
	const scored = p.units.map((_, u) => !ranks[u]!.some((v) => Number.isNaN(v)));
	const totals = ranks.map((y, u) => (scored[u] ? variance(y) : 0));
	const bins = options.bins ?? defaultBins(options.draws);
	const weights = factors.map((f, i) => {
		const order = sortedOrder(x[i]!);
		let explained = 0;
		let all = 0;
		const perUnit: Record<string, number | null> = {};
		p.units.forEach((unit, u) => {
			const s = scored[u] ? binned(order, ranks[u]!, bins) : null;
			perUnit[unit] = s;
			if (s !== null) {
				explained += s * totals[u]!;
				all += totals[u]!;
			}
		});
		const node = p.nodes[f.child]!;
		return {
			node: node.id,
			parent: p.nodes[f.k]!.id,
			nameZh: names.get(node.id),
			nominal: nominal[f.k]![f.j]!,
			overall: all > 0 ? explained / all : null,
			perUnit
		};
	});
	weights.sort((a, b) => (b.overall ?? -1) - (a.overall ?? -1));
	return { draws: options.draws, weights };
}
