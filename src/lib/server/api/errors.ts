/**
 * What a caller is told when something fails: a code and a Chinese message —
 * never a stack, SQL, a file path or the warehouse's own text. The full error
 * goes to the log with the request id, which the reply carries too.
 */
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { BusyError } from '../limits/work-queue.ts';
import { PlanError } from '../planner/plan.ts';
import { ScopeError } from '../scope.ts';

export const WAREHOUSE_AWAY = '数据暂时不可用';

/** Socket errors of a warehouse that is down, restarting or unreachable. */
const AWAY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);
/** ClickHouse refusals for load, not for the request: too many queries, time or memory limit. */
const BUSY_CODES = new Set(['159', '202', '241']);

/** The errors an error was caused by, outermost first (bounded: causes can loop). */
function chain(error: unknown): unknown[] {
	const list: unknown[] = [];
	for (let e = error, i = 0; e !== undefined && e !== null && i < 8; e = (e as { cause?: unknown }).cause, i++) {
		list.push(e);
		if (e instanceof AggregateError) list.push(...e.errors);
	}
	return list;
}

function codeOf(e: unknown): string | undefined {
	const code = (e as { code?: unknown } | null)?.code;
	return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** Whether the warehouse could not be reached at all (as opposed to refusing a query). */
export function isWarehouseAway(error: unknown): boolean {
	return chain(error).some((e) => {
		const code = codeOf(e);
		if (code && AWAY_CODES.has(code)) return true;
		const message = e instanceof Error ? e.message : '';
		return /socket hang up|ECONNREFUSED|ECONNRESET|^Timeout error/.test(message);
	});
}

const HAN = /\p{Script=Han}/u;

/** Messages of input issues, each naming its field: `region.adcode：数值过大…`. */
export function issuesMessage(error: ZodError, prefix = ''): string {
	return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '输入'}：${i.message}`).join('；');
}

/** A Chinese word for each client error, put before a message that has none. */
const LABELS: Partial<Record<TRPCError['code'], string>> = {
	BAD_REQUEST: '请求无效',
	PARSE_ERROR: '请求无法解析',
	NOT_FOUND: '未找到',
	FORBIDDEN: '无权访问',
	UNAUTHORIZED: '需要登录',
	METHOD_NOT_SUPPORTED: '不支持该请求方法',
	PAYLOAD_TOO_LARGE: '请求过大',
	TOO_MANY_REQUESTS: '请求过多，请稍后重试',
	UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
	TIMEOUT: '请求超时',
	CONFLICT: '请求冲突',
	PRECONDITION_FAILED: '前提条件不满足',
	UNPROCESSABLE_CONTENT: '请求无法处理',
	CLIENT_CLOSED_REQUEST: '请求已取消'
};

/**
 * Turns whatever a procedure threw into the error the caller gets: input and plan
 * errors → 400 naming the field, scope → 403, a busy server → 503, a warehouse
 * that is away → 503 "数据暂时不可用"; anything else stays an internal error.
 */
export function classify(error: unknown): TRPCError {
	const causes = chain(error);
	const zod = causes.find((e) => e instanceof ZodError);
	if (zod) return new TRPCError({ code: 'BAD_REQUEST', message: issuesMessage(zod), cause: zod });
	const scope = causes.find((e) => e instanceof ScopeError);
	if (scope) return new TRPCError({ code: 'FORBIDDEN', message: scope.message, cause: scope });
	const planError = causes.find((e) => e instanceof PlanError);
	if (planError) return new TRPCError({ code: 'BAD_REQUEST', message: planError.message, cause: planError });
	const busy = causes.find((e) => e instanceof BusyError);
	if (busy) return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: busy.message, cause: busy });
	if (isWarehouseAway(error)) return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: WAREHOUSE_AWAY, cause: error });
	if (causes.some((e) => BUSY_CODES.has(codeOf(e) ?? '') && !(e instanceof TRPCError)))
		return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: '服务繁忙，请稍后重试', cause: error });
	if (error instanceof TRPCError) return error;
	return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal', cause: error });
}

/** The message a caller may see for an error already classified. */
export function publicMessage(error: TRPCError, requestId: string | undefined): string {
	const id = requestId ?? '无';
	if (error.code === 'INTERNAL_SERVER_ERROR') return `服务器内部错误（请求编号 ${id}）`;
	if (error.code === 'SERVICE_UNAVAILABLE') return HAN.test(error.message) ? error.message : WAREHOUSE_AWAY;
	// Client errors: ours are Chinese and name the field; tRPC's own (a bad path, unparsable JSON) are English
	// and become their code's Chinese word (the log line keeps the detail). Bounded: a reply never echoes a huge input.
	const message = error.message.length > 500 ? `${error.message.slice(0, 500)}…` : error.message;
	return HAN.test(message) ? message : (LABELS[error.code] ?? '请求无效');
}
