/**
 * The workbench's ECharts options, built from the display palette (light/dark,
 * high contrast) and type size (large type): the series chart with last year's
 * line and flagged points, the breakdown bars and the map of the current level.
 * Registers the parts the shared chart action does not (map, visual map,
 * tooltip, mark points). Browser-only registration; the option builders are pure.
 */
import { MapChart } from 'echarts/charts';
import { MarkLineComponent, MarkPointComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { registerMap, use } from 'echarts/core';
import type { ChartOption } from '$lib/charts/echarts';
import { withAlpha, type Palette } from '$lib/design/tokens';

use([MapChart, MarkLineComponent, MarkPointComponent, TooltipComponent, VisualMapComponent]);

const registered = new Set<string>();
/** Registers a region's shapes once under its file name (china, province/440000, …). */
export function ensureMap(name: string, geo: unknown) {
	if (registered.has(name)) return;
	registerMap(name, geo as Parameters<typeof registerMap>[1]);
	registered.add(name);
}

export interface Line {
	name: string;
	values: Array<number | null>;
	/** Last year's values, bucket by bucket (dashed, in the comparison colour). */
	lastYear?: Array<number | null>;
	/** Flagged buckets and the reason of each (shown in the tooltip: the pin alone would be colour and shape). */
	flagged?: Array<{ index: number; text: string }>;
	/** An annual target of a level (a rate, a duration): a dotted line with its words. */
	target?: { value: number; label: string };
}

const escapeHtml = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const tooltipNumber = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? (Math.round(v * 10) / 10).toLocaleString('zh-CN') : '—');

const axisText = (p: Palette, font: number) => ({ color: p.muted, fontSize: font });

export function seriesOption(p: Palette, font: number, buckets: string[], lines: Line[], unit: string, rest: boolean[] = []): ChartOption {
	const palette = [p.accent, p.series2, p.highlight, p.good];
	const series: unknown[] = [];
	const targets = lines.flatMap((l) => (l.target ? [l.target.value] : []));
	lines.forEach((l, i) => {
		series.push({
			type: 'line',
			name: l.name,
			data: l.values,
			symbol: 'circle',
			symbolSize: Math.round(font * 0.5),
			lineStyle: { width: 2, color: palette[i % palette.length] },
			itemStyle: { color: palette[i % palette.length] },
			markPoint: l.flagged?.length
				? {
						symbol: 'pin',
						symbolSize: font * 3,
						itemStyle: { color: p.bad },
						label: { formatter: '异常', color: p.onAccent, fontSize: Math.round(font * 0.8) },
						data: l.flagged.map((f) => ({ coord: [f.index, l.values[f.index]], name: '异常' }))
					}
				: undefined,
			markLine: l.target
				? {
						silent: true,
						symbol: 'none',
						lineStyle: { type: 'dotted', width: 2, color: p.highlight },
						label: { formatter: l.target.label, position: 'insideEndBottom', color: p.text, fontSize: Math.round(font * 0.85) },
						data: [{ yAxis: l.target.value }]
					}
				: undefined
		});
		if (l.lastYear)
			series.push({
				type: 'line',
				name: `${l.name}（去年同期）`,
				data: l.lastYear,
				symbol: 'triangle',
				symbolSize: Math.round(font * 0.45),
				lineStyle: { width: 1.5, type: 'dashed', color: p.comparison },
				itemStyle: { color: p.comparison }
			});
	});
	return {
		backgroundColor: 'transparent',
		textStyle: { fontSize: font, color: p.text },
		grid: { left: font * 4.5, right: font * 1.5, top: font * 3, bottom: font * 3.5 },
		legend: { top: 0, textStyle: { color: p.text, fontSize: font }, itemWidth: font * 2 },
		tooltip: {
			trigger: 'axis',
			textStyle: { fontSize: font },
			// The values of the bucket, then each flag's reason in words.
			formatter: (params: unknown) => {
				const ps = (Array.isArray(params) ? params : [params]) as Array<{ dataIndex: number; marker: string; seriesName: string; value: unknown }>;
				const i = ps[0]?.dataIndex ?? -1;
				const notes = lines.flatMap((l) => (l.flagged ?? []).filter((f) => f.index === i).map((f) => `⚑ 异常：${escapeHtml(f.text)}`));
				return [escapeHtml(buckets[i] ?? ''), ...ps.map((x) => `${x.marker}${escapeHtml(x.seriesName)}：${tooltipNumber(x.value)}`), ...notes].join('<br/>');
			}
		},
		xAxis: {
			type: 'category',
			data: buckets,
			axisLabel: {
				...axisText(p, font),
				// Rest days (weekends and official holidays) carry 休: not by colour alone.
				formatter: (v: string, i: number) => (rest[i] ? `${v.slice(5)}\n休` : v.length > 7 ? v.slice(5) : v)
			},
			axisLine: { lineStyle: { color: p.line } }
		},
		yAxis: {
			type: 'value',
			name: unit,
			nameTextStyle: { color: p.muted, fontSize: font },
			scale: true,
			// A target line stays on the chart even when the values are far from it (the ends on multiples of 5: no crowded labels).
			...(targets.length
				? {
						min: (e: { min: number }) => Math.floor(Math.min(e.min, ...targets) / 5) * 5,
						max: (e: { max: number }) => Math.ceil(Math.max(e.max, ...targets) / 5) * 5
					}
				: {}),
			axisLabel: axisText(p, font),
			splitLine: { lineStyle: { color: p.grid } }
		},
		series
	} as ChartOption;
}

export interface Bar {
	key: string;
	label: string;
	value: number | null;
	/** The focus (the region being looked at among its siblings). */
	focus?: boolean;
}

export function barsOption(p: Palette, font: number, bars: Bar[], unit: string): ChartOption {
	const shown = bars.slice(0, 15);
	return {
		backgroundColor: 'transparent',
		textStyle: { fontSize: font, color: p.text },
		grid: { left: font * 8, right: font * 4, top: font, bottom: font },
		tooltip: { trigger: 'item', textStyle: { fontSize: font } },
		xAxis: { type: 'value', name: unit, scale: unit === '%', axisLabel: axisText(p, font), splitLine: { lineStyle: { color: p.grid } } },
		yAxis: {
			type: 'category',
			inverse: true,
			data: shown.map((b) => b.label),
			axisLabel: { ...axisText(p, font), width: font * 7, overflow: 'truncate' }
		},
		series: [
			{
				type: 'bar',
				data: shown.map((b) => ({ value: b.value, name: b.key, itemStyle: { color: b.focus ? p.highlight : p.accent } })),
				label: {
					show: true,
					position: 'right',
					color: p.text,
					fontSize: Math.round(font * 0.9),
					formatter: (x: { value: number }) => (x.value === null ? '' : String(Math.round(x.value * 10) / 10))
				}
			}
		]
	} as ChartOption;
}

export function mapOption(
	p: Palette,
	font: number,
	name: string,
	regions: Array<{ name: string; adcode: number; value: number | null }>,
	polarity: 'positive' | 'negative',
	unit: string
): ChartOption {
	const vals = regions.map((r) => r.value).filter((v): v is number => v !== null);
	const min = vals.length ? Math.min(...vals) : 0;
	const max = vals.length ? Math.max(...vals) : 1;
	return {
		backgroundColor: 'transparent',
		tooltip: { trigger: 'item', textStyle: { fontSize: font } },
		visualMap: {
			min,
			max: max === min ? min + 1 : max,
			left: 0,
			bottom: 0,
			calculable: false,
			text: [polarity === 'positive' ? `高（好）${unit}` : `高（差）${unit}`, '低'],
			textStyle: { color: p.text, fontSize: font },
			// The low end is a tint, not the no-data grey: a region with the lowest value still reads as having data.
			inRange: { color: polarity === 'positive' ? [withAlpha(p.accent, 0.25), p.accent] : [withAlpha(p.bad, 0.25), p.bad] }
		},
		series: [
			{
				type: 'map',
				map: name,
				roam: false,
				// The map fills its panel right of the legend.
				left: '18%',
				right: 8,
				top: 8,
				bottom: 8,
				nameProperty: 'name',
				label: { show: true, color: p.text, fontSize: Math.round(font * 0.8) },
				itemStyle: { borderColor: p.line, areaColor: p.surfaceRaised },
				emphasis: { label: { color: p.textStrong }, itemStyle: { areaColor: p.highlight } },
				select: { disabled: true },
				data: regions.map((r) => ({ name: r.name, value: r.value, adcode: r.adcode }))
			}
		]
	} as ChartOption;
}
