import { describe, expect, it } from 'vitest';
import { durationOption, hourlyOption, satisfactionOption, trendOption, WALL } from './charts.ts';
import type { EconomyPanel, ReviewsPanel, ServicesPanel } from './model.ts';

const services: ServicesPanel = {
	hours: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
	today: Array.from({ length: 24 }, (_, h) => (h <= 14 ? h * 10 : null)),
	lastWeek: Array.from({ length: 24 }, (_, h) => h * 9),
	channels: [{ channel: 'web', nameZh: '网厅', value: 5 }],
	durations: [0.2, 0.5, 1.1, 4.6, 31].map((hours, i) => ({ label: ['P10', 'P25', '中位数', 'P75', 'P90'][i]!, hours })),
	completedToday: 10,
	lateToday: 1,
	onTimeRate: 90
};
const reviews = (positiveRate: number | null): ReviewsPanel => ({
	positiveRate,
	positiveRateToday: null,
	negative: 0,
	negativeWaiting: 0,
	negativeLate: 0,
	rectifiedRate: null,
	reasons: []
});
type Series = Array<{ name?: string; data: unknown[] }>;

describe('cockpit chart options', () => {
	it('draws today against the same weekday last week, hours still to come left empty', () => {
		const series = hourlyOption(services).series as Series;
		expect(series.map((s) => s.name)).toEqual(['上周同日', '今日']);
		expect(series[1]!.data.slice(14, 16)).toEqual([140, null]);
	});

	it('keeps every axis label at 14 px or more (legible on a wall)', () => {
		for (const option of [hourlyOption(services), durationOption(services)]) {
			for (const axis of [option.xAxis, option.yAxis] as Array<{ axisLabel?: { fontSize?: number } }>)
				expect(axis.axisLabel!.fontSize).toBeGreaterThanOrEqual(14);
		}
	});

	it('colours the satisfaction gauge by level and clamps it to its 95–100 scale', () => {
		const colour = (v: number | null) =>
			(satisfactionOption(reviews(v)).series as Array<{ progress: { itemStyle: { color: string } }; data: Array<{ value: number }> }>)[0]!;
		expect(colour(99.5).progress.itemStyle.color).toBe(WALL.green);
		expect(colour(98).progress.itemStyle.color).toBe(WALL.amber);
		expect(colour(90).progress.itemStyle.color).toBe(WALL.red);
		expect(colour(90).data[0]!.value).toBe(95);
	});

	it('labels a quarterly series by quarter and a monthly one by month, with last year as its own line', () => {
		const ind = (frequency: 'month' | 'quarter', n: number) =>
			({ frequency, trend: { thisYear: Array(n).fill(1), lastYear: Array(n).fill(2) } }) as unknown as EconomyPanel['indicators'][number];
		expect((trendOption(ind('quarter', 4)).xAxis as { data: string[] }).data).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
		expect((trendOption(ind('month', 12)).xAxis as { data: string[] }).data[11]).toBe('12月');
		expect((trendOption(ind('month', 12)).series as Series).map((s) => s.name)).toEqual(['去年', '今年']);
	});

	it('labels the points with the bureau’s periods when the figure names them: 1–2月 one point', () => {
		const labels = ['1–2月', '1–3月', '1–4月'];
		const ind = { frequency: 'month', trend: { labels, thisYear: [1, 2, 3], lastYear: [1, 2, 3] } } as unknown as EconomyPanel['indicators'][number];
		expect((trendOption(ind).xAxis as { data: string[] }).data).toEqual(['1–2月', '1–3月', '1–4月']);
	});
});
