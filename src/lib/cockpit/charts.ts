/**
 * ECharts options for the cockpit's charts, from panel data. Pure (no ECharts
 * import): tested without a browser. Type sizes follow the wall rules: axis
 * labels ≥ 14 px on the 1920×1080 canvas, no thin grey text.
 */
import type { ChartOption } from '../charts/echarts.ts';
import type { EconomyPanel, ReviewsPanel, ServicesPanel } from './model.ts';
import { FONT_FAMILY, PALETTES, withAlpha } from '../design/tokens.ts';

const wall = PALETTES.wall;

/** The wall theme for charts, derived from the design tokens. */
export const WALL = {
	text: wall.text,
	muted: wall.muted,
	grid: wall.grid,
	accent: wall.accent,
	lastYear: wall.comparison,
	bars: wall.series2,
	green: wall.good,
	amber: wall.warn,
	red: wall.alarm,
	font: FONT_FAMILY
};

const axisLabel = { color: WALL.muted, fontSize: 14, fontFamily: WALL.font };
const splitLine = { lineStyle: { color: WALL.grid } };
// Updates animate briefly; the first draw does not sweep in (a wall never "loads").
const motion = { animation: true, animationDuration: 0, animationDurationUpdate: 500 };

/** Cases per hour today (solid) against the same weekday last week (dashed). */
export function hourlyOption(s: ServicesPanel): ChartOption {
	return {
		...motion,
		grid: { left: 48, right: 12, top: 34, bottom: 26 },
		legend: {
			top: 0,
			right: 0,
			itemWidth: 22,
			itemHeight: 10,
			textStyle: { color: WALL.text, fontSize: 14, fontFamily: WALL.font },
			data: ['今日', '上周同日']
		},
		xAxis: {
			type: 'category',
			data: s.hours,
			axisLabel: { ...axisLabel, interval: 3 },
			axisLine: { lineStyle: { color: WALL.grid } },
			axisTick: { show: false }
		},
		yAxis: { type: 'value', axisLabel, splitLine, minInterval: 1 },
		series: [
			{
				name: '上周同日',
				type: 'line',
				data: s.lastWeek,
				symbol: 'none',
				lineStyle: { color: WALL.lastYear, width: 2, type: 'dashed' },
				itemStyle: { color: WALL.lastYear }
			},
			{
				name: '今日',
				type: 'line',
				data: s.today,
				symbol: 'none',
				lineStyle: { color: WALL.accent, width: 3 },
				itemStyle: { color: WALL.accent },
				areaStyle: { color: withAlpha(WALL.accent, 0.15) }
			}
		]
	};
}

/** Today's cases by channel, as horizontal bars (exact values beat a pie on a wall). */
export function channelOption(s: ServicesPanel): ChartOption {
	const rows = [...s.channels].reverse();
	return {
		...motion,
		grid: { left: 84, right: 70, top: 4, bottom: 4 },
		xAxis: { type: 'value', show: false },
		yAxis: {
			type: 'category',
			data: rows.map((c) => c.nameZh),
			axisLabel: { ...axisLabel, color: WALL.text, fontSize: 15 },
			axisLine: { show: false },
			axisTick: { show: false }
		},
		series: [
			{
				type: 'bar',
				data: rows.map((c) => c.value),
				barWidth: 14,
				itemStyle: { color: WALL.accent, borderRadius: 3 },
				label: {
					show: true,
					position: 'right',
					color: WALL.text,
					fontSize: 15,
					fontFamily: WALL.font,
					formatter: ({ value }) => Number(value).toLocaleString('zh-CN')
				}
			}
		]
	};
}

/** Processing-time percentiles of the last 7 days, in hours. */
export function durationOption(s: ServicesPanel): ChartOption {
	return {
		...motion,
		grid: { left: 40, right: 8, top: 22, bottom: 24 },
		xAxis: {
			type: 'category',
			data: s.durations.map((d) => d.label),
			axisLabel: { ...axisLabel, color: WALL.text },
			axisTick: { show: false },
			axisLine: { lineStyle: { color: WALL.grid } }
		},
		yAxis: { type: 'value', axisLabel, splitLine, splitNumber: 2 },
		series: [
			{
				type: 'bar',
				data: s.durations.map((d) => (d.hours === null ? null : Math.round(d.hours * 10) / 10)),
				barWidth: 26,
				itemStyle: { color: WALL.bars, borderRadius: [3, 3, 0, 0] },
				label: { show: true, position: 'top', color: WALL.text, fontSize: 14, fontFamily: WALL.font }
			}
		]
	};
}

/** 好评率 over 30 days as a gauge from 95 % (below that the needle rests at the start). */
export function satisfactionOption(r: ReviewsPanel): ChartOption {
	const v = r.positiveRate;
	return {
		...motion,
		series: [
			{
				type: 'gauge',
				min: 95,
				max: 100,
				startAngle: 210,
				endAngle: -30,
				radius: '96%',
				center: ['50%', '58%'],
				progress: { show: true, width: 14, itemStyle: { color: v !== null && v >= 99 ? WALL.green : v !== null && v >= 97 ? WALL.amber : WALL.red } },
				axisLine: { lineStyle: { width: 14, color: [[1, 'rgba(120,160,210,0.25)']] } },
				axisTick: { show: false },
				splitLine: { show: false },
				axisLabel: { distance: -40, color: WALL.muted, fontSize: 13, formatter: (x: number) => (x === 95 || x === 100 ? `${x}` : '') },
				pointer: { show: false },
				anchor: { show: false },
				title: { show: true, offsetCenter: [0, '42%'], color: WALL.muted, fontSize: 14, fontFamily: WALL.font },
				detail: {
					valueAnimation: true,
					offsetCenter: [0, '2%'],
					fontSize: 30,
					fontWeight: 'bold',
					color: WALL.text,
					fontFamily: WALL.font,
					formatter: (x: number) => (v === null ? '—' : `${x.toFixed(x >= 99.995 ? 1 : 2)}%`)
				},
				data: [{ value: v === null ? 95 : Math.max(95, Math.min(100, v)), name: '近30天好评率' }]
			}
		]
	};
}

/** One economic series this year against last year, by the bureau's periods (1–2月 one point; 前三季度) when the figure names them. */
export function trendOption(ind: EconomyPanel['indicators'][number], compact = false): ChartOption {
	const labels = ind.trend.labels ?? ind.trend.thisYear.map((_, i) => (ind.frequency === 'quarter' ? `Q${i + 1}` : `${i + 1}月`));
	return {
		...motion,
		grid: compact ? { left: 52, right: 10, top: 30, bottom: 24 } : { left: 64, right: 16, top: 40, bottom: 30 },
		legend: { top: 0, right: 0, itemWidth: 22, itemHeight: 10, textStyle: { color: WALL.text, fontSize: 14, fontFamily: WALL.font }, data: ['今年', '去年'] },
		xAxis: {
			type: 'category',
			data: labels,
			axisLabel: { ...axisLabel, interval: compact ? 1 : 0 },
			axisTick: { show: false },
			axisLine: { lineStyle: { color: WALL.grid } }
		},
		yAxis: { type: 'value', axisLabel, splitLine, scale: true, splitNumber: compact ? 2 : 4 },
		series: [
			{
				name: '去年',
				type: 'line',
				data: ind.trend.lastYear,
				symbol: 'none',
				lineStyle: { color: WALL.lastYear, width: 2, type: 'dashed' },
				itemStyle: { color: WALL.lastYear }
			},
			{
				name: '今年',
				type: 'line',
				data: ind.trend.thisYear,
				symbolSize: 6,
				lineStyle: { color: WALL.accent, width: 3 },
				itemStyle: { color: WALL.accent },
				connectNulls: false
			}
		]
	};
}
