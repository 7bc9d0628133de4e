import { describe, expect, it } from 'vitest';
import { BASELINE_BUCKETS, baselineLookback, comparableBuckets, DEFAULT_COUNT_RULE, flagCount, flagRate, isFlagGrain, type Bucket } from './grains.ts';
import { DEFAULT_DROP_RULE } from './index.ts';

const W = true;
const R = false;

/** Day buckets from a first date, with working flags given by hand (not from the calendar under test elsewhere). */
function days(from: string, working: boolean[]): Bucket[] {
	return working.map((w, i) => ({
		label: new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
		working: w,
		workingDays: w ? 1 : 0
	}));
}
const calendar = (labels: string[], workingDays: number[] = labels.map(() => 5)): Bucket[] =>
	labels.map((label, i) => ({ label, working: null, workingDays: workingDays[i]! }));

describe('flags on a rate at day grain', () => {
	// 10–19 November 2026 (14 and 15 a weekend): 40 completions a day, 36 on time (90 %); 17, 18 and 19 only 24 (60 %).
	const buckets = days('2026-11-10', [W, W, W, W, R, R, W, W, W, W]);
	const planted = [7, 8, 9];
	const tallies = buckets.map((_, i) => ({ hits: planted.includes(i) ? 24 : 36, total: 40 }));

	it('flags exactly the planted days, each against the days before it that were not flagged', () => {
		const flags = flagRate('按时办结率', 'day', buckets, tallies);
		expect(flags.map((f) => f.index)).toEqual(planted);
		// 17 November: 16, 15, 14, 13 pooled, 144 / 160 = 90 %; noise 100·√(0.9·0.1/40) = 4.743, σ = √(1 + 22.5) = 4.848: 30 points is 6.2σ.
		expect(flags[0]).toMatchObject({ kind: 'rate', direction: 'low', value: 60, n: 40, baselineN: 160, baselineLabel: '前4天' });
		expect(flags[0]!.baseline).toBeCloseTo(90, 10);
		expect(flags[0]!.deviation).toBeCloseTo(-30, 10);
		expect(flags[0]!.text).toBe('按时办结率 60.0%，低于同期基线 90.0%（−30.0 个百分点，样本 40 件；基线：前4天，160 件）');
		// 18 November leaves the flagged 17th out (with it: 132 / 160 = 82.5 %, day rates 60, 90, 90, 90 spread 15 points: 1.4σ, no flag).
		expect(flags[1]!.baselineBuckets).toEqual(['2026-11-16', '2026-11-15', '2026-11-14', '2026-11-13']);
		expect(flags[2]!.baselineBuckets).toEqual(['2026-11-16', '2026-11-15', '2026-11-14', '2026-11-13']);
	});

	it('judges a rate by its recent days whatever their type: the rest days 14 and 15 are in the baseline of Monday 16', () => {
		expect(comparableBuckets('day', 'rate', buckets, 6, () => true)).toEqual({ indexes: [5, 4, 3, 2], label: '前4天' });
	});

	it('says nothing on too small a sample: 20 completions a day, the same fall', () => {
		const small = buckets.map((_, i) => ({ hits: planted.includes(i) ? 12 : 18, total: 20 }));
		expect(flagRate('按时办结率', 'day', buckets, small)).toEqual([]);
	});

	it('needs three baseline days with completions, and judges only from `first` on', () => {
		// The fall on the fourth day, with three days before it: flagged; on the third, with two: not.
		const short = days('2026-11-16', [W, W, W, W]);
		expect(
			flagRate(
				'按时办结率',
				'day',
				short,
				[36, 36, 36, 12].map((hits) => ({ hits, total: 40 }))
			)
		).toHaveLength(1);
		expect(
			flagRate(
				'按时办结率',
				'day',
				short.slice(0, 3),
				[36, 36, 12].map((hits) => ({ hits, total: 40 }))
			)
		).toEqual([]);
		// Days without completions are no baseline day. Of 100 a day (so that two days already make the 120
		// completions a baseline needs): 90, 90, 90 then 30 is flagged (pooled 90 %, spread 0 → floor 1,
		// noise 100·√(0.9·0.1/100) = 3, σ = √10 = 3.16: 60 points is 19σ); with the 16th empty, only two days: not.
		expect(
			flagRate(
				'按时办结率',
				'day',
				short,
				[90, 90, 90, 30].map((hits) => ({ hits, total: 100 }))
			).map((f) => f.index)
		).toEqual([3]);
		expect(
			flagRate(
				'按时办结率',
				'day',
				short,
				[0, 90, 90, 30].map((hits, i) => ({ hits, total: i ? 100 : 0 }))
			)
		).toEqual([]);
		// The lookback (before `first`) is not reported, but judged: the 17th, flagged there, stays out of the 18th's baseline.
		expect(flagRate('按时办结率', 'day', buckets, tallies, 10)).toEqual([]);
		expect(flagRate('按时办结率', 'day', buckets, tallies, 8).map((f) => f.index)).toEqual([8, 9]);
	});
});

describe('a rate bucket without completions, and a baseline of one bucket', () => {
	it('never judges a bucket without completions, whatever the rule', () => {
		// Even a rule that asks no sample of the bucket (minCurrent 0): 0 of 0 has no rate to fall.
		const anySample = { ...DEFAULT_DROP_RULE, minCurrent: 0 };
		expect(
			flagRate(
				'按时办结率',
				'day',
				days('2026-11-16', [W, W, W, W]),
				[36, 36, 36, 0].map((hits, i) => ({ hits, total: i < 3 ? 40 : 0 })),
				0,
				anySample
			)
		).toEqual([]);
	});

	it('gives a one-bucket baseline no spread of its own: the floor and the sampling noise decide', () => {
		// A rule that takes one baseline day: 180 of 200 (90 %), spread 0 → floor 1 point; today 40 completions:
		// noise 100·√(0.9·0.1/40) = 4.743, σ = √(1 + 22.5) = 4.848. 32 of 40 (80 %) is 10 points, 2.06σ: not flagged;
		// 20 of 40 (50 %) is 40 points, 8.25σ: flagged.
		const oneDay = { ...DEFAULT_DROP_RULE, minDays: 1 };
		const two = days('2026-11-16', [W, W]);
		expect(
			flagRate(
				'按时办结率',
				'day',
				two,
				[
					{ hits: 180, total: 200 },
					{ hits: 32, total: 40 }
				],
				0,
				oneDay
			)
		).toEqual([]);
		const flags = flagRate(
			'按时办结率',
			'day',
			two,
			[
				{ hits: 180, total: 200 },
				{ hits: 20, total: 40 }
			],
			0,
			oneDay
		);
		expect(flags.map((f) => [f.index, f.value, f.baselineLabel])).toEqual([[1, 50, '前1天']]);
	});
});

describe('the spread of the baseline counts', () => {
	it('a fall must be three times the spread of the baseline days (sample deviation) and the sampling noise together', () => {
		// Baseline days 90, 80, 90, 80 of 100: pooled 85 %, spread √((4 × 25) / 3) = 5.774 points; noise 100·√(0.85·0.15/100) = 3.571;
		// σ = √(33.33 + 12.75) = 6.789, so 3σ = 20.37 points: 64 % (21 below) is flagged, 65 % (20 below) is not.
		const b = days('2026-11-16', [W, W, W, W, W]);
		const at = (hits: number) =>
			flagRate(
				'按时办结率',
				'day',
				b,
				[90, 80, 90, 80, hits].map((h) => ({ hits: h, total: 100 }))
			);
		expect(at(64).map((f) => f.index)).toEqual([4]);
		expect(at(65)).toEqual([]);
	});
});

describe('flags on a rate at week grain', () => {
	it('flags the week of a fall against the eight weeks before, pooled', () => {
		const labels = ['2026-W36', '2026-W37', '2026-W38', '2026-W39', '2026-W40', '2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46'];
		// Eight weeks of 190 on time of 200 (95 %); W44 150 of 200 (75 %); W45 back to 95 %; W46 a fall on 20 completions only.
		const tallies = [190, 190, 190, 190, 190, 190, 190, 190, 150, 190, 10].map((hits, i) => ({ hits, total: i === 10 ? 20 : 200 }));
		const flags = flagRate('按时办结率', 'week', calendar(labels), tallies);
		expect(flags.map((f) => f.index)).toEqual([8]);
		expect(flags[0]!.text).toBe('按时办结率 75.0%，低于同期基线 95.0%（−20.0 个百分点，样本 200 件；基线：前8周，1,600 件）');
		expect(flags[0]!.baselineBuckets).toEqual(labels.slice(0, 8).reverse());
	});
});

describe('flags on a count', () => {
	it('a rest-day and holiday dip is the calendar: rest days are compared with rest days; a fall on a working day is flagged', () => {
		// 21 September – 9 October, a Golden Week: working days about 1 000, rest days about 300.
		const working = [W, W, W, W, R, R, R, W, W, W, R, R, R, R, R, R, R, W, W];
		const values = [1000, 1010, 990, 1000, 300, 310, 290, 1000, 1020, 980, 300, 300, 300, 300, 300, 300, 300, 1000, 480];
		const flags = flagCount('办件量', '件', 'day', days('2026-09-21', working), values);
		expect(flags.map((f) => f.index)).toEqual([18]);
		// 9 October: 8 October, 30, 29, 28 September: 1 000, 980, 1 020, 1 000 → 1 000; −520 is 52 % and 16σ (σ = √1000 = 31.6 > spread 16.3).
		expect(flags[0]).toMatchObject({ kind: 'count', direction: 'low', value: 480, baseline: 1000, baselineLabel: '前4个工作日', baselineN: 4000 });
		expect(flags[0]!.deviation).toBeCloseTo(-52, 10);
		expect(flags[0]!.text).toBe('办件量 480件，低于同期基线 1,000件（−52.0%；基线：前4个工作日均值）');
	});

	it('is flagged at three sigmas and 30 % exactly, not a unit less (either way)', () => {
		const four = days('2026-11-16', [W, W, W, W]);
		// 100, 100, 100: σ = √100 = 10; 130 is 3σ and 30 %.
		expect(flagCount('办件量', '件', 'day', four, [100, 100, 100, 130])).toHaveLength(1);
		expect(flagCount('办件量', '件', 'day', four, [100, 100, 100, 129])).toEqual([]);
		expect(flagCount('办件量', '件', 'day', four, [100, 100, 100, 70])[0]).toMatchObject({ direction: 'low', deviation: -30 });
		expect(flagCount('办件量', '件', 'day', four, [100, 100, 100, 71])).toEqual([]);
		// 400 × 3: σ = 20, so the 30 % (120) decides: 520 yes, 519 no.
		const high = flagCount('办件量', '件', 'day', four, [400, 400, 400, 520]);
		expect(high[0]).toMatchObject({ direction: 'high', value: 520, baseline: 400, deviation: 30 });
		expect(high[0]!.text).toBe('办件量 520件，高于同期基线 400件（+30.0%；基线：前3个工作日均值）');
		expect(flagCount('办件量', '件', 'day', four, [400, 400, 400, 519])).toEqual([]);
		// 60, 100, 140: spread √((1600 + 0 + 1600) / 2) = 40 > √100, so 3σ = 120 decides: 220 yes, 219 no.
		expect(flagCount('办件量', '件', 'day', four, [60, 100, 140, 220])).toHaveLength(1);
		expect(flagCount('办件量', '件', 'day', four, [60, 100, 140, 219])).toEqual([]);
	});

	it('judges the lookback too, so that its own anomaly is no baseline, but reports only from `first` on', () => {
		// 200 on the 4th day is flagged inside the lookback and left out: the 8th (300) is judged against 100, 100, 100, 100.
		const b = days('2026-11-16', [W, W, W, W, W, W, W, W]);
		const flags = flagCount('办件量', '件', 'day', b, [100, 100, 100, 200, 100, 100, 100, 300], 4);
		expect(flags.map((f) => f.index)).toEqual([7]);
		expect(flags[0]!.baselineBuckets).toEqual(['2026-11-22', '2026-11-21', '2026-11-20', '2026-11-18']);
		// The first bucket reported is the one at `first` itself.
		expect(flagCount('办件量', '件', 'day', b, [100, 100, 100, 200, 100, 100, 100, 300], 7).map((f) => f.index)).toEqual([7]);
		expect(flagCount('办件量', '件', 'day', b, [100, 100, 100, 200, 100, 100, 100, 300], 3).map((f) => f.index)).toEqual([3, 7]);
	});

	it('at hour and day grain counts the bucket as it is, with no working days attached (as the workbench passes them)', () => {
		// The analysis passes workingDays 0 for hour and day buckets: a count there is not per working day.
		// Rest days 300, 300, 300 then 100: σ = √300 = 17.3, −200 is 11.5σ and 67 %.
		const b = days('2026-11-21', [R, R, R, R]).map((x) => ({ ...x, workingDays: 0 }));
		const flags = flagCount('办件量', '件', 'day', b, [300, 300, 300, 100]);
		expect(flags.map((f) => [f.index, f.value, f.baseline, f.baselineLabel])).toEqual([[3, 100, 300, '前3个休息日']]);
	});

	it('a bucket without a value is never judged and never a baseline', () => {
		// Weeks of 5 working days at 1 000 a working day; W2 has no value (null), W7 neither. W6 falls to 2 000: its
		// baseline is W5, W4, W3, W1 → 5 000 (a missing W2 counted as 0 would make it 4 000 with a spread of 2 236: no flag).
		const labels = ['2026-W01', '2026-W02', '2026-W03', '2026-W04', '2026-W05', '2026-W06', '2026-W07'];
		const flags = flagCount('办件量', '件', 'week', calendar(labels), [5000, null, 5000, 5000, 5000, 2000, null]);
		expect(flags.map((f) => [f.index, f.baseline, f.baselineN])).toEqual([[5, 5000, 20_000]]);
		expect(flags[0]!.baselineBuckets).toEqual(['2026-W05', '2026-W04', '2026-W03', '2026-W01']);
		// The same with W2 a hole the caller never filled, and W7 past the end of the values.
		const holey: Array<number | null> = [];
		for (const [i, v] of [5000, 0, 5000, 5000, 5000, 2000].entries()) if (i !== 1) holey[i] = v;
		expect(flagCount('办件量', '件', 'week', calendar(labels), holey).map((f) => [f.index, f.baseline])).toEqual([[5, 5000]]);
		// At day grain: 100, 100, 100 and then no value is no fall.
		expect(flagCount('办件量', '件', 'day', days('2026-11-16', [W, W, W, W]), [100, 100, 100, null])).toEqual([]);
	});

	it('never judges a week without working days, whatever the rule', () => {
		// Even a rule with no minimum expected count: W4 has no working day inside the range, so no count per working day.
		const noMinimum = { ...DEFAULT_COUNT_RULE, minExpected: 0 };
		const weeks = calendar(['2026-W01', '2026-W02', '2026-W03', '2026-W04'], [5, 5, 5, 0]);
		expect(flagCount('办件量', '件', 'week', weeks, [5000, 5000, 5000, 500], 0, noMinimum)).toEqual([]);
	});

	it('never flags against an empty baseline, whatever the rule', () => {
		// Three days of 0 then 40: no expected count to measure a share against, so no "+Infinity%" flag.
		const noMinimum = { ...DEFAULT_COUNT_RULE, minExpected: 0 };
		const four = days('2026-11-16', [W, W, W, W]);
		expect(flagCount('办件量', '件', 'day', four, [0, 0, 0, 40], 0, noMinimum)).toEqual([]);
		expect(flagCount('办件量', '件', 'day', four, [0, 0, 0, 0], 0, noMinimum)).toEqual([]);
		// A baseline of 1 a day is one: 40 against it is flagged, +3 900.0 %.
		const flags = flagCount('办件量', '件', 'day', four, [1, 1, 1, 40], 0, noMinimum);
		expect(flags.map((f) => [f.index, f.baseline])).toEqual([[3, 1]]);
		expect(flags[0]!.text).toContain('+3900.0%');
	});

	it('at month and quarter grain per working day, as at week grain', () => {
		// 100 a working day for three buckets; the fourth has 21 working days and 1 050: half the 2 100 expected.
		const wd = [20, 15, 22, 21];
		for (const labels of [
			['2026-01', '2026-02', '2026-03', '2026-04'],
			['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']
		]) {
			const grain = labels[0]!.includes('Q') ? ('quarter' as const) : ('month' as const);
			const flags = flagCount('办件量', '件', grain, calendar(labels, wd), [2000, 1500, 2200, 1050]);
			expect(flags.map((f) => [f.index, f.baseline, f.deviation])).toEqual([[3, 2100, -50]]);
		}
	});

	it('needs three baseline buckets and an expected count of 30', () => {
		expect(flagCount('办件量', '件', 'day', days('2026-11-16', [W, W, W]), [100, 100, 1000])).toEqual([]);
		const four = days('2026-11-16', [W, W, W, W]);
		expect(flagCount('办件量', '件', 'day', four, [29, 29, 29, 100])).toEqual([]);
		expect(flagCount('办件量', '件', 'day', four, [30, 30, 30, 100])).toHaveLength(1);
		expect(flagCount('办件量', '件', 'day', four, [30, null, 30, 30, 100].slice(1))).toEqual([]);
		expect(DEFAULT_COUNT_RULE).toEqual({ minBuckets: 3, minExpected: 30, minSigmas: 3, minShare: 0.3 });
	});

	it('at week grain per working day: a holiday week and a week cut by the range are not low; a real fall is', () => {
		const labels = [
			'2026-W33',
			'2026-W34',
			'2026-W35',
			'2026-W36',
			'2026-W37',
			'2026-W38',
			'2026-W39',
			'2026-W40',
			'2026-W41',
			'2026-W42',
			'2026-W43',
			'2026-W44'
		];
		// 1 000 a working day; W40 (国庆) has 2 working days, W44 is cut to 2 by the range, W43 falls to 3 000 in 5, W42 has none.
		const wd = [5, 5, 5, 5, 5, 5, 5, 2, 5, 0, 5, 2];
		const values = [5000, 5000, 5000, 5000, 5000, 5000, 5000, 2000, 5000, 500, 3000, 2000];
		const flags = flagCount('办件量', '件', 'week', calendar(labels, wd), values);
		expect(flags.map((f) => f.index)).toEqual([10]);
		// W43: the 8 weeks before with working days (W41, W40, W39 … W34; W42 has none) at 1 000 a working day → 5 000.
		expect(flags[0]!.baselineBuckets).toEqual(['2026-W41', '2026-W40', '2026-W39', '2026-W38', '2026-W37', '2026-W36', '2026-W35', '2026-W34']);
		expect(flags[0]!.text).toBe('办件量 3,000件，低于同期基线 5,000件（−40.0%；基线：前8周按工作日折算，本期 5 个工作日）');
	});
});

describe('the baseline of each grain', () => {
	it('hour: the same hour of the most recent days of the same type', () => {
		const b: Bucket[] = [];
		const types: Record<string, boolean> = {
			'2026-11-20': W,
			'2026-11-21': R,
			'2026-11-22': R,
			'2026-11-23': W,
			'2026-11-24': W,
			'2026-11-25': W,
			'2026-11-26': W
		};
		for (const [date, working] of Object.entries(types)) for (const h of ['09', '10']) b.push({ label: `${date} ${h}:00:00`, working, workingDays: 0 });
		const last = b.length - 2; // 26 November 09:00
		const r = comparableBuckets('hour', 'rate', b, last, () => true);
		expect(r.indexes.map((j) => b[j]!.label)).toEqual(['2026-11-25 09:00:00', '2026-11-24 09:00:00', '2026-11-23 09:00:00', '2026-11-20 09:00:00']);
		expect(r.label).toBe('前4个工作日09时');
		const sunday = comparableBuckets('hour', 'count', b, 5, () => true); // 22 November 10:00
		expect(sunday.indexes.map((j) => b[j]!.label)).toEqual(['2026-11-21 10:00:00']);
		expect(sunday.label).toBe('前1个休息日10时');
	});

	it('day counts: the same type only', () => {
		const b = days('2026-11-20', [W, R, R, W, W]);
		expect(comparableBuckets('day', 'count', b, 4, () => true)).toEqual({ indexes: [3, 0], label: '前2个工作日' });
		expect(comparableBuckets('day', 'count', b, 2, () => true)).toEqual({ indexes: [1], label: '前1个休息日' });
	});

	it('month: the three months before and the same month last year', () => {
		const labels = [
			'2025-01',
			'2025-02',
			'2025-03',
			'2025-04',
			'2025-05',
			'2025-06',
			'2025-07',
			'2025-08',
			'2025-09',
			'2025-10',
			'2025-11',
			'2025-12',
			'2026-01',
			'2026-02',
			'2026-03'
		];
		const b = calendar(labels);
		expect(comparableBuckets('month', 'count', b, 14, () => true)).toEqual({ indexes: [13, 12, 11, 2], label: '前3个月及去年同月' });
		// Last year's month left out (flagged or empty): the months before only.
		expect(comparableBuckets('month', 'count', b, 14, (j) => j !== 2)).toEqual({ indexes: [13, 12, 11], label: '前3个月' });
		expect(comparableBuckets('month', 'count', b, 1, () => true)).toEqual({ indexes: [0], label: '前1个月' });
		expect(comparableBuckets('month', 'count', b, 12, (j) => j === 0)).toEqual({ indexes: [0], label: '去年同月' });
	});

	it('quarter: the four quarters before; week: the eight before', () => {
		const q = calendar(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
		expect(comparableBuckets('quarter', 'rate', q, 5, () => true)).toEqual({ indexes: [4, 3, 2, 1], label: '前4个季度' });
		const w = calendar(Array.from({ length: 10 }, (_, i) => `2026-W${String(30 + i)}`));
		expect(comparableBuckets('week', 'rate', w, 9, () => true).indexes).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
		expect(BASELINE_BUCKETS).toEqual({ hour: 4, day: 4, week: 8, month: 3, quarter: 4 });
	});

	it('knows which grains it flags', () => {
		expect(['hour', 'day', 'week', 'month', 'quarter'].every(isFlagGrain)).toBe(true);
		expect(isFlagGrain('year')).toBe(false);
		expect(isFlagGrain('total')).toBe(false);
	});
});

describe('how far back the baselines reach', () => {
	const bj = (local: string) => Date.parse(`${local}:00+08:00`);
	it('ends where the bucket holding the start begins', () => {
		expect(baselineLookback('hour', bj('2026-11-20T14:30'))).toEqual({ from: bj('2026-10-16T14:00'), to: bj('2026-11-20T14:00') });
		expect(baselineLookback('day', bj('2026-11-20T00:00'))).toEqual({ from: bj('2026-10-16T00:00'), to: bj('2026-11-20T00:00') });
		// Friday 20 November: its week began on Monday 16th; 12 weeks before is 24 August.
		expect(baselineLookback('week', bj('2026-11-20T00:00'))).toEqual({ from: bj('2026-08-24T00:00'), to: bj('2026-11-16T00:00') });
		expect(baselineLookback('month', bj('2026-03-15T00:00'))).toEqual({ from: bj('2025-03-01T00:00'), to: bj('2026-03-01T00:00') });
		expect(baselineLookback('quarter', bj('2026-05-15T00:00'))).toEqual({ from: bj('2024-10-01T00:00'), to: bj('2026-04-01T00:00') });
	});
});
