import { describe, expect, it } from 'vitest';
import { NO_DATA, colourOf, extent } from './scale.ts';

describe('the map colour scale', () => {
	it('runs from the darkest step at the minimum to the lightest at the maximum', () => {
		// Six steps of the ramp: the minimum is the first, the maximum the last, a quarter of the way the second.
		expect(colourOf(10, 10, 20)).toEqual([22, 52, 96, 255]);
		expect(colourOf(20, 10, 20)).toEqual([170, 222, 250, 255]);
		expect(colourOf(12.5, 10, 20)).toEqual([28, 82, 140, 255]);
		// Outside the extent: clamped to the ends, not past them.
		expect(colourOf(30, 10, 20)).toEqual([170, 222, 250, 255]);
		expect(colourOf(0, 10, 20)).toEqual([22, 52, 96, 255]);
	});

	it('shows missing values in the no-data colour, not as the minimum', () => {
		expect(colourOf(null, 0, 1)).toEqual(NO_DATA);
		expect(colourOf(Number.NaN, 0, 1)).toEqual(NO_DATA);
	});

	it('gives one value (min = max) the middle step', () => {
		// t = 0.5 → step ⌊0.5 × 6⌋ = 3 of 0…5 (written out: not the scale asked of itself).
		expect(colourOf(5, 5, 5)).toEqual([64, 152, 210, 255]);
	});

	it('takes the extent of the values present only', () => {
		expect(extent([3, null, 1, 7])).toEqual([1, 7]);
		expect(extent([null, null])).toBeNull();
	});
});
