import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import type { Context } from './context.ts';
import { classify, publicMessage } from './errors.ts';
import { mayCall } from '../auth/access.ts';
import { scopeOf } from '../auth/principal.ts';

// Input refusals speak the wall's language: zod's own messages in Chinese (ours are written in Chinese).
z.config(z.locales.zhCN());

const t = initTRPC.context<Context>().create({
	// Never development replies (stack traces), whatever NODE_ENV says: the formatter below builds the whole shape.
	isDev: false,
	// Pings keep proxies from closing quiet streams and let a screen notice a dead
	// server: no ping for 15 s and the client reconnects (resuming from its last id).
	sse: { ping: { enabled: true, intervalMs: 5000 }, client: { reconnectAfterInactivityMs: 15_000 } },
	errorFormatter({ shape, error, ctx }) {
		// A code and a Chinese message, the request id to find the log line; input errors say which field and why.
		const requestId = ctx?.requestId;
		const issues = error.cause instanceof ZodError ? error.cause.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })) : undefined;
		return {
			code: shape.code,
			message: publicMessage(error, requestId),
			data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, requestId, issues }
		};
	}
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure: what it throws becomes a clear client error (400 / 403 / 503) or an internal one. */
const classified = t.procedure.use(async ({ next }) => {
	const result = await next();
	if (!result.ok) throw classify(result.error);
	return result;
});

/**
 * The door, before every procedure: no principal → 401; a procedure the
 * principal's role (or wall token) is not given in the matrix (auth/access.ts)
 * → 403; then the scope is the principal's regions, whatever the context says
 * (only trusted in-process callers bring their own).
 */
const door = t.middleware(({ ctx, path, next }) => {
	const principal = ctx.principal;
	if (!principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: '请先登录' });
	if (principal.kind === 'user' && principal.mustChangePassword) throw new TRPCError({ code: 'FORBIDDEN', message: '请先修改初始密码（/account/password）' });
	if (!mayCall(principal, path)) throw new TRPCError({ code: 'FORBIDDEN', message: `您的角色无权使用此功能：${path.slice(0, 80)}` });
	return next({ ctx: { scope: principal.kind === 'system' ? ctx.scope : scopeOf(principal) } });
});

const base = classified.use(door);

/** Marks a procedure as built on `scopedProcedure` (the router-walk test looks for it). */
export const scoped = t.middleware(({ ctx, next }) => next({ ctx: { scope: ctx.scope } }));

/** Marks a procedure as built on `publicProcedure`; its resolver sees no scope. */
export const unscoped = t.middleware(({ next }) => next({ ctx: { scope: undefined } }));

/**
 * Every procedure and subscription that reads data of a region: it receives the
 * caller's scope (api/context.ts) and checks it with ../scope.ts.
 */
export const scopedProcedure = base.use(scoped);

/** The few procedures that read nothing of any region (the indicator catalogue): no scope at all. */
export const publicProcedure = base.use(unscoped);
