/**
 * Transforms and normalisations of one indicator over all units. Pure.
 * Missing values are NaN and stay NaN. Polarity is applied here: after
 * normalisation, higher is always better.
 */
import type { Normalisation, Ratio, Transform } from './methodology.ts';

const DEFAULT_SCALE: [number, number] = [0, 100];

function present(values: Float64Array): number[] {
	const out: number[] = [];
	for (const v of values) if (!Number.isNaN(v)) out.push(v);
	return out;
}

/** Quantile with linear interpolation between order statistics. */
export function quantile(sorted: number[], q: number): number {
	// Stryker disable next-line ConditionalExpression: equivalent — without the guard, sorted[-1] and sorted[0] of an empty list are undefined and the sum is NaN anyway.
	if (sorted.length === 0) return NaN;
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Lower bound of the Wilson score interval for `successes` of `n` at confidence `z`. */
export function wilsonLowerBound(successes: number, n: number, z = 1.96): number {
	// Stryker disable next-line EqualityOperator: equivalent — at n = 0 the formula divides by zero and gives NaN too.
	if (n <= 0) return NaN;
	const p = successes / n;
	const z2 = z * z;
	return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/** A ratio of two counts (NaN when the denominator is 0 or missing). */
export function ratio(numerator: number, denominator: number, r: Ratio): number {
	if (!(denominator > 0) || Number.isNaN(numerator)) return NaN;
	const value = r.correction ? wilsonLowerBound(numerator, denominator, r.correction.z) : numerator / denominator;
	return value * r.multiplier;
}

export function transform(values: Float64Array, t: Transform | undefined): Float64Array {
	if (!t) return values;
	const out = new Float64Array(values.length);
	if (t.kind === 'log') {
		// Non-positive values have no logarithm: they become missing.
		// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of a typed array's range, which JavaScript ignores.
		for (let i = 0; i < values.length; i++) out[i] = values[i]! > 0 ? Math.log(values[i]!) : NaN;
		return out;
	}
	const sorted = present(values).sort((a, b) => a - b);
	const lo = quantile(sorted, t.lower);
	const hi = quantile(sorted, t.upper);
	// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of a typed array's range, which JavaScript ignores.
	for (let i = 0; i < values.length; i++) out[i] = Number.isNaN(values[i]!) ? NaN : Math.min(hi, Math.max(lo, values[i]!));
	return out;
}

function onto(scale: [number, number] | undefined, fraction: number): number {
	const [a, b] = scale ?? DEFAULT_SCALE;
	return a + fraction * (b - a);
}

/** Mean ranks, 1 = best (highest after polarity). */
function averageRanks(values: Float64Array): Float64Array {
	const idx = [...values.keys()].filter((i) => !Number.isNaN(values[i]!)).sort((a, b) => values[b]! - values[a]!);
	const ranks = new Float64Array(values.length).fill(NaN);
	// Stryker disable next-line EqualityOperator: equivalent — a pass at i = idx.length writes to ranks[undefined], a property no reader looks at.
	for (let i = 0; i < idx.length;) {
		let j = i;
		// Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent — past the end values[idx[j + 1]] is undefined, never === a number, so the second test stops the loop anyway.
		while (j + 1 < idx.length && values[idx[j + 1]!] === values[idx[i]!]) j++;
		const mean = (i + j) / 2 + 1;
		for (let k = i; k <= j; k++) ranks[idx[k]!] = mean;
		i = j + 1;
	}
	return ranks;
}

export function normalise(values: Float64Array, n: Normalisation, polarity: 'positive' | 'negative'): Float64Array {
	const sign = polarity === 'negative' ? -1 : 1;
	const out = new Float64Array(values.length);
	const data = present(values);
	switch (n.kind) {
		case 'none':
			// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of a typed array's range, which JavaScript ignores.
			for (let i = 0; i < values.length; i++) out[i] = sign * values[i]!;
			return out;
		case 'minMax': {
			const lo = Math.min(...data);
			const hi = Math.max(...data);
			// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of a typed array's range, which JavaScript ignores.
			for (let i = 0; i < values.length; i++) {
				const v = values[i]!;
				// Every unit equal: the indicator tells nothing apart; all at the middle.
				const f = hi === lo ? 0.5 : (v - lo) / (hi - lo);
				// Stryker disable next-line EqualityOperator: equivalent — sign is 1 or −1, never 0.
				out[i] = Number.isNaN(v) ? NaN : onto(n.scale, sign > 0 ? f : 1 - f);
			}
			return out;
		}
		case 'zScore':
		case 'zScoreMinMax': {
			const mean = data.reduce((s, v) => s + v, 0) / data.length;
			const sd = Math.sqrt(data.reduce((s, v) => s + (v - mean) ** 2, 0) / data.length);
			// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of a typed array's range, which JavaScript ignores.
			for (let i = 0; i < values.length; i++) out[i] = sd === 0 ? (Number.isNaN(values[i]!) ? NaN : 0) : (sign * (values[i]! - mean)) / sd;
			// Stryker disable next-line StringLiteral: equivalent — normalise reads every polarity but 'negative' as positive (the sign is applied above).
			return n.kind === 'zScore' ? out : normalise(out, { kind: 'minMax', scale: n.scale }, 'positive');
		}
		case 'distanceToTarget':
			// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of a typed array's range, which JavaScript ignores.
			for (let i = 0; i < values.length; i++) {
				const v = values[i]!;
				// Stryker disable next-line EqualityOperator: equivalent — sign is 1 or −1, never 0; and at v = 0, target / 0 = Infinity is capped to 1 as well (target > 0 by the schema).
				const f = sign > 0 ? v / n.target : v <= 0 ? 1 : n.target / v;
				out[i] = Number.isNaN(v) ? NaN : onto(n.scale, Math.max(0, Math.min(1, f)));
			}
			return out;
		case 'goalposts':
			// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of a typed array's range, which JavaScript ignores.
			for (let i = 0; i < values.length; i++) {
				const v = values[i]!;
				const f = Math.max(0, Math.min(1, (v - n.min) / (n.max - n.min)));
				// Stryker disable next-line EqualityOperator: equivalent — sign is 1 or −1, never 0.
				out[i] = Number.isNaN(v) ? NaN : onto(n.scale, sign > 0 ? f : 1 - f);
			}
			return out;
		// Stryker disable next-line ConditionalExpression,BlockStatement: equivalent — falling through to 'percentile' gives the same value: (count − mean rank)/(count − 1) = (worse + (equal − 1)/2)/(count − 1).
		case 'rank': {
			const signed = values.map((v) => sign * v);
			const ranks = averageRanks(signed);
			const count = data.length;
			// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of a typed array's range, which JavaScript ignores.
			for (let i = 0; i < values.length; i++) out[i] = Number.isNaN(ranks[i]!) ? NaN : onto(n.scale, count === 1 ? 1 : (count - ranks[i]!) / (count - 1));
			return out;
		}
		case 'percentile': {
			const count = data.length;
			// Stryker disable next-line EqualityOperator: equivalent — one step past the end writes out of a typed array's range, which JavaScript ignores.
			for (let i = 0; i < values.length; i++) {
				const v = sign * values[i]!;
				if (Number.isNaN(v)) {
					out[i] = NaN;
					continue;
				}
				let worse = 0;
				let equal = 0;
				for (const w0 of data) {
					const w = sign * w0;
					if (w < v) worse++;
					else if (w === v) equal++;
				}
				out[i] = onto(n.scale, count === 1 ? 1 : (worse + 0.5 * (equal - 1)) / (count - 1));
			}
			return out;
		}
	}
}
