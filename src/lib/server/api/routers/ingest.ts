import { deadLettersByReason, workerMetrics } from '../../queries/ingest/health.ts';
import { assertWholeScope } from '../../scope.ts';
import { scopedProcedure, router } from '../trpc.ts';

export const ingestRouter = router({
	/** The latest metrics of each ingest worker, and dead letters of the last day by reason: the whole feed, so the whole scope. */
	health: scopedProcedure.query(async ({ ctx }) => {
		assertWholeScope(ctx.scope);
		const [workers, deadLetters] = await Promise.all([workerMetrics(ctx), deadLettersByReason(ctx)]);
		return { workers, deadLetters };
	})
});
