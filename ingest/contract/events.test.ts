import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IngestEvent, parseTimestamp, periodStart } from './events.ts';

describe('timestamps', () => {
	it.each([
		['2026-11-22T14:32:05+08:00', Date.UTC(2026, 10, 22, 6, 32, 5)],
		['2026-11-22T14:32:05.123+08:00', Date.UTC(2026, 10, 22, 6, 32, 5, 123)],
		['2026-11-22T06:32:05Z', Date.UTC(2026, 10, 22, 6, 32, 5)],
		['2026-11-22 14:32:05', Date.UTC(2026, 10, 22, 6, 32, 5)], // no offset: Beijing time
		['2026-11-22T14:32', Date.UTC(2026, 10, 22, 6, 32)],
		['2026-11-22T01:00:00-0500', Date.UTC(2026, 10, 22, 6, 0)],
		['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)]
	])('%s', (text, ms) => {
		expect(parseTimestamp(text)).toBe(ms);
	});

	it.each(['2026-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-22T24:00:00Z', '2026-11-22', 'yesterday', '1732257125'])('refuses %s', (text) => {
		expect(parseTimestamp(text)).toBeNaN();
	});
});

describe('periods', () => {
	it('gives the first day and kind of a period', () => {
		expect(periodStart('2024')).toEqual({ start: '2024-01-01', kind: 'year' });
		expect(periodStart('2024-Q3')).toEqual({ start: '2024-07-01', kind: 'quarter' });
		expect(periodStart('2024-09')).toEqual({ start: '2024-09-01', kind: 'month' });
	});
});

describe('the README documents the contract as enforced', () => {
	const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
	const block = /One example of each:\s*```json\n([\s\S]*?)```/.exec(readme)![1]!;
	const examples = block
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as { type: string });

	it('has one example per type', () => {
		expect(examples.map((e) => e.type)).toEqual(['case', 'review', 'review_action', 'ticket', 'indicator', 'warning', 'target']);
	});

	it.each(examples.map((e) => [e.type, e] as const))('the %s example is valid', (_type, example) => {
		const r = IngestEvent.safeParse(example);
		expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
	});
});
