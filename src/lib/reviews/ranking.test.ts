import { describe, expect, it } from 'vitest';
import { rankUnits, wilsonUpperBound, type UnitCounts } from './ranking.ts';

const unit = (u: string, reviews: number, positive: number, extra: Partial<UnitCounts> = {}): UnitCounts => {
	const negative = reviews - positive;
	// Every 差评 handled in time and every case reviewed: only the size of the sample differs.
	return {
		unit: u,
		name: u,
		reviews,
		positive,
		negative,
		completed_cases: reviews,
		replied: negative,
		rectified: negative,
		followed_up: negative,
		rectified_on_time: negative,
		...extra
	};
};

describe('the satisfaction ranking with intervals', () => {
	it('does not put 3 reviews at 100 % above 3 000 at 99.8 %', () => {
		const small = unit('small', 3, 3);
		const large = unit('large', 3000, 2994);
		const [first, second] = rankUnits([small, large]);
		expect(first!.unit).toBe('large');
		expect(second!.unit).toBe('small');
		expect(first!.rank).toBe(1);
		expect(second!.rank).toBe(2);
		// As counted, the small unit's 好评率 is the higher one.
		expect(second!.positiveRate).toBe(100);
		expect(first!.positiveRate).toBeCloseTo(99.8, 10);
		// Its place is uncertain: it could be first.
		expect(second!.rankRange).toEqual([1, 2]);
		expect(first!.rankRange![0]).toBe(1);
	});

	it('gives units far apart on large samples a rank range of one place', () => {
		const rows = rankUnits([unit('c', 5000, 3500), unit('a', 5000, 4500), unit('b', 5000, 4000)]);
		expect(rows.map((r) => [r.unit, r.rankRange])).toEqual([
			['a', [1, 1]],
			['b', [2, 2]],
			['c', [3, 3]]
		]);
	});

	it('has the Wilson upper bound mirror the lower one (3 of 3: 43.85 % … 100 %)', () => {
		expect(wilsonUpperBound(3, 3)).toBeCloseTo(1, 10);
		expect(wilsonUpperBound(0, 3)).toBeCloseTo(0.5615, 3);
	});
});
