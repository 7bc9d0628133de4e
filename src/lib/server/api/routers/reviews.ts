import { z } from 'zod';
import { Adcode } from '../../planner/request.ts';
import { reviews } from '../../cockpit/panels.ts';
import { scopedProcedure, router } from '../trpc.ts';

const adcode = Adcode;

export const reviewsRouter = router({
	/** 好差评 of a region: 好评率 (30 days and today), 差评 waiting and past their deadline, 整改率, top reasons. */
	overview: scopedProcedure.input(z.strictObject({ adcode })).query(({ ctx, input }) => reviews(ctx, input.adcode, Date.now()))
});
