import { describe, expect, it } from 'vitest';
import { change } from './model.ts';

describe('changes for KPI tiles', () => {
	it('are percentage points for rates and per cent for counts', () => {
		expect(change('rate', 95.5, 94)).toBeCloseTo(1.5, 9);
		expect(change('count', 110, 100)).toBeCloseTo(10, 9);
	});

	it('are unknown without a base (no data, or zero to compare a count with)', () => {
		expect(change('count', 5, 0)).toBeNull();
		expect(change('count', 0, 0)).toBe(0); // no warnings yesterday, none today: 持平, not "—"
		expect(change('rate', null, 90)).toBeNull();
		expect(change('count', 5, null)).toBeNull();
	});
});
