import { describe, expect, it } from 'vitest';
import { builtinMethodologies, builtinMethodology } from './builtins.ts';
import { compute } from './engine.ts';
import { seekTarget } from './simulate.ts';

describe('built-in methodologies', () => {
	it('all validate, and say what they assume', () => {
		const all = builtinMethodologies();
		expect(Object.keys(all).sort()).toEqual(['capability', 'capability-published', 'egdi', 'egdi-hci', 'egdi-tii', 'satisfaction']);
		expect(all.capability!.assumptions.join(' ')).toMatch(/Tianshu's assumption/);
		expect(all.satisfaction!.assumptions.join(' ')).toMatch(/Tianshu's assumption/);
	});
});

describe('the 一体化政务服务能力 index', () => {
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
	const row = (unit: string, value: (c: string) => number | string) => ({ unit, ...Object.fromEntries(columns.map((c) => [c, value(c)])) });

	it('scores rates on fixed goalposts: every indicator at 95 % gives 95, 非常高', () => {
		const r = compute(m, [row('甲', () => 95), row('乙', () => 85), row('丙', () => 70)]);
		expect(r.units.map((u) => [u.unit, u.score, u.grade?.label, u.rank])).toEqual([
			['甲', 95, '非常高', 1],
			['乙', 85, '高', 2],
			['丙', 70, '中', 3]
		]);
	});

	it('weighs the five dimensions 30/25/15/15/15', () => {
		// Only 在线服务成效度 at 100, the rest at 0: 30.
		const effectiveness = new Set(['positive_rate', 'on_time_rate', 'review_rate', 'rectified_rate']);
		const r = compute(m, [row('甲', (c) => (effectiveness.has(c) ? 100 : 0))]);
		expect(r.units[0]!.score).toBeCloseTo(30, 10);
		expect(r.units[0]!.nodes.effectiveness).toBe(100);
	});

	it('leaves out a dimension without data and re-weights, down to 60 % coverage', () => {
		const guide = new Set(['guide_completeness', 'guide_consistency']);
		const r = compute(m, [row('甲', (c) => (guide.has(c) ? '' : 90))]);
		expect(r.units[0]!.score).toBeCloseTo(90, 10);
		expect(r.units[0]!.coverage).toBeCloseTo(0.85, 10);
		const thin = compute(m, [row('乙', (c) => (c === 'positive_rate' || c === 'fully_online_rate' ? 90 : ''))]);
		expect(thin.units[0]!.score).toBeNull();
	});

	it('knows a rate cannot pass 100 % when seeking a grade', () => {
		const r = seekTarget(m, [row('甲', () => 79), row('乙', () => 88)], '甲', { grade: 'veryHigh' });
		expect(r.reachable).toBe(true);
		for (const c of r.changes) expect(c.to).toBeLessThanOrEqual(100);
		expect(r.after.grade).toBe('veryHigh');
	});
});

describe('the 好差评 satisfaction index', () => {
	const m = builtinMethodology('satisfaction')!;
	const unit = (name: string, reviews: number, positive: number, extra: Record<string, number> = {}) => ({
		unit: name,
		reviews,
		positive,
		reviewed_cases: reviews,
		completed_cases: Math.round(reviews / 0.8),
		negative: reviews - positive,
		replied: reviews - positive,
		rectified: reviews - positive,
		followed_up: reviews - positive,
		rectified_on_time: reviews - positive,
		...extra
	});

	it('does not let a unit with three good reviews top units with thousands', () => {
		const r = compute(m, [unit('三条好评的窗口', 3, 3), unit('大厅甲', 10_000, 9_950), unit('大厅乙', 2_000, 1_985)]);
		const byName = Object.fromEntries(r.units.map((u) => [u.unit, u]));
		expect(byName['三条好评的窗口']!.rank).toBe(3);
		expect(byName['大厅甲']!.rank).toBe(1);
		// Its 好评率 is the Wilson lower bound, not 100 %.
		expect(byName['三条好评的窗口']!.nodes.positiveRate).toBeCloseTo(43.85, 1);
		expect(byName['大厅甲']!.nodes.positiveRate).toBeCloseTo(99.35, 1);
	});

	it('leaves out the handling rates of a unit without 差评, instead of counting them as zero', () => {
		const r = compute(m, [unit('无差评', 500, 500)]);
		expect(r.units[0]!.nodes.replyRate).toBeNull();
		// Worked by hand: 好评率 = Wilson lower bound of 500/500 = 99.2375, 主动评价率 of 500/625 = 76.6850 (z = 1.96),
		// re-weighted over their weights 5 and 2: (5 × 99.2375 + 2 × 76.6850) / 7 = 92.794. Counted as zero, the four
		// handling rates would give 649.56 / 11 = 59.05.
		expect(r.units[0]!.score).toBeCloseTo(92.794, 3);
	});
});

describe('the UN components', () => {
	it('HCI = 1/3 literacy + 2/9 enrolment + 2/9 expected + 2/9 mean years, on their goalposts', () => {
		const r = compute(builtinMethodology('egdi-hci')!, [
			{ country: 'A', adult_literacy: 100, gross_enrolment: 100, expected_years_of_schooling: 18, mean_years_of_schooling: 15 },
			{ country: 'B', adult_literacy: 50, gross_enrolment: 80, expected_years_of_schooling: 9, mean_years_of_schooling: 7.5 },
			{ country: 'C', adult_literacy: 100, gross_enrolment: 120, expected_years_of_schooling: 20, mean_years_of_schooling: 16 }
		]);
		expect(r.units[0]!.score).toBeCloseTo(1, 12);
		expect(r.units[1]!.score).toBeCloseTo(0.5 / 3 + (2 / 9) * 0.8 + (2 / 9) * 0.5 + (2 / 9) * 0.5, 12);
		expect(r.units[2]!.score).toBeCloseTo(1, 12); // capped at the goalposts
	});

	it('TII = min-max of the mean of the four z-scores', () => {
		const rows = [
			{ country: 'A', internet_users: 90, mobile_subscriptions: 130, mobile_broadband: 110, fixed_broadband: 40 },
			{ country: 'B', internet_users: 60, mobile_subscriptions: 100, mobile_broadband: 70, fixed_broadband: 20 },
			{ country: 'C', internet_users: 10, mobile_subscriptions: 60, mobile_broadband: 10, fixed_broadband: 1 }
		];
		const r = compute(builtinMethodology('egdi-tii')!, rows);
		const z = (k: keyof (typeof rows)[0]) => {
			const v = rows.map((x) => x[k] as number);
			const mean = v.reduce((s, x) => s + x, 0) / 3;
			const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
			return v.map((x) => (x - mean) / sd);
		};
		const means = [0, 1, 2].map((i) => (z('internet_users')[i]! + z('mobile_subscriptions')[i]! + z('mobile_broadband')[i]! + z('fixed_broadband')[i]!) / 4);
		const lo = Math.min(...means);
		const hi = Math.max(...means);
		r.units.forEach((u, i) => expect(u.score).toBeCloseTo((means[i]! - lo) / (hi - lo), 12));
		expect(r.units.map((u) => u.score)).toEqual([1, expect.any(Number), 0]);
	});
});
