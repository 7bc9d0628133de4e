/**
 * The workbench's chart options, pure (tested): the map coloured by grade, the
 * radar of a unit against the leader and the median, the "how sure is fifth"
 * rank intervals and the weights' sensitivity. Colours come from the desk
 * palette; every colour has a text next to it (a rank on the map, the grade in
 * the legend and tooltip, numbers on the bars).
 */
import { MapChart, RadarChart, ScatterChart } from 'echarts/charts';
import { RadarComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import type { GradeBand } from '$lib/indices/methodology';
import type { Palette } from '$lib/design/tokens';
import type { ChartOption } from '$lib/charts/echarts';

use([MapChart, RadarChart, ScatterChart, RadarComponent, TooltipComponent]);

/** Grade bands from the best down get good → accent → warn → bad. */
export function gradeColours(grades: GradeBand[], p: Palette): Record<string, string> {
	const ramp = [p.good, p.accent, p.warn, p.bad, p.comparison];
	return Object.fromEntries(grades.map((g, i) => [g.id, ramp[Math.min(i, ramp.length - 1)]!]));
}

export interface MapUnit {
	name: string;
	rank: number | null;
	grade: GradeBand | null;
	score: string;
}

export function gradeMapOption(mapName: string, units: MapUnit[], grades: GradeBand[], p: Palette, font: number): ChartOption {
	const colours = gradeColours(grades, p);
	return {
		tooltip: { trigger: 'item', formatter: '{b}' },
		series: [
			{
				type: 'map',
				map: mapName,
				roam: false,
				selectedMode: false,
				label: { show: true, fontSize: font - 2, color: p.textStrong, formatter: (x: { name: string }) => rankLabel(units, x.name) },
				emphasis: { label: { show: true }, itemStyle: { areaColor: p.highlight } },
				itemStyle: { areaColor: p.surfaceRaised, borderColor: p.surface, borderWidth: 1 },
				data: units.map((u) => ({
					name: u.name,
					value: u.rank ?? undefined,
					itemStyle: { areaColor: u.grade ? colours[u.grade.id] : p.surfaceRaised },
					tooltip: { formatter: `${u.name}：第 ${u.rank ?? '—'} 名 · ${u.score} 分 · ${u.grade?.label ?? '无等级'}` }
				}))
			}
		]
	} as unknown as ChartOption;
}

function rankLabel(units: MapUnit[], name: string): string {
	const r = units.find((u) => u.name === name)?.rank;
	return r ? String(r) : '';
}

export interface RadarSeries {
	name: string;
	values: Array<number | null>;
}

export function radarOption(dimensions: Array<{ name: string; max: number }>, series: RadarSeries[], p: Palette, font: number): ChartOption {
	const colours = [p.accent, p.good, p.comparison];
	return {
		legend: { bottom: 0, textStyle: { color: p.text, fontSize: font }, data: series.map((s) => s.name) },
		tooltip: { trigger: 'item' },
		radar: {
			indicator: dimensions,
			radius: '62%',
			center: ['50%', '46%'],
			axisName: { color: p.muted, fontSize: font },
			splitLine: { lineStyle: { color: p.grid } },
			splitArea: { show: false },
			axisLine: { lineStyle: { color: p.grid } }
		},
		series: [
			{
				type: 'radar',
				symbolSize: 5,
				data: series.map((s, i) => ({
					name: s.name,
					value: s.values.map((v) => v ?? 0),
					lineStyle: { color: colours[i], width: i === 0 ? 3 : 2, type: i === 2 ? 'dashed' : 'solid' },
					itemStyle: { color: colours[i] },
					areaStyle: i === 0 ? { color: colours[i], opacity: 0.12 } : undefined
				}))
			}
		]
	} as unknown as ChartOption;
}

export interface IntervalRow {
	unit: string;
	nominal: number | null;
	median: number | null;
	low: number;
	high: number;
}

/** Each unit's 5th–95th rank interval as a bar (±0.4 round each rank, so a sure rank still shows), its median as a diamond, best rank at the top. */
export function intervalOption(rows: IntervalRow[], unitCount: number, p: Palette, font: number): ChartOption {
	const names = rows.map((r) => r.unit);
	return {
		grid: { left: 150, right: 40, top: 28, bottom: 36 },
		tooltip: {
			trigger: 'item',
			formatter: (x: { dataIndex: number }) => {
				const r = rows[x.dataIndex]!;
				return `${r.unit}：名义第 ${r.nominal ?? '—'} 名，中位第 ${r.median ?? '—'} 名，90% 区间 ${r.low}–${r.high}`;
			}
		},
		xAxis: {
			type: 'value',
			min: 0,
			max: unitCount + 1,
			minInterval: 1,
			name: '名次',
			nameLocation: 'middle',
			nameGap: 24,
			axisLabel: { color: p.muted, fontSize: font, formatter: (v: number) => (v >= 1 && v <= unitCount ? String(v) : '') },
			nameTextStyle: { color: p.muted, fontSize: font },
			splitLine: { lineStyle: { color: p.grid } }
		},
		yAxis: { type: 'category', data: names, inverse: true, axisLabel: { color: p.text, fontSize: font, interval: 0 } },
		series: [
			{ type: 'bar', stack: 'iv', silent: true, itemStyle: { color: 'transparent' }, data: rows.map((r) => r.low - 0.4), tooltip: { show: false } },
			{
				type: 'bar',
				stack: 'iv',
				name: '90% 区间',
				barWidth: '55%',
				itemStyle: { color: p.accentSoft, opacity: 0.55 },
				data: rows.map((r) => r.high - r.low + 0.8),
				label: {
					show: true,
					position: 'right',
					color: p.text,
					fontSize: font - 1,
					formatter: (x: { dataIndex: number }) => `${rows[x.dataIndex]!.low}–${rows[x.dataIndex]!.high}`
				}
			},
			{
				type: 'scatter',
				name: '中位名次',
				symbol: 'diamond',
				symbolSize: 10,
				itemStyle: { color: p.accentDeep },
				data: rows.map((r, i) => [r.median, i])
			}
		]
	} as unknown as ChartOption;
}

export function sensitivityOption(rows: Array<{ name: string; value: number }>, p: Palette, font: number): ChartOption {
	return {
		grid: { left: 160, right: 60, top: 12, bottom: 28 },
		xAxis: {
			type: 'value',
			max: 1,
			axisLabel: { color: p.muted, fontSize: font, formatter: (v: number) => `${Math.round(v * 100)}%` },
			splitLine: { lineStyle: { color: p.grid } }
		},
		yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true, axisLabel: { color: p.text, fontSize: font, interval: 0 } },
		series: [
			{
				type: 'bar',
				barWidth: '60%',
				itemStyle: { color: p.series2 },
				data: rows.map((r) => r.value),
				label: { show: true, position: 'right', color: p.text, fontSize: font - 1, formatter: (x: { value: number }) => `${(x.value * 100).toFixed(0)}%` }
			}
		]
	} as unknown as ChartOption;
}

export function barOption(rows: Array<{ name: string; value: number; colour: string; label: string }>, p: Palette, font: number): ChartOption {
	return {
		grid: { left: 210, right: 90, top: 8, bottom: 24 },
		xAxis: { type: 'value', axisLabel: { color: p.muted, fontSize: font }, splitLine: { lineStyle: { color: p.grid } } },
		yAxis: {
			type: 'category',
			data: rows.map((r) => r.name),
			inverse: true,
			axisLabel: { color: p.text, fontSize: font, interval: 0, width: 200, overflow: 'truncate' }
		},
		series: [
			{
				type: 'bar',
				barWidth: '62%',
				data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.colour } })),
				label: { show: true, position: 'right', color: p.text, fontSize: font - 1, formatter: (x: { dataIndex: number }) => rows[x.dataIndex]!.label }
			}
		]
	} as unknown as ChartOption;
}
