import { router, createCallerFactory } from './trpc.ts';
import { indicatorsRouter } from './routers/indicators.ts';
import { regionsRouter } from './routers/regions.ts';
import { liveRouter } from './routers/live.ts';
import { ingestRouter } from './routers/ingest.ts';
import { economyRouter } from './routers/economy.ts';
import { cockpitRouter } from './routers/cockpit.ts';
import { reviewsRouter } from './routers/reviews.ts';
import { hotlineRouter } from './routers/hotline.ts';
import { analyzeRouter } from './routers/analyze.ts';
import { evaluateRouter } from './routers/evaluate.ts';

export const appRouter = router({
	indicators: indicatorsRouter,
	regions: regionsRouter,
	live: liveRouter,
	ingest: ingestRouter,
	economy: economyRouter,
	cockpit: cockpitRouter,
	reviews: reviewsRouter,
	analyze: analyzeRouter,
	hotline: hotlineRouter,
	evaluate: evaluateRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
