import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IngestEvent, periodStart } from './events.ts';

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
