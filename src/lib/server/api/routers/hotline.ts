import { z } from 'zod';
import { beijingDate } from '../../../time/working-days.ts';
import { DAY_MS as DAY, startOfBeijingDay } from '../../../time/beijing-time.ts';
import { Adcode, QueryRequest } from '../../planner/request.ts';
import { runQuery } from '../../planner/run.ts';
import { scopedProcedure, router } from '../trpc.ts';

const adcode = Adcode;

export const hotlineRouter = router({
	/** 12345 of a region over the last `days` days by 诉求类型: 工单量, 接通率, 按时办结率, 满意率, 回访率. */
	overview: scopedProcedure.input(z.strictObject({ adcode, days: z.number().int().min(1).max(366).default(7) })).query(({ ctx, input }) => {
		const end = startOfBeijingDay(Date.now()) + DAY;
		const request = QueryRequest.parse({
			indicators: ['ticketVolume', 'answerRate', 'ticketOnTimeRate', 'satisfactionRate', 'followUpRate'],
			from: beijingDate(end - input.days * DAY),
			to: beijingDate(end),
			grain: 'total',
			region: { adcode: input.adcode },
			groupBy: ['ticketType']
		});
		return runQuery(ctx.warehouse, request, ctx.scope);
	})
});
