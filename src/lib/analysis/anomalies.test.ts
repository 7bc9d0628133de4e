import { describe, expect, it } from 'vitest';
import { bucketsOf, flagSeries } from './anomalies.ts';

const bj = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
const dates = (from: string, n: number) =>
	Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
const RATE = { nameZh: '按时办结率', unit: '%', kind: 'rate' as const };
const COUNT = { nameZh: '办件量', unit: '件', kind: 'count' as const };

describe('the buckets of a series for the anomaly rule', () => {
	it('hours and days carry their day type; weeks and months their working days inside the range', () => {
		// 1 October 2026 (国庆) is a day off, 8 October a working day.
		expect(bucketsOf('day', { labels: ['2026-10-01', '2026-10-08'], from: bj('2026-10-01'), to: bj('2026-10-09') })).toEqual([
			{ label: '2026-10-01', working: false, workingDays: 0 },
			{ label: '2026-10-08', working: true, workingDays: 1 }
		]);
		expect(bucketsOf('hour', { labels: ['2026-11-28 09:00:00'], from: bj('2026-11-28'), to: bj('2026-11-29') })[0]!.working).toBe(false);
		// From Wednesday 25 November to Wednesday 2 December: W48 keeps 25–27 (3 working days), W49 30 November and 1 December (2).
		expect(bucketsOf('week', { labels: ['2026-W48', '2026-W49'], from: bj('2026-11-25'), to: bj('2026-12-02') }).map((b) => b.workingDays)).toEqual([3, 2]);
		expect(bucketsOf('year', { labels: ['2026'], from: bj('2026-01-01'), to: bj('2027-01-01') })).toEqual([{ label: '2026', working: null, workingDays: 0 }]);
	});
});

describe('flags of a series, the lookback as baseline only', () => {
	it('a rate: the days of the range that fell, indexes in the range', () => {
		// Lookback 12–15 November at 36 of 40; the range 16–18 November at 24, 36, 24 of 40.
		const flags = flagSeries(
			'day',
			RATE,
			{ labels: dates('2026-11-12', 4), from: bj('2026-11-12'), to: bj('2026-11-16'), tallies: [36, 36, 36, 36].map((hits) => ({ hits, total: 40 })) },
			{ labels: dates('2026-11-16', 3), from: bj('2026-11-16'), to: bj('2026-11-19'), tallies: [24, 36, 24].map((hits) => ({ hits, total: 40 })) }
		);
		expect(flags.map((f) => f.index)).toEqual([0, 2]);
		expect(flags[0]!.text).toBe('按时办结率 60.0%，低于同期基线 90.0%（−30.0 个百分点，样本 40 件；基线：前4天，160 件）');
		// The 18th: the 17th, then back past the flagged 16th to 15, 14, 13 November.
		expect(flags[1]!.baselineBuckets).toEqual(['2026-11-17', '2026-11-15', '2026-11-14', '2026-11-13']);
	});

	it('a count at week grain per working day: a week cut by the range is not low, a real fall is', () => {
		// Four whole weeks before (26 October – 22 November) at 5 000 in 5 working days; the range cuts W48 to 3 and W49 to 2.
		const flags = flagSeries(
			'week',
			COUNT,
			{ labels: ['2026-W44', '2026-W45', '2026-W46', '2026-W47'], from: bj('2026-10-26'), to: bj('2026-11-23'), values: [5000, 5000, 5000, 5000] },
			{ labels: ['2026-W48', '2026-W49'], from: bj('2026-11-25'), to: bj('2026-12-02'), values: [3000, 600] }
		);
		expect(flags.map((f) => f.index)).toEqual([1]);
		expect(flags[0]!.text).toBe('办件量 600件，低于同期基线 2,000件（−70.0%；基线：前5周按工作日折算，本期 2 个工作日）');
		// W49's baseline: W48 (3 000 in its 3 working days of the range) and the four weeks before, 1 000 a working day each.
	});

	it('says nothing at year grain, or without data', () => {
		const year = { labels: ['2025', '2026'], from: bj('2025-01-01'), to: bj('2027-01-01'), values: [1, 1000] };
		expect(flagSeries('year', COUNT, { ...year, labels: [] }, year)).toEqual([]);
		expect(
			flagSeries(
				'day',
				RATE,
				{ labels: [], from: bj('2026-11-16'), to: bj('2026-11-16') },
				{ labels: dates('2026-11-16', 3), from: bj('2026-11-16'), to: bj('2026-11-19') }
			)
		).toEqual([]);
	});
});
