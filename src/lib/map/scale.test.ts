import { describe, expect, it } from 'vitest';
import { NO_DATA, colourOf, extent } from './scale.ts';

describe('the map colour scale', () => {
	it('runs from the darkest step at the minimum to the lightest at the maximum', () => {
		const low = colourOf(10, 10, 20);
		const high = colourOf(20, 10, 20);
		expect(low).not.toEqual(high);
		expect(high[0] + high[1] + high[2]).toBeGreaterThan(low[0] + low[1] + low[2]);
	});

	it('shows missing values in the no-data colour, not as the minimum', () => {
		expect(colourOf(null, 0, 1)).toEqual(NO_DATA);
		expect(colourOf(Number.NaN, 0, 1)).toEqual(NO_DATA);
	});

	it('gives one value (min = max) the middle step', () => {
		expect(colourOf(5, 5, 5)).toEqual(colourOf(0.5, 0, 1));
	});

	it('takes the extent of the values present only', () => {
		expect(extent([3, null, 1, 7])).toEqual([1, 7]);
		expect(extent([null, null])).toBeNull();
	});
});
