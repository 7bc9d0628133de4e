import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../indicators/catalogue.ts';
import { decomposition, rollupIndicator } from './rollups.ts';

describe('how an indicator splits over groups ("what moved it")', () => {
	it('counts are one summed measure; rates a numerator over a denominator with their scale; a percentile does not split', () => {
		const of = (code: string) => decomposition(rollupIndicator(code)!);
		expect(of('caseVolume')).toEqual({ kind: 'count', measure: 'submitted' });
		expect(of('onTimeRate')).toEqual({ kind: 'ratio', numerator: 'onTime', denominator: 'completed', scale: 100 });
		expect(of('avgDuration')).toEqual({ kind: 'ratio', numerator: 'seconds', denominator: 'timed', scale: 1 / 3600 });
		expect(of('reviewRate')).toEqual({ kind: 'ratio', numerator: 'reviews', denominator: 'completed', scale: 100 });
		expect(of('p90Duration')).toBeUndefined();
	});

	it('every count and rate of the catalogue splits (only the percentile does not)', () => {
		const unsplit = CATALOGUE.filter((d) => !decomposition(rollupIndicator(d.code)!)).map((d) => d.code);
		expect(unsplit).toEqual(['p90Duration']);
	});
});
