/**
 * The one owner of ECharts instances: a Svelte action that creates a chart on
 * mount, merges each new option in place (no clear, so nothing flickers or loses
 * its state), resizes with its box and disposes on destroy — so a wall that runs
 * for weeks never accumulates instances. Only the parts the screens use are
 * registered. The node gets `data-ready` once the chart has rendered data.
 */
import { BarChart, GaugeChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { BarSeriesOption, GaugeSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, MarkLineComponentOption } from 'echarts/components';
import { untrack } from 'svelte';

use([BarChart, GaugeChart, LineChart, PieChart, GridComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
	BarSeriesOption | GaugeSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption
>;

export interface ChartParams {
	option: ChartOption;
	/** Canvas pixels per CSS pixel: the wall's scale × the display's ratio, so a scaled canvas stays sharp. */
	pixelRatio?: number;
}

export function chart(node: HTMLElement, params: ChartParams) {
	let ratio = params.pixelRatio ?? window.devicePixelRatio;
	let instance = init(node, undefined, { renderer: 'canvas', devicePixelRatio: ratio });
	const ready = () => node.setAttribute('data-ready', 'true');
	const apply = (option: ChartOption) =>
		untrack(() => {
			instance.setOption(option, { lazyUpdate: true });
			instance.off('finished');
			instance.on('finished', ready);
		});
	let current = params.option;
	apply(current);
	const observer = new ResizeObserver(() => instance.resize());
	observer.observe(node);
	return {
		update(next: ChartParams) {
			const nextRatio = next.pixelRatio ?? window.devicePixelRatio;
			if (next.option === current && Math.abs(nextRatio - ratio) <= 0.01) return; // nothing new to draw
			current = next.option;
			if (Math.abs(nextRatio - ratio) > 0.01) {
				// The pixel ratio is fixed at init: a new scale needs a new instance (the old one is disposed).
				instance.dispose();
				ratio = nextRatio;
				instance = init(node, undefined, { renderer: 'canvas', devicePixelRatio: ratio });
			}
			apply(next.option);
		},
		destroy() {
			observer.disconnect();
			instance.dispose();
		}
	};
}
