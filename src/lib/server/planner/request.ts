/**
 * What a screen may ask for: indicators over a time range at a grain, for a
 * region or its sub-regions, filtered and grouped by dimensions, with an
 * optional comparison period. Validated with zod; clear messages.
 */
import { z } from 'zod';
import { INDICATOR_CODES } from '../../indicators/catalogue.ts';
import { beijingLocal, DAY_MS } from '../../time/beijing-time.ts';
import { parseTimestamp } from '../../time/timestamps.ts';
import { Adcode } from '../../regions/index.ts';

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$/;

/**
 * The window every time in a request must fall in. Back to 2000: the oldest
 * statistics the catalogue carries, and every comparison (a year before) stays
 * inside the warehouse's Date range. Forward 400 days: targets and schedules
 * reach into next year; nothing is stored beyond that, and far enough out date
 * arithmetic overflows (an unbounded `at` once crashed the web process).
 */
export const EARLIEST_MS = parseTimestamp('2000-01-01T00:00');
export const AHEAD_MS = 400 * DAY_MS;

/**
 * An instant to compute a panel for (epoch ms): within 400 days of now either
 * way. A wall asks for now, a replay or a test for an instant of the last year;
 * panels compare with a year before, which stays inside the stored range.
 */
export const Instant = z
	.number()
	.int()
	.refine((v) => Math.abs(v - Date.now()) <= AHEAD_MS, { message: '时间须在当前时间前后 400 天之内（毫秒时间戳）' });

/** A Beijing local date or time, 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM', as epoch ms, within the window above. */
const localTime = z
	.string()
	.max(19)
	.regex(LOCAL_TIME, '须为北京时间日期 YYYY-MM-DD 或时间 YYYY-MM-DDTHH:MM')
	.transform((text, ctx) => {
		const ms = parseTimestamp(text.length === 10 ? `${text}T00:00` : text);
		if (Number.isNaN(ms)) {
			ctx.addIssue({ code: 'custom', message: `不是有效的日期：${text}` });
			return z.NEVER;
		}
		const latest = Date.now() + AHEAD_MS;
		if (ms < EARLIEST_MS || ms > latest) {
			ctx.addIssue({ code: 'custom', message: `须在 2000-01-01 与 ${beijingLocal(latest).slice(0, 10)} 之间：${text}` });
			return z.NEVER;
		}
		return ms;
	});

// A region (0 for the nation, or a GB/T 2260 code) has one validator: src/lib/regions; re-exported for existing imports.
export { Adcode } from '../../regions/index.ts';
const adcode = Adcode;
const values = (max: number) => z.array(z.string().min(1).max(128)).min(1).max(max);

/** A live stream's last event id (the hub's tick number), echoed back by a reconnecting client. */
export const LastEventId = z.string().max(32);

/** The fields of a request; unknown keys are refused (never silently ignored, never part of a topic). */
export const QueryFields = z.strictObject({
	indicators: z
		.array(z.enum(INDICATOR_CODES, { error: (i) => `未知指标 ${JSON.stringify(i.input)}` }))
		.min(1)
		.max(24),
	from: localTime,
	to: localTime,
	grain: z.enum(['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'total']),
	region: z.strictObject({ adcode, by: z.enum(['self', 'children']).default('self') }),
	filters: z
		.strictObject({
			department: values(50).optional(),
			item: values(200).optional(),
			channel: z
				.array(z.enum(['counter', 'web', 'mobile', 'kiosk', 'hotline']))
				.min(1)
				.max(5)
				.optional(),
			ticketType: z
				.array(z.enum(['complaint', 'request', 'advice', 'inquiry', 'praise']))
				.min(1)
				.max(5)
				.optional(),
			topic: values(50).optional()
		})
		.default({}),
	groupBy: z
		.array(z.enum(['department', 'item', 'channel', 'ticketType', 'topic']))
		.max(2)
		.default([]),
	compare: z.enum(['none', 'previousPeriod', 'previousDay', 'previousWeek', 'yoy', 'mom']).default('none')
});

const GRAIN_ZH: Record<string, string> = { minute: '分钟', hour: '小时', day: '日', week: '周', month: '月', quarter: '季度', year: '年', total: '合计' };

/** The range rules of a request (to after from; a span each grain can carry), for schemas built on QueryFields. */
export function refineRange(r: { from: number; to: number; grain: z.output<typeof QueryFields>['grain'] }, ctx: z.RefinementCtx): void {
	if (r.to <= r.from) ctx.addIssue({ code: 'custom', path: ['to'], message: '须晚于 from' });
	const span = r.to - r.from;
	const limits: Record<string, number> = {
		minute: 2 * DAY_MS,
		hour: 62 * DAY_MS,
		day: 3 * 366 * DAY_MS,
		week: 10 * 366 * DAY_MS,
		month: 20 * 366 * DAY_MS,
		quarter: 20 * 366 * DAY_MS,
		year: 20 * 366 * DAY_MS,
		total: 20 * 366 * DAY_MS
	};
	if (span > limits[r.grain]!)
		ctx.addIssue({ code: 'custom', path: ['grain'], message: `${GRAIN_ZH[r.grain]}粒度的序列最多跨 ${Math.round(limits[r.grain]! / DAY_MS)} 天` });
}

export const QueryRequest = QueryFields.superRefine(refineRange);

export type QueryRequest = z.output<typeof QueryRequest>;
export type QueryInput = z.input<typeof QueryRequest>;
