import { DAY_MS as DAY, startOfBeijingDay } from '../../../time/beijing-time.ts';
import type { ReviewsPanel } from '../../../cockpit/model.ts';
import { negativeBacklog, negativeReasons } from '../../queries/cockpit/reviews.ts';
import { assertInScope } from '../../scope.ts';
import { parallel, query, range, type Ctx } from './shared.ts';

/** 好差评 of a region: 好评率 (30 days and today), 差评 waiting and past their deadline, 整改率, top reasons. */
export async function reviews(ctx: Ctx, adcode: number, now: number): Promise<ReviewsPanel> {
	const day = startOfBeijingDay(now);
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const [month, today, backlog, reasons] = await parallel(
		() =>
			query(ctx, { indicators: ['positiveRate', 'negativeCount', 'rectifiedRate'], ...range(day - 29 * DAY, day + DAY), grain: 'total', region: { adcode } }),
		() => query(ctx, { indicators: ['positiveRate'], ...range(day, day + DAY), grain: 'total', region: { adcode } }),
		() => negativeBacklog(ctx, adcode),
		() => negativeReasons(ctx, adcode, day - 29 * DAY, day + DAY)
	);
	const m = month.series[0]?.total ?? {};
	return {
		positiveRate: m.positiveRate ?? null,
		positiveRateToday: today.series[0]?.total.positiveRate ?? null,
		negative: month.series[0]?.total.negativeCount ?? 0,
		negativeWaiting: backlog.waiting,
		negativeLate: backlog.late,
		rectifiedRate: m.rectifiedRate ?? null,
		reasons
	};
}
