/**
 * The evaluators' workbench (/evaluate, issue 16): the built-in methodologies,
 * live input tables of the capability and satisfaction indices (scoped), the
 * published results to compare with, what moves an indicator (departments and
 * items, for target seeking), and saved scenarios. The index itself is computed
 * in the browser (src/lib/indices), from exactly these rows.
 */
import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { Adcode } from '../../planner/request.ts';
import { builtinMethodologies } from '../../../indices/builtins.ts';
import { parseMethodologyText } from '../../../indices/upload.ts';
import { webAppDb } from '../../auth/door.ts';
import { recordAudit } from '../../audit/audit.ts';
import { createLogger } from '../../log/logger.ts';
import { inScope } from '../../scope.ts';
import { liveTable, liveTargets, movers, periodWindow, type LivePeriod } from '../../queries/evaluate/live.ts';
import { publishedCapability, publishedEgdi } from '../../queries/evaluate/published.ts';
import { deleteScenario, selectScenario, selectScenarios, upsertScenario, type ScenarioRow } from '../../queries/evaluate/scenarios.ts';
import type { Context } from '../context.ts';
import { router, scopedProcedure } from '../trpc.ts';

const log = createLogger('web');

/** The built-ins computed from live data. */
export const LIVE_METHODOLOGIES = ['capability', 'satisfaction'] as const;

const MAX_SPAN_DAYS = 366;
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD');
const Year = z.number().int().min(2000, '年份须在 2000 年之后').max(2100);

/** A period: a year, or Beijing dates [from, to). */
const PeriodFields = {
	year: Year.optional(),
	from: DATE.optional(),
	to: DATE.optional()
};

function periodOf(i: { year?: number; from?: string; to?: string }): LivePeriod {
	if (i.year !== undefined) return { year: i.year };
	return { from: i.from!, to: i.to! };
}

const periodRule = (i: { year?: number; from?: string; to?: string }, ctx: z.RefinementCtx) => {
	const hasRange = i.from !== undefined || i.to !== undefined;
	if ((i.year === undefined) === !hasRange || (hasRange && (i.from === undefined || i.to === undefined)))
		ctx.addIssue({ code: 'custom', path: ['year'], message: '请给出年份（year）或起止日期（from、to）之一' });
	else if (hasRange && i.to! <= i.from!) ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期须晚于开始日期' });
	// A year at most (the item-level statement reads the detailed daily rollup).
	else if (hasRange && Date.parse(i.to!) - Date.parse(i.from!) > MAX_SPAN_DAYS * 86_400_000)
		ctx.addIssue({ code: 'custom', path: ['to'], message: `期间最长 ${MAX_SPAN_DAYS} 天` });
};

export const LiveInput = z
	.strictObject({
		methodology: z.enum(LIVE_METHODOLOGIES),
		level: z.enum(['province', 'city']),
		province: Adcode.optional(),
		...PeriodFields
	})
	.superRefine((i, ctx) => {
		periodRule(i, ctx);
		if (i.level === 'city' && i.province === undefined) ctx.addIssue({ code: 'custom', path: ['province'], message: '按城市评估须选择省份' });
	});

/** A period that has not begun has no data: said, not returned empty. */
function checkPeriod(period: LivePeriod, now: number): void {
	const w = periodWindow(period, now);
	if (w.to <= w.from) throw new TRPCError({ code: 'BAD_REQUEST', message: '所选期间尚未开始，没有数据' });
}

// ------------------------------------------------------------- scenarios

const NodeId = z
	.string()
	.regex(/^[A-Za-z][A-Za-z0-9_]*$/, '指标或分组编号无效')
	.max(64);
const bounded = <T extends z.ZodType>(schema: T, max: number, what: string) =>
	z.record(z.string().max(200), schema).refine((r) => Object.keys(r).length <= max, `${what}最多 ${max} 项`);

export const ScenarioPayload = z.strictObject({
	methodology: z.discriminatedUnion('kind', [
		z.strictObject({ kind: z.literal('builtin'), id: z.string().max(64) }),
		/** An uploaded methodology document, kept as it was validated. */
		z.strictObject({ kind: z.literal('uploaded'), document: z.record(z.string(), z.unknown()) })
	]),
	source: z.discriminatedUnion('kind', [
		z.strictObject({
			kind: z.literal('live'),
			methodology: z.enum(LIVE_METHODOLOGIES),
			level: z.enum(['province', 'city']),
			province: Adcode.optional(),
			...PeriodFields
		}),
		/** An uploaded table: its file name only (the data stays with the user). */
		z.strictObject({ kind: z.literal('upload'), name: z.string().max(200) })
	]),
	/** unit → indicator id → new raw value. */
	edits: bounded(z.record(NodeId, z.number().finite()), 500, '修改的地区').default({}),
	/** node id → weight. */
	weights: z
		.record(NodeId, z.number().finite().nonnegative('权重不能为负'))
		.refine((r) => Object.keys(r).length <= 500, '权重最多 500 项')
		.default({}),
	target: z.strictObject({ unit: z.string().max(200), rank: z.number().int().min(1).optional(), grade: z.string().max(64).optional() }).optional(),
	note: z.string().max(500).optional()
});
export type ScenarioPayload = z.output<typeof ScenarioPayload>;

export const MAX_SCENARIO_BYTES = 64 * 1024;
const ScenarioId = z.string().regex(/^[A-Za-z0-9_-]{12,32}$/, '方案编号无效');

function appDbOf(ctx: Context) {
	return ctx.appDb ?? webAppDb();
}

/** The signed-in user's id: scenarios belong to people, not to wall tokens or in-process callers. */
function userOf(ctx: Context): { userId: number; name: string } {
	const p = ctx.principal;
	if (p?.kind !== 'user') throw new TRPCError({ code: 'FORBIDDEN', message: '保存方案需要以评估人员身份登录' });
	return { userId: p.userId, name: p.name };
}

/** The region a scenario's data concerns: the nation for provinces, the province for its cities; none for an upload. */
function regionOf(payload: ScenarioPayload): number | null {
	if (payload.source.kind !== 'live') return null;
	return payload.source.level === 'province' ? 0 : (payload.source.province ?? 0);
}

function view(r: ScenarioRow, userId: number) {
	return {
		id: r.id,
		name: r.name,
		owner: r.owner,
		mine: Number(r.user_id) === userId,
		shared: r.shared,
		region: r.region,
		updatedAt: r.updated_at.toISOString(),
		payload: r.payload as ScenarioPayload
	};
}

/** Whether a user may read a scenario: their own, or a shared one over a region their scope covers. */
function mayRead(ctx: Context, r: ScenarioRow, userId: number): boolean {
	return Number(r.user_id) === userId || (r.shared && (r.region === null || inScope(r.region, ctx.scope)));
}

const scenariosRouter = router({
	/** The caller's scenarios and the shared ones they may read, newest first. */
	list: scopedProcedure.query(async ({ ctx }) => {
		const { userId } = userOf(ctx);
		const rows = await selectScenarios(appDbOf(ctx), userId, 200);
		return rows
			.filter((r) => mayRead(ctx, r, userId))
			.map((r) => view(r, userId))
			.map(({ payload: _payload, ...rest }) => rest);
	}),
	/** Saves by name (the same name replaces the user's earlier one); returns the shareable id. */
	save: scopedProcedure
		.input(
			z.strictObject({
				name: z.string().trim().min(1, '请填写方案名称').max(60, '方案名称最多 60 个字'),
				shared: z.boolean().default(false),
				payload: ScenarioPayload
			})
		)
		.mutation(async ({ ctx, input }) => {
			const { userId, name } = userOf(ctx);
			const text = JSON.stringify(input.payload);
			if (new TextEncoder().encode(text).length > MAX_SCENARIO_BYTES) throw new TRPCError({ code: 'BAD_REQUEST', message: '方案内容过大（最多 64 KB）' });
			if (input.payload.methodology.kind === 'builtin' && !builtinMethodologies()[input.payload.methodology.id])
				throw new TRPCError({ code: 'BAD_REQUEST', message: '没有这个内置评估方法（payload.methodology.id）' });
			if (input.payload.methodology.kind === 'uploaded') {
				const checked = parseMethodologyText(JSON.stringify(input.payload.methodology.document), 'scenario.json');
				if (!checked.ok)
					throw new TRPCError({
						code: 'BAD_REQUEST',
						message: `上传的评估方法无效：${checked.issues
							.slice(0, 3)
							.map((i) => `${i.path || '（整体）'} ${i.message}`)
							.join('；')
							.slice(0, 300)}`
					});
			}
			const region = regionOf(input.payload);
			// A scenario over data the user may not see is refused (the same rule as evaluate.live): saving is no way around the scope.
			if (input.payload.source.kind === 'live') liveTargets(ctx, input.payload.source.level, input.payload.source.province);
			// The change and its audit entry in one transaction: a save that cannot be put on record does not happen.
			const id = await appDbOf(ctx).transaction(async (tx) => {
				const saved = await upsertScenario(tx, {
					id: randomBytes(12).toString('base64url'),
					userId,
					name: input.name,
					region,
					shared: input.shared,
					payload: text
				});
				await recordAudit(tx, {
					actor: { kind: 'user', id: userId, name },
					action: 'scenario_change',
					detail: {
						scenario: saved,
						name: input.name,
						change: 'save',
						shared: input.shared,
						methodology: input.payload.methodology.kind === 'builtin' ? input.payload.methodology.id : 'uploaded'
					},
					regions: region === null ? [] : [region],
					requestId: ctx.requestId ?? null
				});
				return saved;
			});
			log.info({ requestId: ctx.requestId, user: name, scenario: id, shared: input.shared }, 'scenario saved');
			return { id };
		}),
	/** One scenario by its id (a shared URL): the owner's, or a shared one within the caller's scope. */
	get: scopedProcedure.input(z.strictObject({ id: ScenarioId })).query(async ({ ctx, input }) => {
		const { userId } = userOf(ctx);
		const r = await selectScenario(appDbOf(ctx), input.id);
		if (!r) throw new TRPCError({ code: 'NOT_FOUND', message: '找不到该方案' });
		if (!mayRead(ctx, r, userId)) throw new TRPCError({ code: 'FORBIDDEN', message: '无权查看该方案（未共享或不在您的数据范围内）' });
		return view(r, userId);
	}),
	/** Removes one of the caller's own scenarios; `removed: false` when there was none of theirs by that id. */
	remove: scopedProcedure.input(z.strictObject({ id: ScenarioId })).mutation(async ({ ctx, input }) => {
		const { userId, name } = userOf(ctx);
		const removed = await appDbOf(ctx).transaction(async (tx) => {
			if (!(await deleteScenario(tx, input.id, userId))) return false;
			await recordAudit(tx, {
				actor: { kind: 'user', id: userId, name },
				action: 'scenario_change',
				detail: { scenario: input.id, change: 'remove' },
				requestId: ctx.requestId ?? null
			});
			return true;
		});
		// Idempotent: removing what is not (or no longer) one's own changes nothing and says so.
		if (removed) log.info({ requestId: ctx.requestId, user: name, scenario: input.id }, 'scenario removed');
		return { removed };
	})
});

export const evaluateRouter = router({
	/** The built-in methodologies, whole (the browser computes with them), and which of them have live data. */
	methodologies: scopedProcedure.query(() =>
		Object.values(builtinMethodologies()).map((m) => ({
			id: m.id,
			name: m.name,
			nameZh: m.nameZh ?? m.name,
			description: m.description ?? '',
			assumptions: m.assumptions,
			source: m.source ?? '',
			live: (LIVE_METHODOLOGIES as readonly string[]).includes(m.id),
			methodology: m
		}))
	),
	/** A built-in index's input table from live data: the provinces (national scope) or the cities of a province, over a period. */
	live: scopedProcedure.input(LiveInput).query(async ({ ctx, input }) => {
		const now = Date.now();
		const period = periodOf(input);
		checkPeriod(period, now);
		return liveTable(ctx, { methodology: input.methodology, level: input.level, province: input.province, period }, now);
	}),
	/** Published results to compare with: the 2020 capability report (provinces) or the UN EGDI. */
	baseline: scopedProcedure.input(z.strictObject({ kind: z.enum(['capability', 'egdi']), edition: Year.optional() })).query(async ({ ctx, input }) => {
		if (input.kind === 'capability') {
			const rows = await publishedCapability(ctx, input.edition);
			return {
				kind: input.kind,
				methodology: 'capability-published',
				edition: rows[0]?.edition ?? null,
				dataYear: rows[0]?.dataYear ?? null,
				source: '省级政府和重点城市一体化政务服务能力调查评估报告',
				sourceUrl: rows[0]?.sourceUrl ?? '',
				units: rows.map((r) => ({ unit: r.name, adcode: r.adcode, score: r.score, rank: r.rank, note: r.note }))
			};
		}
		const rows = await publishedEgdi(ctx, input.edition);
		return {
			kind: input.kind,
			methodology: 'egdi',
			edition: rows[0]?.surveyYear ?? null,
			dataYear: rows[0]?.surveyYear ?? null,
			source: 'UN E-Government Survey',
			sourceUrl: rows[0]?.sourceUrl ?? '',
			units: rows.map((r) => ({ unit: r.country, adcode: null, score: r.egdi, rank: r.rank, note: '', osi: r.osi, hci: r.hci, tii: r.tii }))
		};
	}),
	/** Which departments and items move an indicator of a unit most (target seeking links into /analyze). */
	movers: scopedProcedure
		.input(z.strictObject({ indicator: NodeId, adcode: Adcode, limit: z.number().int().min(1).max(20).default(5), ...PeriodFields }).superRefine(periodRule))
		.query(async ({ ctx, input }) => {
			const now = Date.now();
			const period = periodOf(input);
			checkPeriod(period, now);
			return movers(ctx, { indicator: input.indicator, adcode: input.adcode, period, limit: input.limit }, now);
		}),
	scenarios: scenariosRouter
});
