import { DAY_MS as DAY, startOfBeijingDay } from '../../../time/beijing-time.ts';
import type { ReviewsPanel } from '../../../cockpit/model.ts';
import { figure, valueOf, ZERO } from '../../../reviews/figures.ts';
import { negativeBacklog, negativeCohort } from '../../queries/cockpit/reviews.ts';
import type { CohortCounts } from '../../queries/reviews/cohort.ts';
import { negativeReasonsUpTo, reviewCountsUpTo, type Counts } from '../../queries/cockpit/so-far.ts';
import { assertInScope } from '../../scope.ts';
import { parallel, type Ctx } from './shared.ts';

/** The figures' counts (reviews/figures.ts, /reviews' definitions) from the review counts and the 差评 cohort of one window. */
function countsOf(reviews: Counts | undefined, cohort: CohortCounts) {
	return { ...ZERO, ...cohort, cohort: cohort.negative, reviews: reviews?.reviews ?? 0, positive: reviews?.positive ?? 0, negative: reviews?.negative ?? 0 };
}

/**
 * 好差评 of a region up to the instant: 好评率 (30 days and today), 差评 waiting and past their deadline at
 * the instant, 整改率, top reasons. Nothing stamped after the instant counts. 整改率 is a cohort: of the 差评
 * received in the 30 days, those rectified by the instant (a rectification of an older 差评 does not count).
 * Every figure is /reviews' (reviews/figures.ts): a 差评 whose appeal was upheld by the instant leaves them all.
 */
export async function reviews(ctx: Ctx, adcode: number, now: number): Promise<ReviewsPanel> {
	const day = startOfBeijingDay(now);
	const month = { from: day - 29 * DAY, to: day + DAY };
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const todayWindow = { from: day, to: day + DAY };
	const [counts, cohort, today, todayCohort, backlog, reasons] = await parallel(
		() => reviewCountsUpTo(ctx, adcode, month, now, 'total'),
		() => negativeCohort(ctx, adcode, month, now),
		() => reviewCountsUpTo(ctx, adcode, todayWindow, now, 'total'),
		() => negativeCohort(ctx, adcode, todayWindow, now),
		() => negativeBacklog(ctx, adcode, now),
		() => negativeReasonsUpTo(ctx, adcode, month, now)
	);
	const m = countsOf(counts.get('total'), cohort);
	return {
		positiveRate: valueOf(figure('positiveRate'), m),
		positiveRateToday: valueOf(figure('positiveRate'), countsOf(today.get('total'), todayCohort)),
		negative: valueOf(figure('negativeCount'), m) ?? 0,
		negativeWaiting: backlog.waiting,
		negativeLate: backlog.late,
		rectifiedRate: valueOf(figure('rectifiedRate'), m),
		reasons
	};
}
