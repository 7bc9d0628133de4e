import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SOURCE_NAME, STATISTICS_TYPES, hashToken, newToken, parseEventTypes } from './sources.ts';

describe('ingest source tokens and grants', () => {
	it('makes tokens of 32 random bytes, different every time, hashed with sha256', () => {
		const tokens = new Set(Array.from({ length: 1000 }, newToken));
		expect(tokens.size).toBe(1000);
		for (const t of tokens) {
			expect(t).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);
			expect(Buffer.from(t.slice(4), 'base64url')).toHaveLength(32);
		}
		const t = newToken();
		expect(hashToken(t)).toBe(createHash('sha256').update(t).digest('hex'));
	});

	it('reads types and groups; statistics are indicator and target', () => {
		expect(STATISTICS_TYPES).toEqual(['indicator', 'target']);
		expect(parseEventTypes('statistics')).toEqual(['indicator', 'target']);
		expect(parseEventTypes('review, case ,case')).toEqual(['case', 'review']);
		expect(parseEventTypes('all')).toHaveLength(7);
		expect(() => parseEventTypes('Case')).toThrow(/unknown event type 'Case'/);
		expect(() => parseEventTypes('')).toThrow(/at least one/);
	});

	it('accepts plain source names only', () => {
		for (const ok of ['a', 'stats-bureau', 'gd.12345', 'x_1']) expect(SOURCE_NAME.test(ok)).toBe(true);
		for (const bad of ['', 'A', '-x', 'a b', "a'b", 'x'.repeat(64), '中文']) expect(SOURCE_NAME.test(bad)).toBe(false);
	});
});
