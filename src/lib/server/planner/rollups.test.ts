import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as shared from '../../indicators/catalogue.ts';
import { chooseTable, COMPUTATIONS, decomposition, rollupIndicator, SOURCES } from './rollups.ts';

describe('the rollup catalogue', () => {
	it('computes every indicator of the shared catalogue, and only those', () => {
		expect(Object.keys(COMPUTATIONS).sort()).toEqual(shared.CATALOGUE.map((i) => i.code).sort());
		for (const def of shared.CATALOGUE) expect(rollupIndicator(def.code)).toMatchObject({ code: def.code, unit: def.unit });
		expect(rollupIndicator('nope')).toBeUndefined();
	});

	it('leaves upheld appeals (申诉成立) out of 好评率 and 差评数, still as sums that split over groups', () => {
		// reviews/figures.ts: 好评率 = 好评 ÷ (reviews − upheld), 差评数 = 差评 − upheld; `upheld` is the rollups' column (migration 0013).
		const positiveRate = rollupIndicator('positiveRate')!;
		const negativeCount = rollupIndicator('negativeCount')!;
		expect(Object.values(positiveRate.measures).map((m) => [m.source, m.sql])).toEqual([
			['reviews', 'sum(positive)'],
			['reviews', 'sum(reviews - upheld)']
		]);
		expect(Object.values(negativeCount.measures).map((m) => [m.source, m.sql])).toEqual([['reviews', 'sum(negative - upheld)']]);
		expect(decomposition(positiveRate)).toEqual({ kind: 'ratio', numerator: 'positive', denominator: 'reviews', scale: 100 });
		expect(decomposition(negativeCount)).toEqual({ kind: 'count', measure: 'negative' });
	});

	it('reads every measure from a source that has a day table', () => {
		for (const c of Object.values(COMPUTATIONS)) for (const m of Object.values(c.measures)) expect(SOURCES[m.source].day).toMatch(/^[a-z_]+$/);
	});

	it('keeps SQL and table names out of the browser-shared catalogue', () => {
		const text = readFileSync(new URL('../../indicators/catalogue.ts', import.meta.url), 'utf8');
		for (const word of ['sum(', 'quantiles', 'sql', '_stats_', 'negative_review_status']) expect(text).not.toContain(word);
		for (const def of shared.CATALOGUE) expect(Object.keys(def).sort()).not.toContain('measures');
	});

	it('answers from the smallest table whose columns cover the request', () => {
		expect(chooseTable('cases', 'day', new Set(), false)?.table).toBe('case_city_stats_day');
		expect(chooseTable('cases', 'day', new Set(), true)?.table).toBe('case_region_stats_day');
		expect(chooseTable('cases', 'hour', new Set(['department']), false)?.table).toBe('case_stats_hour');
		expect(chooseTable('cases', 'minute', new Set(['channel']), false)).toEqual({ table: 'case_stats_minute', dims: { channel: 'channel' } });
		expect(chooseTable('reviews', 'minute', new Set(), false)).toBeUndefined();
		expect(chooseTable('hotline', 'day', new Set(['topic']), false)?.table).toBe('hotline_stats_day');
	});
});
