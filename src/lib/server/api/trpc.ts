import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { Context } from './context.ts';
import { PlanError } from '../planner/plan.ts';

const t = initTRPC.context<Context>().create({
	// Pings keep proxies from closing quiet streams and let a screen notice a dead
	// server: no ping for 15 s and the client reconnects (resuming from its last id).
	sse: { ping: { enabled: true, intervalMs: 5000 }, client: { reconnectAfterInactivityMs: 15_000 } },
	errorFormatter({ shape, error }) {
		// Input errors say which field and why.
		const issues = error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : undefined;
		return { ...shape, data: { ...shape.data, issues } };
	}
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure: input and planner errors become clear client errors. */
export const procedure = t.procedure.use(async ({ next }) => {
	const result = await next();
	if (!result.ok && result.error.cause instanceof ZodError) {
		const message = result.error.cause.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
		throw new TRPCError({ code: 'BAD_REQUEST', message, cause: result.error.cause });
	}
	if (!result.ok && result.error.cause instanceof PlanError) {
		const forbidden = /outside your scope/.test(result.error.cause.message);
		throw new TRPCError({ code: forbidden ? 'FORBIDDEN' : 'BAD_REQUEST', message: result.error.cause.message, cause: result.error.cause });
	}
	return result;
});
