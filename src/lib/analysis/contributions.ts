/**
 * "What moved it": the change of an indicator between a base and a current
 * period, split over the values of a dimension. Pure and browser-safe.
 *
 * - A count (办件量): each group's change, cur − base; the parts add up to the total change.
 * - A rate R = Σn / Σd × scale (按时办结率): with the group's share of the
 *   denominator w = d / D and its rate r = n / d × scale, R = Σ w·r and the change
 *   is split symmetrically (the mean of both orders of a shift-share):
 *     rate effect  = (w₀ + w₁)/2 · (r₁ − r₀)          the rate changed inside the group
 *     mix effect   = ((r₀ + r₁)/2 − (R₀ + R₁)/2) · (w₁ − w₀)   the group's weight changed
 *   Their sum over the groups is exactly R₁ − R₀ (Σ(w₁ − w₀) = 0 lets the mix term be
 *   centred on the mean rate, so a group that grows at an average rate moves nothing).
 *   A group absent from one period takes its rate of the other there (its weight is 0,
 *   so its rate effect is 0 and its whole contribution is mix).
 */

export interface GroupFigures {
	key: string;
	label: string;
	/** A count's value, or a rate's numerator. */
	numerator: number;
	/** A rate's denominator (absent for a count). */
	denominator?: number;
}

export interface Contribution {
	key: string;
	label: string;
	base: { numerator: number; denominator: number | null; value: number | null };
	current: { numerator: number; denominator: number | null; value: number | null };
	/** The group's part of the total change (= rateEffect + mixEffect for a rate). */
	effect: number;
	rateEffect: number | null;
	mixEffect: number | null;
	/** effect ÷ total change (null when the total did not change). */
	share: number | null;
}

export interface ContributionResult {
	kind: 'count' | 'rate';
	base: number | null;
	current: number | null;
	change: number | null;
	/** Ranked by |effect|, largest first. */
	rows: Contribution[];
}

const byEffect = (a: Contribution, b: Contribution) => Math.abs(b.effect) - Math.abs(a.effect) || a.key.localeCompare(b.key);

function merge(base: GroupFigures[], current: GroupFigures[]): Array<{ key: string; label: string; b?: GroupFigures; c?: GroupFigures }> {
	const out = new Map<string, { key: string; label: string; b?: GroupFigures; c?: GroupFigures }>();
	for (const g of base) out.set(g.key, { key: g.key, label: g.label, b: g });
	for (const g of current) {
		const e = out.get(g.key);
		if (e) e.c = g;
		else out.set(g.key, { key: g.key, label: g.label, c: g });
	}
	return [...out.values()];
}

/** Additive contributions of a count: each group's change; they sum to the total change. */
export function countContributions(base: GroupFigures[], current: GroupFigures[]): ContributionResult {
	const groups = merge(base, current);
	const b = base.reduce((s, g) => s + g.numerator, 0);
	const c = current.reduce((s, g) => s + g.numerator, 0);
	const change = c - b;
	const rows = groups.map(({ key, label, b: gb, c: gc }): Contribution => {
		const n0 = gb?.numerator ?? 0;
		const n1 = gc?.numerator ?? 0;
		return {
			key,
			label,
			base: { numerator: n0, denominator: null, value: n0 },
			current: { numerator: n1, denominator: null, value: n1 },
			effect: n1 - n0,
			rateEffect: null,
			mixEffect: null,
			share: change === 0 ? null : (n1 - n0) / change
		};
	});
	return { kind: 'count', base: b, current: c, change, rows: rows.sort(byEffect) };
}

/**
 * Rate and mix effects of a rate (value = n / d × scale) per group; rate + mix of
 * every group sum to the total change. A period with no denominator at all has no
 * rate: then there is no change to explain (change null, effects 0).
 */
export function rateContributions(base: GroupFigures[], current: GroupFigures[], scale = 100): ContributionResult {
	const groups = merge(base, current);
	const N0 = base.reduce((s, g) => s + g.numerator, 0);
	const D0 = base.reduce((s, g) => s + (g.denominator ?? 0), 0);
	const N1 = current.reduce((s, g) => s + g.numerator, 0);
	const D1 = current.reduce((s, g) => s + (g.denominator ?? 0), 0);
	const R0 = D0 > 0 ? (N0 / D0) * scale : null;
	const R1 = D1 > 0 ? (N1 / D1) * scale : null;
	const change = R0 !== null && R1 !== null ? R1 - R0 : null;
	const mean = R0 !== null && R1 !== null ? (R0 + R1) / 2 : 0;
	const rows = groups.map(({ key, label, b: gb, c: gc }): Contribution => {
		const n0 = gb?.numerator ?? 0;
		const d0 = gb?.denominator ?? 0;
		const n1 = gc?.numerator ?? 0;
		const d1 = gc?.denominator ?? 0;
		let r0 = d0 > 0 ? (n0 / d0) * scale : null;
		let r1 = d1 > 0 ? (n1 / d1) * scale : null;
		const value0 = r0;
		const value1 = r1;
		let rateEffect = 0;
		let mixEffect = 0;
		if (change !== null && (r0 !== null || r1 !== null)) {
			r0 ??= r1!;
			r1 ??= r0;
			const w0 = d0 / D0;
			const w1 = d1 / D1;
			rateEffect = ((w0 + w1) / 2) * (r1 - r0);
			mixEffect = ((r0 + r1) / 2 - mean) * (w1 - w0);
		}
		const effect = rateEffect + mixEffect;
		return {
			key,
			label,
			base: { numerator: n0, denominator: d0, value: value0 },
			current: { numerator: n1, denominator: d1, value: value1 },
			effect,
			rateEffect,
			mixEffect,
			share: change ? effect / change : null
		};
	});
	return { kind: 'rate', base: R0, current: R1, change, rows: rows.sort(byEffect) };
}
