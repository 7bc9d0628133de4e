import { describe, expect, it } from 'vitest';
import { valueFromCounts } from './shared.ts';

describe('valueFromCounts', () => {
	// 天河's today by hand: 8 reviews, 4 好评, 4 差评 of which 3 had their appeal upheld (申诉成立).
	const counts = { reviews: 8, positive: 4, negative: 4, upheld: 3 };

	it('takes upheld appeals out of 好评率 and 差评数, as the rollup catalogue does', () => {
		expect(valueFromCounts('positiveRate', counts)).toBeCloseTo(80, 9); // 4 ÷ (8 − 3)
		expect(valueFromCounts('negativeCount', counts)).toBe(1); // 4 − 3
	});

	it('reads a count not there as that of an empty bucket', () => {
		expect(valueFromCounts('positiveRate', { reviews: 8, positive: 4 })).toBeCloseTo(50, 9);
		expect(valueFromCounts('positiveRate', undefined)).toBeNull();
		expect(valueFromCounts('caseVolume', { submitted: 7 })).toBe(7);
	});
});
