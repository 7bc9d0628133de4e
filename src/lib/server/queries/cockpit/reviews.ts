/**
 * 好差评 statements of a region for the cockpit, inside the caller's scope (regionFilter). The 差评 cohort and the
 * backlog are /reviews' own statements (queries/reviews/cohort.ts): a leader and a service manager see the same
 * numbers for the same region and period, upheld appeals (申诉成立) left out of both.
 */
import type { TimeWindow } from '../../../time/windows.ts';
import { cohortCounts, negativeCohortCounts, type CohortCounts } from '../reviews/cohort.ts';
import type { QueryCtx } from '../statement.ts';

export { negativeBacklog } from '../reviews/cohort.ts';

/**
 * 差评整改率's cohort (GB/T 39735): the 差评 a region received in the window capped at the instant `at`, how many
 * of them had their appeal upheld by `at`, and of the others those replied to, rectified, followed up … by `at`.
 */
export async function negativeCohort(ctx: QueryCtx, adcode: number, w: TimeWindow, at: number): Promise<CohortCounts> {
	return (await negativeCohortCounts(ctx, adcode, w, at, 'total')).get('total') ?? cohortCounts(undefined);
}

// The six top 差评 reasons over a window up to an instant: negativeReasonsUpTo in so-far.ts.
