import { describe, expect, it } from 'vitest';
import { formatChange, formatCount, formatHours, formatRate, formatYi } from './number.ts';

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

describe('KPI changes, amounts and durations', () => {
	it('shows rate changes in points and count changes in per cent, judged by polarity', () => {
		expect(formatChange('rate', 1.64, 'positive')).toEqual({ text: '1.6个点', arrow: '▲', good: true });
		expect(formatChange('count', -8.72, 'positive')).toEqual({ text: '8.7%', arrow: '▼', good: false });
		expect(formatChange('count', 12, 'negative')).toEqual({ text: '12.0%', arrow: '▲', good: false });
		expect(formatChange('rate', 0.04, 'positive')).toEqual({ text: '持平', arrow: '—', good: null });
		expect(formatChange('count', null, 'positive')).toEqual({ text: '—', arrow: '—', good: null });
		expect(formatChange('count', 250, 'positive').text).toBe('250%');
	});

	it('writes amounts in 亿 as 亿 or 万亿', () => {
		expect(formatYi(108349.86)).toBe('10.83万亿');
		expect(formatYi(4350)).toBe('4350亿');
		expect(formatYi(12.34)).toBe('12.3亿');
		expect(formatYi(null)).toBe('—');
	});

	it('writes durations in minutes, hours or days', () => {
		expect(formatHours(0.25)).toBe('15分钟');
		expect(formatHours(4.56)).toBe('4.6小时');
		expect(formatHours(72)).toBe('3天');
	});
});
