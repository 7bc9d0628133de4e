import { DAY_MS as DAY, startOfBeijingDay } from '../../../time/beijing-time.ts';
import type { ReviewsPanel } from '../../../cockpit/model.ts';
import { negativeBacklog, negativeCohort } from '../../queries/cockpit/reviews.ts';
import { negativeReasonsUpTo, reviewCountsUpTo } from '../../queries/cockpit/so-far.ts';
import { assertInScope } from '../../scope.ts';
import { parallel, valueFromCounts, type Ctx } from './shared.ts';

/**
 * 好差评 of a region up to the instant: 好评率 (30 days and today), 差评 waiting and past their deadline at
 * the instant, 整改率, top reasons. Nothing stamped after the instant counts. 整改率 is a cohort: of the 差评
 * received in the 30 days, those rectified by the instant (a rectification of an older 差评 does not count).
 */
export async function reviews(ctx: Ctx, adcode: number, now: number): Promise<ReviewsPanel> {
	const day = startOfBeijingDay(now);
	const month = { from: day - 29 * DAY, to: day + DAY };
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const [counts, cohort, today, backlog, reasons] = await parallel(
		() => reviewCountsUpTo(ctx, adcode, month, now, 'total'),
		() => negativeCohort(ctx, adcode, month, now),
		() => reviewCountsUpTo(ctx, adcode, { from: day, to: day + DAY }, now, 'total'),
		() => negativeBacklog(ctx, adcode, now),
		() => negativeReasonsUpTo(ctx, adcode, month, now)
	);
	const m = counts.get('total');
	return {
		positiveRate: valueFromCounts('positiveRate', m),
		positiveRateToday: valueFromCounts('positiveRate', today.get('total')),
		negative: valueFromCounts('negativeCount', m) ?? 0,
		negativeWaiting: backlog.waiting,
		negativeLate: backlog.late,
		rectifiedRate: valueFromCounts('rectifiedRate', cohort),
		reasons
	};
}
