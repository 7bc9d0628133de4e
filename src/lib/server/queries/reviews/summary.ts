/**
 * Counts behind the 好差评 overview of a region, per Beijing day, inside the caller's scope (regionFilter):
 * reviews from the review rollup, completed cases from the case rollup, and the handling of each 差评 as a
 * cohort from negative_reviews (cohort.ts, the statement the cockpit counts with too). A 差评 whose appeal was
 * upheld by the instant is counted apart (`upheld`) so the figures can leave it out of their denominators.
 */
import { DAY_MS } from '../../../time/beijing-time.ts';
import { endOfBeijingDay } from '../../../time/working-days.ts';
import { regionFilter } from '../../scope.ts';
import { andAll, identifier, rows, type QueryCtx } from '../statement.ts';
import { rollupTable } from '../cockpit/so-far.ts';
import { negativeCohortCounts, type CohortCounts } from './cohort.ts';

export interface ReviewDay {
	bucket: string;
	reviews: number;
	positive: number;
	negative: number;
}

/** Reviews, 好评 and 差评 per Beijing day from the smallest review day rollup that answers (the catalogue's table decider). */
export async function reviewDays(ctx: QueryCtx, adcode: number, from: string, to: string): Promise<ReviewDay[]> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<{ bucket: string; reviews: string; positive: string; negative: string }>(
		ctx,
		`SELECT bucket, sum(reviews) AS reviews, sum(positive) AS positive, sum(negative) AS negative FROM ${identifier(rollupTable('reviews', 'day', adcode, 'total', ctx.scope))}
		 WHERE bucket >= {from:Date} AND bucket <= {to:Date} ${andAll(f.where)} GROUP BY bucket ORDER BY bucket`,
		{ ...f.params, from, to }
	);
	return r.map((x) => ({ bucket: x.bucket, reviews: Number(x.reviews), positive: Number(x.positive), negative: Number(x.negative) }));
}

/** Completed cases (办结) per Beijing day from the smallest case day rollup that answers. */
export async function completedDays(ctx: QueryCtx, adcode: number, from: string, to: string): Promise<Map<string, number>> {
	const f = regionFilter(adcode, ctx.scope);
	const r = await rows<{ bucket: string; completed: string }>(
		ctx,
		`SELECT bucket, sum(completed) AS completed FROM ${identifier(rollupTable('cases', 'day', adcode, 'total', ctx.scope))}
		 WHERE bucket >= {from:Date} AND bucket <= {to:Date} ${andAll(f.where)} GROUP BY bucket ORDER BY bucket`,
		{ ...f.params, from, to }
	);
	return new Map(r.map((x) => [x.bucket, Number(x.completed)]));
}

export interface HandlingDay extends CohortCounts {
	bucket: string;
}

/**
 * The 差评 cohort of each Beijing day received in [from, to] and its handling by the instant `at` (cohort.ts:
 * `negative` counts upheld appeals too, `upheld` those upheld by the instant, the rest are of the others).
 */
export async function handlingDays(ctx: QueryCtx, adcode: number, from: string, to: string, at: number): Promise<HandlingDay[]> {
	const w = { from: endOfBeijingDay(from) + 1 - DAY_MS, to: endOfBeijingDay(to) + 1 };
	const days = await negativeCohortCounts(ctx, adcode, w, at, 'day');
	return [...days].map(([bucket, c]) => ({ bucket, ...c })).sort((a, b) => a.bucket.localeCompare(b.bucket));
}
