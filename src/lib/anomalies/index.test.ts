import { describe, expect, it } from 'vitest';
import { baselineOf, DEFAULT_DROP_RULE, detectDrop, dropText, planBaseline, type Baseline } from './index.ts';

const bj = (local: string) => Date.parse(`${local}:00+08:00`);

describe('the seasonal baseline', () => {
	it('on a Sunday night: the same hours of the last four non-working days', () => {
		const plan = planBaseline(bj('2026-11-29T04:48'))!;
		expect(plan.current).toEqual({ from: bj('2026-11-29T00:00'), to: bj('2026-11-29T04:00') });
		expect(plan.hours).toEqual([0, 4]);
		expect(plan.days).toEqual(['2026-11-28', '2026-11-22', '2026-11-21', '2026-11-15']);
		expect(plan.windows[0]).toEqual({ from: bj('2026-11-28T00:00'), to: bj('2026-11-28T04:00') });
		expect(plan.windows[3]).toEqual({ from: bj('2026-11-15T00:00'), to: bj('2026-11-15T04:00') });
		expect(plan.currentLabel).toBe('今日0–4时');
		expect(plan.baselineLabel).toBe('近4个休息日同时段');
	});

	it('or the same weekday of the last four weeks', () => {
		const plan = planBaseline(bj('2026-11-29T04:48'), { kind: 'sameWeekday' })!;
		expect(plan.days).toEqual(['2026-11-22', '2026-11-15', '2026-11-08', '2026-11-01']);
		expect(plan.baselineLabel).toBe('近4个周日同时段');
		expect(plan.kind).toBe('sameWeekday');
		expect(planBaseline(bj('2026-11-29T04:48'))!.kind).toBe('sameDayType');
	});

	it('follows the official calendar: holidays and make-up days are not what their weekday says', () => {
		// The first working day after 国庆 2026 (10-01…10-07 off; 09-25 中秋 off).
		expect(planBaseline(bj('2026-10-08T10:30'))!.days).toEqual(['2026-09-30', '2026-09-29', '2026-09-28', '2026-09-24']);
		expect(planBaseline(bj('2026-10-08T10:30'))!.baselineLabel).toBe('近4个工作日同时段');
		// A Sunday before 国庆: 09-25 (中秋) counts as a day off, the make-up Sunday 09-20 does not.
		expect(planBaseline(bj('2026-09-27T08:10'))!.days).toEqual(['2026-09-26', '2026-09-25', '2026-09-19', '2026-09-13']);
		expect(planBaseline(bj('2026-09-27T08:10'))!.hours).toEqual([0, 8]);
	});

	it('has nothing to say in the first hour, or without a comparable day in reach', () => {
		expect(planBaseline(bj('2026-11-29T00:59'))).toBeNull();
		expect(planBaseline(bj('2026-11-29T01:00'))!.hours).toEqual([0, 1]);
		expect(planBaseline(bj('2026-11-29T04:48'), { lookbackDays: 0 })).toBeNull();
		expect(planBaseline(bj('2026-11-29T04:48'), { days: 2 })!.baselineLabel).toBe('近2个休息日同时段');
	});

	it('reaches back exactly `lookbackDays` days, the last one included', () => {
		// Sunday 29 November: Saturday 28th is 1 day back, Sunday 22nd 7, Saturday 21st 8.
		expect(planBaseline(bj('2026-11-29T04:48'), { lookbackDays: 1 })!.days).toEqual(['2026-11-28']);
		expect(planBaseline(bj('2026-11-29T04:48'), { lookbackDays: 7 })!.days).toEqual(['2026-11-28', '2026-11-22']);
		expect(planBaseline(bj('2026-11-29T04:48'), { lookbackDays: 8 })!.baselineLabel).toBe('近3个休息日同时段');
	});

	it('names every weekday in a same-weekday baseline', () => {
		// Monday 23 … Sunday 29 November 2026, each against the same weekday one week back first.
		const names = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
		names.forEach((name, i) => {
			const plan = planBaseline(bj(`2026-11-${23 + i}T10:00`), { kind: 'sameWeekday' })!;
			expect(plan.days[0]).toBe(`2026-11-${16 + i}`);
			expect(plan.baselineLabel).toBe(`近4个${name}同时段`);
		});
	});
});

// Planned inside each test, not on import: a plan that throws fails those tests (a test file that throws while loading
// runs no test, and a mutation run would count that as a mutant surviving).
const sundayPlan = () => planBaseline(bj('2026-11-29T04:48'))!;

describe('the baseline figure', () => {
	it('pools the days and measures how much they differ; days without completions are left out', () => {
		const b = baselineOf(sundayPlan(), [
			{ hits: 99, total: 100 },
			{ hits: 196, total: 200 },
			{ hits: 0, total: 0 },
			{ hits: 285, total: 300 }
		])!;
		expect(b.days).toEqual(['2026-11-28', '2026-11-22', '2026-11-15']);
		expect(b.n).toBe(600);
		expect(b.rate).toBeCloseTo((100 * 580) / 600, 10);
		// Day rates 99, 98, 95: mean 97.333…, sample variance (2.778 + 0.444 + 5.444) / 2 = 4.333…
		expect(b.spread).toBeCloseTo(Math.sqrt(13 / 3), 10);
		expect(b.label).toBe('近4个休息日同时段');
	});

	it('is nothing without a completion, and has no spread from one day', () => {
		expect(baselineOf(sundayPlan(), [])).toBeNull();
		expect(baselineOf(sundayPlan(), [{ hits: 0, total: 0 }])).toBeNull();
		expect(baselineOf(sundayPlan(), [{ hits: 9, total: 10 }])!.spread).toBe(0);
	});
});

describe('a drop worth reporting', () => {
	const baseline: Baseline = { label: '近4个休息日同时段', days: ['a', 'b', 'c'], rate: (100 * 580) / 600, n: 600, spread: Math.sqrt(13 / 3) };

	it('is large in points and against the variability', () => {
		const d = detectDrop({ hits: 60, total: 100 }, baseline)!;
		expect(d.rate).toBe(60);
		expect(d.n).toBe(100);
		expect(d.dropPp).toBeCloseTo(36.667, 3);
		// Noise 100·√(0.96667·0.03333)/√100 = 1.7951; σ = √(4.3333 + 3.2222) = 2.7487.
		expect(d.sigmas).toBeCloseTo(36.6667 / 2.7487, 2);
		expect(d.severity).toBe('high');
		expect(d.baseline).toBe(baseline);
	});

	it('is not a drop under 5 points, however sure', () => {
		expect(detectDrop({ hits: 92, total: 100 }, baseline)).toBeNull(); // 4.67 pp
		// 5.67 pp, but σ = 2.7487 makes it 2.06σ: not sure enough.
		expect(detectDrop({ hits: 91, total: 100 }, baseline)).toBeNull();
		// A sure baseline (98 %, flat) and a large sample: 4.9 points (4.85σ) is not reported, 5.0 is.
		const sure: Baseline = { ...baseline, rate: 98, n: 30_000, spread: 0 };
		expect(detectDrop({ hits: 9310, total: 10_000 }, sure)).toBeNull();
		expect(detectDrop({ hits: 9300, total: 10_000 }, sure)).toMatchObject({ dropPp: 5, severity: 'medium' });
	});

	it('is not a drop when the baseline days differ that much among themselves', () => {
		const wide = baselineOf(sundayPlan(), [
			{ hits: 90, total: 100 },
			{ hits: 70, total: 100 },
			{ hits: 95, total: 100 }
		])!;
		expect(wide.spread).toBeCloseTo(Math.sqrt(175), 10);
		// 15 points below 85 %, but σ = √(175 + 12.75) = 13.70: about 1.1σ.
		expect(detectDrop({ hits: 70, total: 100 }, wide)).toBeNull();
	});

	it('needs enough completions today, in the baseline and baseline days', () => {
		const low = { hits: 0, total: 29 };
		expect(detectDrop(low, baseline)).toBeNull();
		expect(detectDrop({ hits: 0, total: 30 }, baseline)).not.toBeNull();
		expect(detectDrop({ hits: 0, total: 30 }, { ...baseline, n: 119 })).toBeNull();
		expect(detectDrop({ hits: 0, total: 30 }, { ...baseline, n: 120 })).not.toBeNull();
		expect(detectDrop({ hits: 0, total: 30 }, { ...baseline, days: ['a', 'b'] })).toBeNull();
		expect(detectDrop({ hits: 0, total: 30 }, null)).toBeNull();
		expect(DEFAULT_DROP_RULE).toMatchObject({ minCurrent: 30, minBaseline: 120, minDays: 3, minDropPp: 5, minSigmas: 3 });
	});

	it('counts identical baseline days as varying by at least the floor', () => {
		const flat: Baseline = { ...baseline, rate: 98, n: 3000, spread: 0 };
		// 93 % of 1 000: 5 points; noise 100·√(0.98·0.02)/√1000 = 0.4427, σ = √(1 + 0.196) = 1.0936 → 4.57σ: reported, medium.
		const d = detectDrop({ hits: 930, total: 1000 }, flat)!;
		expect(d.sigmas).toBeCloseTo(5 / Math.sqrt(1 + 0.0196 * 10), 3);
		expect(d.severity).toBe('medium');
		// A floor of 2 points: σ = √(4 + 0.196) = 2.048 → 2.44σ: not reported.
		expect(detectDrop({ hits: 930, total: 1000 }, flat, { ...DEFAULT_DROP_RULE, spreadFloorPp: 2 })).toBeNull();
	});

	// A baseline of days all at 100 %: no sampling noise (p = 1), so σ is exactly the spread floor and the
	// sigmas are the drop over the floor — every bound below is hit exactly, with no rounding.
	const perfect: Baseline = { label: '近4个工作日同时段', days: ['a', 'b', 'c'], rate: 100, n: 600, spread: 0 };
	const floor2 = { ...DEFAULT_DROP_RULE, spreadFloorPp: 2 };

	it('is reported at exactly three sigmas, not below', () => {
		// 94 of 100: 6 points over σ = 2 is 3.0σ → reported; 95 of 100: 5 points, 2.5σ → not.
		expect(detectDrop({ hits: 94, total: 100 }, perfect, floor2)).toMatchObject({ dropPp: 6, sigmas: 3, severity: 'medium' });
		expect(detectDrop({ hits: 95, total: 100 }, perfect, floor2)).toBeNull();
	});

	it('is high at twice the points and twice the sigmas, both, each at its bound', () => {
		// σ = 1 (the default floor): 90 of 100 is 10 points and 10σ → high; 91 of 100, 9 points (9σ) → medium.
		expect(detectDrop({ hits: 90, total: 100 }, perfect)).toMatchObject({ dropPp: 10, sigmas: 10, severity: 'high' });
		expect(detectDrop({ hits: 91, total: 100 }, perfect)).toMatchObject({ dropPp: 9, sigmas: 9, severity: 'medium' });
		// σ = 2: 88 of 100 is 12 points and exactly 6σ → high; 89 of 100, 11 points but 5.5σ → medium.
		expect(detectDrop({ hits: 88, total: 100 }, perfect, floor2)).toMatchObject({ dropPp: 12, sigmas: 6, severity: 'high' });
		expect(detectDrop({ hits: 89, total: 100 }, perfect, floor2)).toMatchObject({ dropPp: 11, sigmas: 5.5, severity: 'medium' });
	});

	it('says what the baseline was', () => {
		const d = detectDrop({ hits: 60, total: 100 }, { ...baseline, n: 1240 })!;
		expect(dropText('按时办结率', sundayPlan(), d)).toBe('按时办结率 今日0–4时 60.0%（n=100），近4个休息日同时段 96.7%（n=1,240），低 36.7 个百分点');
	});
});
