import { describe, expect, it } from 'vitest';
import { staleAfterMs, stoppedPanels } from './freshness.ts';

describe('panel freshness on a wall', () => {
	it('gives a fast panel two hub ceilings and a grace period (2 × 15 s + 15 s)', () => {
		expect(staleAfterMs('kpis')).toBe(45_000);
		expect(staleAfterMs('kpis', 5_000)).toBe(25_000);
	});

	it('gives a slow panel two of its own intervals (economy: 2 × 60 s + 15 s)', () => {
		expect(staleAfterMs('economy')).toBe(135_000);
		expect(staleAfterMs('rankings')).toBe(135_000);
	});

	it('names only the panels whose newest value is older than their limit, with the instant they stopped', () => {
		const now = Date.parse('2026-11-28T10:00:00+08:00');
		const stopped = stoppedPanels({ kpis: now - 46_000, map: now - 44_000, economy: now - 100_000, rankings: now - 136_000 }, now);
		expect(stopped).toEqual({ kpis: now - 46_000, rankings: now - 136_000 });
	});

	it('calls nothing stopped exactly at the limit', () => {
		const now = 1_000_000_000;
		expect(stoppedPanels({ services: now - 45_000 }, now)).toEqual({});
	});
});
