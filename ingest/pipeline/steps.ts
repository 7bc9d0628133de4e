/**
 * The named steps every line passes: parse → validate → normalise → enrich →
 * route. A step passes the event on or refuses it with a typed reason; a refused
 * line goes to `ingest_dead_letter` with its raw bytes. Pure: no I/O.
 */
import { EVENT_TYPES, IngestEvent, periodStart, type CaseEvent, type EventType } from '../contract/events.ts';
import { dueDate, dueInstant } from '../../src/lib/time/deadlines.ts';
import { DAY_MS } from '../../src/lib/time/beijing-time.ts';
import { clickhouseDateTime64 as chTime } from '../../src/lib/time/clickhouse-params.ts';
import type { RegionIndex } from './regions.ts';
import type { DeadlinePolicy } from './deadlines.ts';
import { storedText } from '../../src/lib/privacy/mask.ts';

/** 'check': a 差评 handling action its review's state does not allow (ingest/worker/review-check.ts, before storing). */
export type Step = 'parse' | 'validate' | 'normalise' | 'enrich' | 'check';

export type Reason =
	| 'invalid_utf8'
	| 'line_too_long'
	| 'invalid_json'
	| 'not_an_object'
	| 'missing_type'
	| 'unknown_type'
	| 'schema_violation'
	| 'timestamp_too_old'
	| 'timestamp_in_future'
	| 'release_in_future'
	| 'type_not_granted'
	| 'inconsistent_times'
	| 'unknown_adcode'
	| 'action_not_allowed';

/** A step's refusal. A class, so nothing a line contains can pass for one. */
export class Refusal {
	readonly ok = false as const;
	constructor(
		readonly step: Step,
		readonly reason: Reason,
		readonly detail: string,
		// Stryker disable next-line StringLiteral: equivalent — every Refusal is made by refuse(), which always passes a type hint.
		readonly typeHint: string = ''
	) {}
}

export type TableName = 'case_events' | 'reviews' | 'review_actions' | 'hotline_events' | 'indicator_values' | 'risk_warnings' | 'indicator_targets';

export interface Routed {
	ok: true;
	table: TableName;
	row: Record<string, unknown>;
	/** Epoch ms of the event (release time for indicators), for lag. */
	ts: number;
	/** A catalogue entry the data taught us (case events). */
	item?: { item_code: string; item_name: string; department: string };
}

export interface StepContext {
	regions: RegionIndex;
	/** "Now" for the future-timestamp rule; a clock, so tests can fix it. */
	now: () => number;
	/** Source label stored with each row. */
	source: string;
	/** Regional deadline settings (差评 rectification days, receipt cut-offs). */
	deadlines: DeadlinePolicy;
	/** The event types the source was granted (pushed lines); undefined for local, trusted sources. */
	allowedTypes?: ReadonlySet<EventType>;
	/** Store free texts as sent (TIANSHU_KEEP_RAW_TEXT); otherwise phone, ID and card numbers and e-mail addresses are masked. */
	keepRawText?: boolean;
}

/** Events older than this are refused as mistakes (epoch 0, 1970 defaults). */
export const OLDEST_ACCEPTED = Date.UTC(2000, 0, 1);
/** Clock skew tolerated for events from the future. */
export const FUTURE_TOLERANCE_MS = DAY_MS;
/**
 * Clock skew tolerated for a release time (indicators, targets): a figure is
 * published when it is released, so a release time ahead of now would keep a
 * forgery the "latest release" until the real one overtakes it.
 */
export const RELEASE_SKEW_MS = 5 * 60_000;

const refuse = (step: Step, reason: Reason, detail: string, typeHint = ''): Refusal => new Refusal(step, reason, detail, typeHint);

/** parse: bytes → a JSON object. */
export function parse(bytes: Buffer): Record<string, unknown> | Refusal {
	let text = bytes.toString('utf8');
	// The lenient decode marks bad bytes with U+FFFD; only then pay for the strict check (its decoder made here, not on
	// import: a module that throws while loading fails no test in a mutation run, it only runs none).
	// Stryker disable next-line ConditionalExpression,StringLiteral: equivalent — checking every line strictly gives the same answers, only slower.
	if (text.includes('\uFFFD')) {
		try {
			text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		} catch {
			return refuse('parse', 'invalid_utf8', 'the line is not valid UTF-8');
		}
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		// Stryker disable next-line MethodExpression: equivalent on V8 — its JSON.parse messages quote at most a few characters of the line (< 100 in all); the cut guards other engines.
		return refuse('parse', 'invalid_json', (e as Error).message.slice(0, 300));
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		return refuse('parse', 'not_an_object', `a JSON ${Array.isArray(value) ? 'array' : typeof value}, not an object`);
	return value as Record<string, unknown>;
}

/** validate: a JSON object → a typed event. */
export function validate(value: Record<string, unknown>): IngestEvent | Refusal {
	const type = value.type;
	if (type === undefined) return refuse('validate', 'missing_type', 'the event has no `type`');
	const result = IngestEvent.safeParse(value);
	if (result.success) return result.data;
	const typeHint = typeof type === 'string' ? type.slice(0, 40) : '';
	const issue = result.error.issues[0]!;
	// Stryker disable next-line ConditionalExpression: the length test alone is equivalent — `type` is a string, so no issue has a longer path starting with it.
	if (issue.path.length === 1 && issue.path[0] === 'type')
		return refuse('validate', 'unknown_type', `unknown type ${JSON.stringify(type).slice(0, 60)}`, typeHint);
	const detail = result.error.issues
		.slice(0, 5)
		.map(
			// Stryker disable next-line StringLiteral: unreachable — every issue of this contract has a path (a field, or `type`: the event has no refinement of its own), so '(event)' never shows.
			(i) => `${i.path.join('.') || '(event)'}: ${i.message}`
		)
		.join('; ');
	return refuse('validate', 'schema_violation', detail, typeHint);
}

function eventTime(e: IngestEvent): number {
	return e.type === 'indicator' || e.type === 'target' ? e.release_ts : e.ts;
}

/** normalise: plausibility of times. */
export function normalise(e: IngestEvent, ctx: StepContext): IngestEvent | Refusal {
	const ts = eventTime(e);
	if (ts < OLDEST_ACCEPTED) return refuse('normalise', 'timestamp_too_old', `${new Date(ts).toISOString()} is before 2000-01-01`, e.type);
	if ((e.type === 'indicator' || e.type === 'target') && ts > ctx.now() + RELEASE_SKEW_MS)
		return refuse(
			'normalise',
			'release_in_future',
			`release_ts ${new Date(ts).toISOString()} is ahead of now by more than ${RELEASE_SKEW_MS / 60_000} minutes`,
			e.type
		);
	if (ts > ctx.now() + FUTURE_TOLERANCE_MS) return refuse('normalise', 'timestamp_in_future', `${new Date(ts).toISOString()} is more than a day ahead`, e.type);
	// Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — only a case has submitted_ts and `undefined > ts` is false: the first two tests only narrow the type.
	if (e.type === 'case' && e.submitted_ts !== undefined && e.submitted_ts > e.ts)
		return refuse('normalise', 'inconsistent_times', 'submitted_ts is after ts', e.type);
	return e;
}

/** Submission, deadline (the one rule, src/lib/time/deadlines.ts) and outcome of a case event. */
function caseFacts(e: CaseEvent, cutoff: number | null) {
	const submitted = e.status === 'submitted' ? e.ts : e.submitted_ts;
	if (submitted === undefined) return { submitted_at: null, due_date: null, duration_s: null, on_time: null };
	const finished = e.status === 'completed' || e.status === 'rejected';
	return {
		submitted_at: chTime(submitted),
		due_date: dueDate(submitted, e.promised_days, cutoff),
		duration_s: finished ? Math.round((e.ts - submitted) / 1000) : null,
		on_time: e.status === 'completed' ? e.ts <= dueInstant(submitted, e.promised_days, cutoff) : null
	};
}

/** enrich + route: region hierarchy, deadlines, catalogue; the row for its table. */
export function enrichAndRoute(e: IngestEvent, ctx: StepContext): Routed | Refusal {
	// Stryker disable next-line LogicalOperator,ConditionalExpression: equivalent — JSON has no undefined, so a parsed event holds the adcode key only with a value: either test alone decides.
	let adcode = 'adcode' in e && e.adcode !== undefined ? e.adcode : 0;
	let keys = { province_code: 0, city_code: 0 };
	if (adcode !== 0) {
		const found = ctx.regions.lookup(adcode);
		if (!found) return refuse('enrich', 'unknown_adcode', `${adcode} is not a GB/T 2260 code Tianshu knows`, e.type);
		// Block form, closed inside the else-if's block: a `disable next-line` before `} else if` trails the statement
		// above and Stryker never read it. Its `true` mutants, killed by the national target and review_action tests, are
		// ignored with the rest (a comment cannot single out one replacement).
		// Stryker disable ConditionalExpression,BlockStatement: equivalent — unreachable: the contract requires an adcode ≥ 110000 of every other type.
		keys = found;
	} else if (e.type !== 'indicator' && e.type !== 'target' && e.type !== 'review_action') {
		// Stryker restore ConditionalExpression,BlockStatement
		// Stryker disable next-line StringLiteral: unreachable, as above.
		return refuse('enrich', 'unknown_adcode', 'adcode 0 is only allowed for national indicators and targets', e.type);
	}
	const source = ctx.source;
	const cutoff = ctx.deadlines.receiptCutoff(adcode, keys.city_code, keys.province_code);
	switch (e.type) {
		case 'case':
			return {
				ok: true,
				table: 'case_events',
				ts: e.ts,
				item: { item_code: e.item_code, item_name: e.item_name, department: e.department },
				row: {
					event_id: e.event_id,
					case_id: e.case_id,
					status: e.status,
					ts: chTime(e.ts),
					adcode,
					...keys,
					department: e.department,
					item_code: e.item_code,
					item_name: e.item_name,
					channel: e.channel,
					promised_days: e.promised_days,
					trips: e.trips,
					cross_province: e.cross_province,
					...caseFacts(e, cutoff),
					source
				}
			};
		case 'review':
			return {
				ok: true,
				table: 'reviews',
				ts: e.ts,
				row: {
					review_id: e.review_id,
					case_id: e.case_id,
					ts: chTime(e.ts),
					adcode,
					...keys,
					department: e.department,
					item_code: e.item_code,
					channel: e.channel,
					rating: e.rating,
					named: e.named,
					tags: e.tags,
					comment: storedText(e.comment, ctx.keepRawText),
					rectify_due_date: e.rating <= 2 ? dueDate(e.ts, ctx.deadlines.rectifyDays(adcode, keys.city_code, keys.province_code), cutoff) : null,
					source
				}
			};
		case 'review_action':
			return {
				ok: true,
				table: 'review_actions',
				ts: e.ts,
				row: {
					action_id: e.action_id,
					review_id: e.review_id,
					action: e.action,
					ts: chTime(e.ts),
					outcome: storedText(e.outcome, ctx.keepRawText),
					satisfaction: e.action === 'follow_up' ? e.satisfaction : null,
					adcode,
					...keys,
					source
				}
			};
		case 'ticket':
			return {
				ok: true,
				table: 'hotline_events',
				ts: e.ts,
				row: {
					event_id: e.event_id,
					ticket_id: e.ticket_id,
					status: e.status,
					ts: chTime(e.ts),
					adcode,
					...keys,
					ticket_type: e.ticket_type,
					topic: storedText(e.topic, ctx.keepRawText),
					satisfied: e.satisfied,
					// 承办时限 is the platform's, set on dispatch from its own rules and carried on closed events; kept as sent.
					// Without it the rule cannot be applied here (a closed event does not carry its receipt time): unknown, and
					// the closing is left out of 按时办结率 (closed_with_due) rather than guessed.
					due_ts: e.due_ts === undefined ? null : chTime(e.due_ts),
					source
				}
			};
		case 'indicator': {
			const { start, kind } = periodStart(e.period);
			adcode = e.adcode;
			return {
				ok: true,
				table: 'indicator_values',
				ts: e.release_ts,
				row: {
					indicator: e.indicator,
					adcode,
					...keys,
					period: e.period,
					period_kind: kind,
					period_start: start,
					value: e.value,
					unit: e.unit,
					release_ts: chTime(e.release_ts),
					source
				}
			};
		}
		case 'target':
			return {
				ok: true,
				table: 'indicator_targets',
				ts: e.release_ts,
				row: { indicator: e.indicator, adcode: e.adcode, ...keys, year: e.year, value: e.value, unit: e.unit, release_ts: chTime(e.release_ts), source }
			};
		case 'warning':
			return {
				ok: true,
				table: 'risk_warnings',
				ts: e.ts,
				row: {
					warning_id: e.warning_id,
					ts: chTime(e.ts),
					adcode,
					...keys,
					origin: e.source,
					severity: e.severity,
					title: e.title,
					detail: e.detail,
					source
				}
			};
	}
}

/** All steps for one line. */
export function process(bytes: Buffer, ctx: StepContext): Routed | Refusal {
	const parsed = parse(bytes);
	if (parsed instanceof Refusal) return parsed;
	// A type the source was not granted is refused as such, before its schema is checked.
	const type = parsed.type;
	// Stryker disable next-line ConditionalExpression: equivalent — no list of type names holds a non-string, so `typeof type === 'string'` only narrows the type.
	if (ctx.allowedTypes && typeof type === 'string' && (EVENT_TYPES as readonly string[]).includes(type) && !ctx.allowedTypes.has(type as EventType))
		return refuse('validate', 'type_not_granted', `this source may not send '${type}' events`, type);
	const valid = validate(parsed);
	// Stryker disable next-line ConditionalExpression: equivalent — a Refusal has no ts or type, so normalise hands it back unchanged and the next test returns it.
	if (valid instanceof Refusal) return valid;
	const normal = normalise(valid, ctx);
	if (normal instanceof Refusal) return normal;
	return enrichAndRoute(normal, ctx);
}
