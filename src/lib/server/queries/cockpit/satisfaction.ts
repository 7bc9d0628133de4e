/**
 * The 好差评 satisfaction index's inputs per sub-region of a region over a window
 * of Beijing days capped at the instant `at` (src/lib/time cutAt): one row per
 * unit in the methodology's columns (indices/builtins.ts), inside the caller's
 * scope (regionFilter). Review and case counts come from so-far.ts (days, hours,
 * then the events up to `at`). The handling of 差评 is /reviews' cohort
 * (queries/reviews/cohort.ts): of the 差评 received in the window, those replied
 * to (核实 or 回复), rectified, followed up and rectified by their deadline by `at`;
 * a 差评 whose appeal was upheld by `at` leaves the reviews, the 差评 and the
 * handling (reviews/figures.ts countedReviews), as /reviews' rankings count it.
 */
import type { TimeWindow } from '../../../time/windows.ts';
import { countedReviews, reviewedCases } from '../../../reviews/figures.ts';
import { negativeCohortCounts } from '../reviews/cohort.ts';
import type { QueryCtx } from '../statement.ts';
import { caseCountsUpTo, reviewCountsUpTo } from './so-far.ts';

export type SatisfactionInput = Record<string, string | number>;

export async function satisfactionInputs(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number): Promise<SatisfactionInput[]> {
	const [reviews, cases, cohort] = await Promise.all([
		reviewCountsUpTo(ctx, adcode, w, at, 'child'),
		caseCountsUpTo(ctx, adcode, w, at, 'child'),
		negativeCohortCounts(ctx, adcode, w, at, 'child')
	]);
	const units = new Set([...reviews.keys(), ...cases.keys(), ...cohort.keys()]);
	const out: SatisfactionInput[] = [];
	for (const unit of [...units].sort((a, b) => Number(a) - Number(b))) {
		const r = reviews.get(unit);
		const h = cohort.get(unit);
		const completed = cases.get(unit)?.completed ?? 0;
		const counted = countedReviews({ reviews: r?.reviews ?? 0, negative: r?.negative ?? 0, upheld: h?.upheld ?? 0 });
		if (counted.reviews <= 0) continue;
		// The methodology's column names for the counts.
		out.push({
			unit: String(Number(unit)),
			reviews: counted.reviews,
			positive: r?.positive ?? 0,
			negative: counted.negative,
			completed_cases: completed,
			reviewed_cases: reviewedCases(counted.reviews, completed),
			replied: h?.replied ?? 0,
			rectified: h?.rectified ?? 0,
			followed_up: h?.followed_up ?? 0,
			rectified_on_time: h?.rectified_on_time ?? 0
		});
	}
	return out;
}
