import { describe, expect, it } from 'vitest';
import { formatCount, formatRate } from './number.ts';

describe('Chinese number formats', () => {
	it.each([
		[0, '0'],
		[9_876, '9,876'],
		[12_345, '1.23万'],
		[1_284_000, '128.4万'],
		[136_000_000, '1.36亿'],
		[1_360_000_000, '13.6亿'],
		[null, '—']
	])('%s → %s', (n, s) => expect(formatCount(n)).toBe(s));

	it.each([
		[99.874, '99.87%'],
		[92.34, '92.3%'],
		[100, '100.0%'],
		[null, '—']
	])('rate %s → %s', (n, s) => expect(formatRate(n)).toBe(s));
});
