/**
 * What a desk screen needs of a chart that the shared chart action does not do:
 * its clicks (cross-filtering) and its picture (PNG export). Both find the instance
 * the action made on the same node (echarts' getInstanceByDom), so ECharts still
 * has one owner.
 */
import { getInstanceByDom } from 'echarts/core';

export interface ChartClick {
	name: string;
	seriesName?: string;
	dataIndex: number;
	value: unknown;
	data: unknown;
}

/** `use:chartClicks={handler}` after `use:chart`: every click on a data item. */
export function chartClicks(node: HTMLElement, handler: (c: ChartClick) => void) {
	let current = handler;
	const listener = (p: unknown) => current(p as ChartClick);
	getInstanceByDom(node)?.on('click', listener);
	return {
		update(next: (c: ChartClick) => void) {
			current = next;
		},
		destroy() {
			getInstanceByDom(node)?.off('click', listener);
		}
	};
}

/** The chart as a PNG data URL on the page's background, twice the pixels for print. */
export function chartPng(node: HTMLElement, background: string): string | null {
	return getInstanceByDom(node)?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background }) ?? null;
}

/** Saves a data URL as a file (a temporary link). */
export function download(url: string, filename: string) {
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
}
