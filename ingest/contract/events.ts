/**
 * The ingest contract: one JSON event per line, `type` names its kind, and a
 * stable id makes a replay idempotent. Documented in the README; enforced here.
 *
 * Timestamps are ISO 8601. Without an offset they are read as Beijing time
 * (+08:00), which is what Chinese source systems write; they are stored in UTC.
 */
import { z } from 'zod';
import { ADCODE_MAX, ADCODE_MIN } from '../../src/lib/regions/index.ts';
import { parseTimestamp } from '../../src/lib/time/timestamps.ts';
import { REVIEW_ACTIONS, SATISFACTION_WORDS } from '../../src/lib/reviews/state.ts';
import { INDICATOR_CODES as SERVICE_INDICATOR_CODES } from '../../src/lib/indicators/catalogue.ts';

export const EVENT_TYPES = ['case', 'review', 'review_action', 'ticket', 'indicator', 'warning', 'target'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CASE_STATUSES = ['submitted', 'accepted', 'completed', 'rejected'] as const;
export const CHANNELS = ['counter', 'web', 'mobile', 'kiosk', 'hotline'] as const;
// The handling of a 差评 (src/lib/reviews/state.ts decides which action a review's state allows).
export { REVIEW_ACTIONS } from '../../src/lib/reviews/state.ts';
export const TICKET_STATUSES = ['created', 'answered', 'dispatched', 'closed'] as const;
export const TICKET_TYPES = ['complaint', 'request', 'advice', 'inquiry', 'praise'] as const;
export const WARNING_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** Economic indicator codes of the glossary. */
export const INDICATOR_CODES = [
	'gdp',
	'industrialValueAdded',
	'fixedAssetInvestment',
	'retailSales',
	'fiscalRevenue',
	'tradeTotal',
	'unemploymentRate',
	'cpi'
] as const;

const id = z.string().min(1).max(128);
const name = z.string().max(256);
const timestamp = z
	.string()
	.max(40)
	.transform((text, ctx) => {
		const ms = parseTimestamp(text);
		if (Number.isNaN(ms)) {
			ctx.addIssue({ code: 'custom', message: `not an ISO 8601 timestamp: ${JSON.stringify(text)}` });
			return z.NEVER;
		}
		return ms;
	});
const adcode = z
	.union([
		z.number().int(),
		z
			.string()
			.regex(/^\d{6}$/, 'must be six digits')
			.transform(Number)
	])
	.pipe(z.number().int().min(ADCODE_MIN, 'must be a GB/T 2260 code').max(ADCODE_MAX, 'must be a GB/T 2260 code'));

export const CaseEvent = z.object({
	type: z.literal('case'),
	event_id: id,
	case_id: id,
	status: z.enum(CASE_STATUSES),
	ts: timestamp,
	adcode,
	department: name.min(1),
	item_code: id,
	item_name: name.min(1),
	channel: z.enum(CHANNELS),
	/** 0 for an instant item (即办件). */
	promised_days: z.number().int().min(0).max(365),
	trips: z.number().int().min(0).max(99),
	cross_province: z.boolean(),
	/** When the case was submitted; on completed and rejected events, for processing time and the deadline. */
	submitted_ts: timestamp.optional()
});

export const ReviewEvent = z.object({
	type: z.literal('review'),
	review_id: id,
	case_id: id,
	ts: timestamp,
	adcode,
	department: name.min(1),
	item_code: id,
	channel: z.enum(CHANNELS),
	rating: z.number().int().min(1).max(5),
	named: z.boolean(),
	tags: z.array(z.string().min(1).max(64)).max(20).default([]),
	comment: z.string().max(2000).default('')
});

export const ReviewActionEvent = z.object({
	type: z.literal('review_action'),
	action_id: id,
	review_id: id,
	action: z.enum(REVIEW_ACTIONS),
	ts: timestamp,
	/** What was done or said: the rectification, the reply, the reason of an appeal's decision. */
	outcome: z.string().max(2000).default(''),
	/** follow_up: the citizen's satisfaction with the rectification (回访整改满意度), 1–5 or 非常满意 … 非常不满意. */
	satisfaction: z
		.union([z.number().int().min(1).max(5), z.enum(Object.keys(SATISFACTION_WORDS) as [string, ...string[]]).transform((w) => SATISFACTION_WORDS[w]!)])
		.nullable()
		.default(null),
	/** The reviewed case's region, when the source knows it. */
	adcode: adcode.optional()
});

export const TicketEvent = z.object({
	type: z.literal('ticket'),
	event_id: id,
	ticket_id: id,
	status: z.enum(TICKET_STATUSES),
	ts: timestamp,
	adcode,
	ticket_type: z.enum(TICKET_TYPES),
	topic: name,
	satisfied: z.boolean().nullable().default(null),
	/** 承办时限: the deadline the platform set on dispatch; on closed events, for 按时办结率. */
	due_ts: timestamp.optional()
});

export const PERIOD = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

export const IndicatorEvent = z.object({
	type: z.literal('indicator'),
	indicator: z.enum(INDICATOR_CODES),
	adcode: z.union([z.literal(0), z.literal('000000').transform(() => 0 as const), adcode]),
	period: z.string().regex(PERIOD, 'must be YYYY, YYYY-Qn or YYYY-MM'),
	value: z.number().finite(),
	unit: z.string().max(32),
	release_ts: timestamp
});

export const WarningEvent = z.object({
	type: z.literal('warning'),
	warning_id: id,
	ts: timestamp,
	adcode,
	source: name.min(1),
	severity: z.enum(WARNING_SEVERITIES),
	title: z.string().min(1).max(500),
	detail: z.string().max(4000).default('')
});

/** Indicators a target may be set for: the economic ones and the service indicators of the catalogue (按时办结率 ≥ 98 % …). */
export const TARGET_INDICATOR_CODES = [...INDICATOR_CODES, ...SERVICE_INDICATOR_CODES] as [string, ...string[]];

/** An annual target (年度目标) for an indicator and region; a later release revises it. */
export const TargetEvent = z.object({
	type: z.literal('target'),
	indicator: z.enum(TARGET_INDICATOR_CODES),
	adcode: z.union([z.literal(0), z.literal('000000').transform(() => 0 as const), adcode]),
	year: z.number().int().min(2000).max(2100),
	value: z.number().finite(),
	unit: z.string().max(32),
	release_ts: timestamp
});

export const IngestEvent = z.discriminatedUnion('type', [CaseEvent, ReviewEvent, ReviewActionEvent, TicketEvent, IndicatorEvent, WarningEvent, TargetEvent]);
export type IngestEvent = z.output<typeof IngestEvent>;
export type CaseEvent = z.output<typeof CaseEvent>;
export type ReviewEvent = z.output<typeof ReviewEvent>;
export type ReviewActionEvent = z.output<typeof ReviewActionEvent>;
export type TicketEvent = z.output<typeof TicketEvent>;
export type IndicatorEvent = z.output<typeof IndicatorEvent>;
export type WarningEvent = z.output<typeof WarningEvent>;
export type TargetEvent = z.output<typeof TargetEvent>;

/** The first day of a period, and its kind. */
export function periodStart(period: string): { start: string; kind: 'year' | 'quarter' | 'month' } {
	const m = PERIOD.exec(period)!;
	const year = m[1]!;
	if (m[2]) return { start: `${year}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`, kind: 'quarter' };
	if (m[3]) return { start: `${year}-${m[3]}-01`, kind: 'month' };
	return { start: `${year}-01-01`, kind: 'year' };
}
