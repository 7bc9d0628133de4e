/** ECharts' own 南海诸岛 inset for maps named 'china' (an internal module of echarts 6; see region-map.ts). */
declare module 'echarts/lib/coord/geo/fix/nanhai.js' {
	export default function fixNanhai(mapType: string, regions: unknown[]): void;
}
