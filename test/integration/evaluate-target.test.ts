/**
 * Target seeking as the workbench uses it (issue 16): for a unit below 90 on
 * the capability index, the smallest set of changes to reach 非常高 as an ordered
 * to-do list, worked out by hand; the same changes applied in what-if reach it;
 * and "out of reach" when the allowed indicators cannot get there.
 */
import { describe, expect, it } from 'vitest';
import { builtinMethodology } from '../../src/lib/indices/builtins.ts';
import { seekTarget, whatIf } from '../../src/lib/indices/simulate.ts';

const m = builtinMethodology('capability')!;
const columns = [
	'positive_rate',
	'on_time_rate',
	'review_rate',
	'rectified_rate',
	'fully_online_rate',
	'zero_trip_rate',
	'at_most_one_trip_rate',
	'channel_coverage',
	'mobile_item_share',
	'online_item_share',
	'cross_province_item_share',
	'guide_completeness',
	'guide_consistency'
];
const row = (unit: string, v: number) => ({ unit, ...Object.fromEntries(columns.map((c) => [c, v])) });
// 甲 at 85 everywhere (score 85, 高); every indicator spans 70–95 among the units, so each costs 1/25 per point
// and may rise to 100 (its bound): +15 points, costing 0.6, gaining 15 × its effective weight.
const rows = [row('甲', 85), row('乙', 70), row('丙', 95)];

describe('target seeking on the capability index', () => {
	it('lists the fewest, cheapest changes to 非常高, most score per cost first', () => {
		const r = seekTarget(m, rows, '甲', { grade: 'veryHigh' });
		expect(r.reachable).toBe(true);
		// Effective weights: 全程网办率 0.25 × 5/10 = 0.125, 好评率 0.30 × 4/10 = 0.12, 网上可办率 0.15 × 2/3 = 0.10, …
		// Above 90 needs more than 5 points: 1.875 + 1.8 = 3.675 from the first two in full, then 1.325 / 0.10 = 13.25 points of 网上可办率.
		expect(r.changes.map((c) => c.indicator)).toEqual(['fullyOnlineRate', 'positiveRate', 'onlineItemShare']);
		expect(r.changes[0]).toMatchObject({ from: 85, to: 100 });
		expect(r.changes[1]).toMatchObject({ from: 85, to: 100 });
		expect(r.changes[2]!.from).toBe(85);
		expect(r.changes[2]!.to).toBeCloseTo(98.25, 5);
		expect(r.cost).toBeCloseTo(0.6 + 0.6 + 13.25 / 25, 5);
		expect(r.after.grade).toBe('veryHigh');
		expect(r.after.score).toBeGreaterThan(90);
		expect(r.after.score).toBeCloseTo(90, 5);
	});

	it('the changes, applied in what-if, reach 非常高', () => {
		const r = seekTarget(m, rows, '甲', { grade: 'veryHigh' });
		const edit = Object.fromEntries(r.changes.map((c) => [c.column, c.to]));
		const w = whatIf(m, rows, { values: { 甲: edit } });
		expect(w.changes.find((c) => c.unit === '甲')).toMatchObject({ before: { grade: 'high' }, after: { grade: 'veryHigh' }, gradeChanged: true });
	});

	it('says plainly when the target is out of reach', () => {
		// Only 办事指南要素完整率 may change: at most 15 × 0.075 = 1.125 points, 86.125 < 90.
		const r = seekTarget(m, rows, '甲', { grade: 'veryHigh' }, { indicators: ['guideCompleteness'] });
		expect(r).toMatchObject({ reachable: false, alreadyMet: false, changes: [], after: { grade: 'high' } });
		expect(r.message).toMatch(/cannot reach the target/);
		expect(seekTarget(m, rows, '丙', { grade: 'veryHigh' })).toMatchObject({ reachable: true, alreadyMet: true, changes: [] });
	});
});
