import { describe, expect, it } from 'vitest';
import { ErrorCode, WarehouseError, errorBody, httpStatusOf, toWarehouseError } from './errors.ts';

describe('ClickHouse error shape', () => {
	it('reads code, message and type from the engine message', () => {
		const e = toWarehouseError(new Error("Code: 60. DB::Exception: Unknown table expression identifier 'nope'. (UNKNOWN_TABLE)"));
		expect([e.code, e.type, e.message]).toEqual([60, 'UNKNOWN_TABLE', "Unknown table expression identifier 'nope'"]);
	});

	it('keeps multi-line messages and drops the version suffix', () => {
		const e = toWarehouseError(new Error('Code: 62. DB::Exception: Syntax error: failed at position 7:\nSELEC 1. (SYNTAX_ERROR) (version 26.7.2.1)'));
		expect(e.code).toBe(62);
		expect(e.message).toBe('Syntax error: failed at position 7:\nSELEC 1');
	});

	it('wraps anything else as UNKNOWN_EXCEPTION', () => {
		const e = toWarehouseError(new TypeError('boom'));
		expect([e.code, e.type, e.message]).toEqual([ErrorCode.UNKNOWN_EXCEPTION, 'UNKNOWN_EXCEPTION', 'boom']);
	});

	it('formats the body the client parses', () => {
		const body = errorBody(new WarehouseError(62, 'Empty query'), '26.7.2.1');
		expect(body).toBe('Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR) (version 26.7.2.1)\n');
		// The pattern @clickhouse/client uses to parse errors.
		const m = /(Code|Error): (?<code>\d+).*Exception: (?<message>.+)\((?<type>(?=.+[A-Z]{3})[A-Z0-9_]+?)\)/s.exec(body);
		expect(m?.groups).toMatchObject({ code: '62', type: 'SYNTAX_ERROR' });
	});

	it('maps codes to HTTP statuses as ClickHouse does', () => {
		expect(httpStatusOf(62)).toBe(400);
		expect(httpStatusOf(60)).toBe(404);
		expect(httpStatusOf(159)).toBe(503);
		expect(httpStatusOf(241)).toBe(500);
		expect(httpStatusOf(516)).toBe(401); // AUTHENTICATION_FAILED
		expect(httpStatusOf(164)).toBe(403); // READONLY
		expect(httpStatusOf(497)).toBe(403); // ACCESS_DENIED
	});
});
