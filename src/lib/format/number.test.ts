import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatChange, formatCount, formatFixed, formatHours, formatRate, formatYi } from './number.ts';
import { runs } from '../../../test/helpers/property-runs.ts';

describe('Chinese number formats', () => {
	it.each([
		[0, '0'],
		[9_876, '9,876'],
		[12_345, '1.23万'],
		[1_284_000, '128.4万'],
		[136_000_000, '1.36亿'],
		[1_360_000_000, '13.6亿'],
		[null, '—'],
		[undefined, '—'],
		[Number.NaN, '—'],
		// Unit boundaries, and the decimals each side of them (hand-computed).
		[9_999, '9,999'],
		[9_999.6, '1万'],
		[10_000, '1万'],
		[12_000, '1.2万'],
		[99_999, '10万'],
		[100_000, '10万'],
		[123_456, '12.3万'],
		[99_999_999, '1亿'],
		[100_000_000, '1亿'],
		[123_456_789, '1.23亿'],
		[999_999_999, '10亿'],
		[1_234_567_890, '12.3亿'],
		[-12_345, '-1.23万'],
		[-136_000_000, '-1.36亿']
	])('%s → %s', (n, s) => expect(formatCount(n)).toBe(s));

	it.each([
		[99.874, '99.87%'],
		[92.34, '92.3%'],
		[100, '100.0%'],
		[99, '99.0%'],
		[99.5, '99.50%'],
		[null, '—'],
		[undefined, '—'],
		[Number.NaN, '—']
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
		// Whole numbers from 100 on, one decimal below; a count that did not move is 0%.
		expect(formatChange('count', 100, 'positive')).toEqual({ text: '100%', arrow: '▲', good: true });
		expect(formatChange('count', 99.94, 'positive').text).toBe('99.9%');
		expect(formatChange('count', -0.02, 'negative')).toEqual({ text: '0%', arrow: '—', good: null });
		expect(formatChange('rate', -2.25, 'negative')).toEqual({ text: '2.3个点', arrow: '▼', good: true });
		expect(formatChange('rate', Number.POSITIVE_INFINITY, 'positive').good).toBeNull();
	});

	it('writes amounts in 亿 as 亿 or 万亿', () => {
		expect(formatYi(108349.86)).toBe('10.83万亿');
		expect(formatYi(4350)).toBe('4350亿');
		expect(formatYi(12.34)).toBe('12.3亿');
		expect(formatYi(null)).toBe('—');
		expect(formatYi(undefined)).toBe('—');
		expect(formatYi(10_000)).toBe('1万亿');
		expect(formatYi(9_999)).toBe('9999亿');
		expect(formatYi(123.4)).toBe('123亿');
		expect(formatYi(99.44)).toBe('99.4亿');
	});

	it('writes durations in minutes, hours or days', () => {
		expect(formatHours(0.25)).toBe('15分钟');
		expect(formatHours(4.56)).toBe('4.6小时');
		expect(formatHours(72)).toBe('3天');
		expect(formatHours(1)).toBe('1小时');
		expect(formatHours(0.999)).toBe('60分钟');
		expect(formatHours(48)).toBe('2天');
		expect(formatHours(47.94)).toBe('47.9小时');
		expect(formatHours(null)).toBe('—');
		expect(formatHours(undefined)).toBe('—');
	});

	it('writes a plain figure with the decimals asked for, and a dash when it is missing', () => {
		expect(formatFixed(83.4567, 2)).toBe('83.46');
		expect(formatFixed(-0.5, 1)).toBe('-0.5');
		expect(formatFixed(7, 0)).toBe('7');
		expect(formatFixed(null, 2)).toBe('—');
		expect(formatFixed(undefined, 2)).toBe('—');
		expect(formatFixed(Number.NaN, 2)).toBe('—');
	});
});

/** Reads a formatted figure back: digits, commas, and 万 or 亿 as powers of ten (written here, not taken from the code). */
function readBack(s: string): number {
	const unit = s.endsWith('亿') ? 1e8 : s.endsWith('万') ? 1e4 : 1;
	return Number(s.replace(/[万亿,]/g, '')) * unit;
}

describe('formats round-trip (fast-check)', () => {
	it('a count read back is within half a unit of its last shown digit, in the largest unit that keeps it under 10 000', () => {
		fc.assert(
			fc.property(fc.double({ min: -5e11, max: 5e11, noNaN: true }), (n) => {
				const s = formatCount(n);
				const back = readBack(s);
				const abs = Math.abs(n);
				// Decimals shown: none under 万; two below 10万, one from 10万; two below 10亿, one from 10亿.
				const step = Math.abs(Math.round(n)) < 1e4 ? 1 : s.endsWith('万') ? (abs >= 1e5 ? 1e3 : 1e2) : abs >= 1e9 ? 1e7 : 1e6;
				expect(Math.abs(back - n)).toBeLessThanOrEqual(step / 2 + 1e-6 * abs);
				// The unit is the largest that keeps the number shown under 10 000.
				expect(Math.abs(Number(s.replace(/[万亿,]/g, '')))).toBeLessThanOrEqual(s.endsWith('亿') ? Infinity : 9999.5);
			}),
			{ numRuns: runs(500) }
		);
	});

	it('a rate read back is within half of its last shown decimal', () => {
		fc.assert(
			fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (n) => {
				const s = formatRate(n);
				expect(s.endsWith('%')).toBe(true);
				const precision = n > 99 && n < 100 ? 0.005 : 0.05;
				expect(Math.abs(Number(s.slice(0, -1)) - n)).toBeLessThanOrEqual(precision + 1e-9);
			}),
			{ numRuns: runs(500) }
		);
	});

	it('a change’s arrow follows its sign and its colour the polarity: good news exactly when it moves the good way', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('count' as const, 'rate' as const),
				fc.double({ min: -500, max: 500, noNaN: true }),
				fc.constantFrom('positive' as const, 'negative' as const),
				(kind, change, polarity) => {
					const f = formatChange(kind, change, polarity);
					const shown = Math.abs(change) >= 100 ? Math.round(change) : Math.round(change * 10) / 10;
					if (Math.abs(shown) < 1e-9) {
						expect(f).toMatchObject({ arrow: '—', good: null });
					} else {
						expect(f.arrow).toBe(change > 0 ? '▲' : '▼');
						expect(f.good).toBe(change > 0 ? polarity === 'positive' : polarity === 'negative');
					}
				}
			),
			{ numRuns: runs(500) }
		);
	});
});
