import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { BusyError } from '../limits/work-queue.ts';
import { PlanError } from '../planner/plan.ts';
import { ScopeError } from '../scope.ts';
import { classify, publicMessage } from './errors.ts';

/** As tRPC hands an error thrown by a resolver to the middleware. */
const thrown = (cause: unknown) => new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause });

describe('what a caller is told', () => {
	it('input, scope and plan errors become 400 and 403 with their message', () => {
		const zod = z.strictObject({ adcode: z.number() }).safeParse({ adcode: 'x' }).error!;
		expect(classify(thrown(zod)).code).toBe('BAD_REQUEST');
		expect(classify(thrown(zod)).message).toMatch(/^adcode：/);
		expect(classify(thrown(new ScopeError(440100))).code).toBe('FORBIDDEN');
		expect(classify(thrown(new PlanError('一个县没有下级地区'))).code).toBe('BAD_REQUEST');
	});

	it('a busy server and a warehouse that is away become 503 with a Chinese message', () => {
		expect(classify(thrown(new BusyError('queue-full')))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: '服务繁忙，请稍后重试' });
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
		const away = classify(thrown(refused));
		expect(away.code).toBe('SERVICE_UNAVAILABLE');
		expect(publicMessage(away, 'abc')).toBe('数据暂时不可用');
		// Happy eyeballs: several refusals at once.
		expect(classify(thrown(new AggregateError([refused], 'connect failed'))).code).toBe('SERVICE_UNAVAILABLE');
	});

	it('anything else is an internal error whose reply carries only the request id', () => {
		const secret = Object.assign(
			new Error("Code: 60. DB::Exception: Table tianshu.case_events doesn't exist. (SELECT * FROM case_events) at /work/main/src/x.ts:1:1"),
			{ code: '60' }
		);
		const e = classify(thrown(secret));
		expect(e.code).toBe('INTERNAL_SERVER_ERROR');
		expect(publicMessage(e, '0123456789ab')).toBe('服务器内部错误（请求编号 0123456789ab）');
	});

	it('tRPC’s own English refusals become their code’s Chinese word', () => {
		expect(publicMessage(new TRPCError({ code: 'NOT_FOUND', message: 'No procedure found on path "x"' }), 'id')).toBe('未找到');
		expect(publicMessage(new TRPCError({ code: 'BAD_REQUEST', message: 'Unexpected token } in JSON' }), 'id')).toBe('请求无效');
		expect(publicMessage(new TRPCError({ code: 'FORBIDDEN', message: '无权查看该地区：440100' }), 'id')).toBe('无权查看该地区：440100');
		expect(publicMessage(new TRPCError({ code: 'BAD_REQUEST', message: `名称：${'长'.repeat(2000)}` }), 'id').length).toBeLessThan(520);
	});
});
