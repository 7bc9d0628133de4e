/**
 * The raw rows behind a cell of /analyze: cases, reviews or 12345 tickets of a
 * region, a period and the view's filters, newest first, one keyset page at a
 * time (the cursor is the last row's (ts, id); never OFFSET). The scope is in the
 * WHERE terms (scope.ts regionFilter), whatever region was asked.
 */
import { regionFilter, type Scope } from '../../scope.ts';
import { clickhouseDateTime64 } from '../../../time/clickhouse-params.ts';
import { rows, type QueryCtx } from '../statement.ts';

export type DetailTable = 'cases' | 'reviews' | 'tickets';

export interface DetailQuery {
	region: number;
	from: number;
	to: number;
	/** Dimension → values; only the table's own dimensions (checked by the caller). */
	filters: Partial<Record<'department' | 'item' | 'channel' | 'ticketType' | 'topic', string[]>>;
	status?: string;
	/** The region's province and city codes (from the region tree): the raw tables' sort key starts with them, so a county's rows are found without a scan. */
	keys?: { province_code: number; city_code: number };
	/** The last row of the previous page. */
	after?: { ts: number; id: string };
	limit: number;
}

/** The filter columns of each raw table. */
export const DETAIL_COLUMNS: Record<DetailTable, Partial<Record<keyof DetailQuery['filters'], string>>> = {
	cases: { department: 'department', item: 'item_code', channel: 'toString(channel)' },
	reviews: { department: 'department', item: 'item_code', channel: 'toString(channel)' },
	tickets: { ticketType: 'toString(ticket_type)', topic: 'topic' }
};

const SELECT: Record<DetailTable, { from: string; id: string; columns: string; dedupe: string }> = {
	cases: {
		from: 'case_events',
		id: 'event_id',
		columns: `event_id AS id, case_id, toString(status) AS status, toUnixTimestamp64Milli(ts) AS ts_ms, adcode, department, item_code, item_name,
       toString(channel) AS channel, promised_days, toString(due_date) AS due_date, duration_s, on_time`,
		dedupe: ''
	},
	reviews: {
		from: 'reviews',
		id: 'review_id',
		columns: `review_id AS id, case_id, toUnixTimestamp64Milli(ts) AS ts_ms, adcode, department, item_code, toString(channel) AS channel, rating, named, tags, comment`,
		dedupe: 'LIMIT 1 BY id'
	},
	tickets: {
		from: 'hotline_events',
		id: 'event_id',
		columns: `event_id AS id, ticket_id, toString(status) AS status, toUnixTimestamp64Milli(ts) AS ts_ms, adcode, toString(ticket_type) AS ticket_type, topic, satisfied,
       toUnixTimestamp64Milli(due_ts) AS due_ts_ms`,
		dedupe: ''
	}
};

export interface CaseDetailRow {
	id: string;
	case_id: string;
	status: string;
	ts_ms: number;
	adcode: number;
	department: string;
	item_code: string;
	item_name: string;
	channel: string;
	promised_days: number;
	due_date: string | null;
	duration_s: number | null;
	on_time: boolean | null;
}
export interface ReviewDetailRow {
	id: string;
	case_id: string;
	ts_ms: number;
	adcode: number;
	department: string;
	item_code: string;
	channel: string;
	rating: number;
	named: boolean;
	tags: string[];
	comment: string;
}
export interface TicketDetailRow {
	id: string;
	ticket_id: string;
	status: string;
	ts_ms: number;
	adcode: number;
	ticket_type: string;
	topic: string;
	satisfied: boolean | null;
	due_ts_ms: number | null;
}
export type DetailRow<T extends DetailTable> = T extends 'cases' ? CaseDetailRow : T extends 'reviews' ? ReviewDetailRow : TicketDetailRow;

/** One page of raw rows (limit + 1 asked, so the caller knows whether another follows). */
export async function selectDetailPage<T extends DetailTable>(ctx: QueryCtx & { scope: Scope }, table: T, q: DetailQuery): Promise<Array<DetailRow<T>>> {
	const s = SELECT[table];
	const region = regionFilter(q.region, ctx.scope);
	const params: Record<string, unknown> = { ...region.params, from: clickhouseDateTime64(q.from), to: clickhouseDateTime64(q.to), limit: q.limit + 1 };
	const where = ["ts >= {from:DateTime64(3, 'UTC')}", "ts < {to:DateTime64(3, 'UTC')}", ...region.where];
	if (q.keys) {
		params.key_province = q.keys.province_code;
		params.key_city = q.keys.city_code;
		where.push('province_code = {key_province:UInt32}', 'city_code = {key_city:UInt32}');
	}
	for (const [dim, values] of Object.entries(q.filters)) {
		const column = DETAIL_COLUMNS[table][dim as keyof DetailQuery['filters']];
		if (!column || !values?.length) continue;
		params[`f_${dim}`] = values;
		where.push(`has({f_${dim}:Array(String)}, ${column})`);
	}
	if (q.status !== undefined && table !== 'reviews') {
		params.status = q.status;
		where.push('toString(status) = {status:String}');
	}
	if (q.after) {
		params.after_ts = clickhouseDateTime64(q.after.ts);
		params.after_id = q.after.id;
		where.push(`(ts, ${s.id}) < ({after_ts:DateTime64(3, 'UTC')}, {after_id:String})`);
	}
	const sql = `SELECT ${s.columns}
FROM ${s.from}
WHERE ${where.join('\n  AND ')}
ORDER BY ts DESC, id DESC
${s.dedupe}
LIMIT {limit:UInt32}`;
	return rows<DetailRow<T>>(ctx, sql, params);
}
