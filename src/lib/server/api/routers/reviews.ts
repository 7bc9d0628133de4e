import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { Adcode } from '../../planner/request.ts';
import { reviews } from '../../cockpit/panels.ts';
import { scopedProcedure, router } from '../trpc.ts';
import { CHANNELS } from '../../../../../ingest/contract/events.ts';
import { QUEUE_SORTS } from '../../../reviews/queue.ts';
import { SATISFACTION_WORDS, STATE_LABELS, type ReviewState } from '../../../reviews/state.ts';
import { queue, rankings, summary, timeline, topics } from '../../reviews/service.ts';
import { act, SCREEN_ACTIONS } from '../../reviews/act.ts';
import { decodeCursor, encodeCursor } from '../../reviews/cursor.ts';
import { webAppDb } from '../../auth/door.ts';

const adcode = Adcode;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest period one call reads. */
const MAX_DAYS = 400;
const date = z
	.string()
	.regex(DATE, '日期格式应为 YYYY-MM-DD')
	.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), '不是有效的日期');
const period = {
	adcode,
	from: date,
	to: date
};
const checkPeriod = (p: { from: string; to: string }, ctx: z.RefinementCtx) => {
	const days = (Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000;
	if (days < 0) ctx.addIssue({ code: 'custom', path: ['from'], message: '开始日期须不晚于结束日期' });
	else if (days >= MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `一次最多查询 ${MAX_DAYS} 天` });
};
const name = z.string().min(1).max(128);
const STATES = Object.keys(STATE_LABELS) as [ReviewState, ...ReviewState[]];

const QueueInput = z.strictObject({
	adcode,
	state: z.enum(STATES).optional(),
	due: z.enum(['overdue', 'soon', 'all']).optional(),
	item: name.optional(),
	department: name.optional(),
	channel: z.enum(CHANNELS).optional(),
	sort: z.enum(QUEUE_SORTS).default('deadline'),
	cursor: z.string().max(1024).optional(),
	limit: z.number().int().min(1).max(100).default(50),
	/** 差评 received within the last this many days (default 365). */
	days: z.number().int().min(1).max(730).optional()
});

const ActInput = z.strictObject({
	reviewId: z.string().min(1).max(128),
	action: z.enum(SCREEN_ACTIONS),
	note: z.string().max(2000, '说明最长 2000 字').default(''),
	/** 回访整改满意度: 1–5 or 非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意. */
	satisfaction: z
		.union([z.number().int().min(1).max(5), z.enum(Object.keys(SATISFACTION_WORDS) as [string, ...string[]]).transform((w) => SATISFACTION_WORDS[w]!)])
		.optional(),
	decision: z.enum(['upheld', 'overturned']).optional(),
	/** One per intended action, from the client (a double click sends the same key). */
	idempotencyKey: z
		.string()
		.min(8)
		.max(64)
		.regex(/^[A-Za-z0-9_-]+$/, '幂等键只能含字母、数字、下划线和连字符')
});

export const reviewsRouter = router({
	/** 好差评 of a region: 好评率 (30 days and today), 差评 waiting and past their deadline, 整改率, top reasons. */
	overview: scopedProcedure.input(z.strictObject({ adcode })).query(({ ctx, input }) => reviews(ctx, input.adcode, Date.now())),

	/** The overview's figures (GB/T 39735-2020) for a region and Beijing dates [from, to]: value, day and week trend, 同比, the parent region's. */
	summary: scopedProcedure.input(z.strictObject(period).superRefine(checkPeriod)).query(({ ctx, input }) => summary(ctx, input)),

	/** Departments, items, halls or sub-regions on the satisfaction index, with the Wilson interval's rank range. */
	rankings: scopedProcedure
		.input(z.strictObject({ ...period, by: z.enum(['department', 'item', 'region', 'hall']) }).superRefine(checkPeriod))
		.query(({ ctx, input }) => rankings(ctx, input)),

	/** Every 差评 with its state and deadline; filters, a sort and keyset pages (`cursor` from the previous page's `next`). */
	queue: scopedProcedure.input(QueueInput).query(async ({ ctx, input }) => {
		const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
		if (after === null) throw new TRPCError({ code: 'BAD_REQUEST', message: '分页游标无效，请从第一页重新查询' });
		const page = await queue(ctx, { ...input, after });
		return { ...page, next: page.next ? encodeCursor(page.next) : null };
	}),

	/** One review's events in order: the review, then each handling action. */
	timeline: scopedProcedure.input(z.strictObject({ reviewId: z.string().min(1).max(128) })).query(({ ctx, input }) => timeline(ctx, input.reviewId)),

	/** Handle a 差评: verify, reply, rectify, follow up (with 回访整改满意度), appeal, decide an appeal. Refused with the reason when the state does not allow it. */
	act: scopedProcedure.input(ActInput).mutation(({ ctx, input }) => {
		if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: '请先登录' });
		return act(ctx, ctx.principal, ctx.appDb ?? webAppDb(), input);
	}),

	/** 差评 topics: tags and the topic dictionary over segmented comments; unmatched frequent words; per item and hall; 反复出现. */
	topics: scopedProcedure.input(z.strictObject({ ...period, item: name.optional() }).superRefine(checkPeriod)).query(({ ctx, input }) => topics(ctx, input))
});
