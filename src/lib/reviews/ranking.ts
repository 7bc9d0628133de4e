/**
 * Units (departments, service items, halls, regions) on the 好差评 satisfaction index with the uncertainty of
 * their place. The methodology (indices/builtins/satisfaction.json) scores every rate by the lower bound of its
 * 95 % Wilson interval, so a unit with 3 reviews, all good, scores far below one with 3 000 at 99.8 %: ranks
 * follow that score. The same index computed on the upper bounds gives each unit's optimistic score; the rank
 * range is then [best, worst] plausible rank: best = 1 + the units whose pessimistic score beats this unit's
 * optimistic one, worst = 1 + the units whose optimistic score beats this unit's pessimistic one. A unit with
 * few reviews shows a wide range instead of a false first place. Pure.
 */
import { builtinMethodology } from '../indices/builtins.ts';
import { compute } from '../indices/engine.ts';
import { leaves, type Methodology } from '../indices/methodology.ts';
import { wilsonLowerBound } from '../indices/normalise.ts';
import { reviewedCases } from './figures.ts';

export interface UnitCounts {
	unit: string;
	name: string;
	reviews: number;
	positive: number;
	negative: number;
	completed_cases: number;
	replied: number;
	rectified: number;
	followed_up: number;
	rectified_on_time: number;
}

export interface RankedUnit extends UnitCounts {
	/** The index on the Wilson lower bounds (the methodology's own score), 0–100; null without enough data. */
	score: number | null;
	/** The index on the Wilson upper bounds. */
	upper: number | null;
	rank: number | null;
	/** Best and worst plausible rank. */
	rankRange: [number, number] | null;
	/** 好评率 as counted (not corrected), percent. */
	positiveRate: number | null;
	grade: string | null;
}

/** Upper bound of the Wilson score interval. */
export function wilsonUpperBound(successes: number, n: number, z = 1.96): number {
	return n > 0 ? 1 - wilsonLowerBound(n - successes, n, z) : NaN;
}

function rowOf(u: UnitCounts): Record<string, string | number> {
	return { ...u, reviewed_cases: reviewedCases(u.reviews, u.completed_cases) };
}

/** The methodology without its corrections, and rows whose numerators are the upper bounds: the index on the upper bounds. */
function upperInputs(m: Methodology, rows: Array<Record<string, string | number>>): { m: Methodology; rows: Array<Record<string, string | number>> } {
	const copy = structuredClone(m);
	const ratios = leaves(copy.root).flatMap((l) => (l.ratio?.correction ? [l.ratio] : []));
	const out = rows.map((r) => {
		const x = { ...r };
		for (const ratio of ratios) {
			const n = Number(r[ratio.denominator]);
			const s = Number(r[ratio.numerator]);
			if (n > 0) x[ratio.numerator] = wilsonUpperBound(s, n, ratio.correction!.z) * n;
		}
		return x;
	});
	for (const ratio of ratios) delete ratio.correction;
	return { m: copy, rows: out };
}

export function rankUnits(units: readonly UnitCounts[]): RankedUnit[] {
	const m = builtinMethodology('satisfaction')!;
	if (units.length === 0) return [];
	const rows = units.map(rowOf);
	const low = compute(m, rows).units;
	const up = upperInputs(m, rows);
	const high = compute(up.m, up.rows).units;
	const lowBy = new Map(low.map((u) => [u.unit, u]));
	const highBy = new Map(high.map((u) => [u.unit, u]));
	const scored = units.map((u) => ({ u, lo: lowBy.get(u.unit)?.score ?? null, hi: highBy.get(u.unit)?.score ?? null }));
	const ranked = scored.map(({ u, lo, hi }): RankedUnit => {
		const r = lowBy.get(u.unit);
		let rankRange: [number, number] | null = null;
		if (lo !== null && hi !== null) {
			let best = 1;
			let worst = 1;
			for (const o of scored) {
				if (o.u.unit === u.unit || o.lo === null || o.hi === null) continue;
				if (o.lo > hi) best++;
				if (o.hi > lo) worst++;
			}
			rankRange = [best, worst];
		}
		return {
			...u,
			score: lo,
			upper: hi,
			rank: r?.rank ?? null,
			rankRange,
			positiveRate: u.reviews > 0 ? (100 * u.positive) / u.reviews : null,
			grade: r?.grade?.label ?? null
		};
	});
	return ranked.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || b.reviews - a.reviews || a.unit.localeCompare(b.unit));
}
