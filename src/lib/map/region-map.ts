/**
 * The cockpit's map, on deck.gl: the sub-regions of the selected region filled
 * by an indicator, their names, and a hexagon layer of where cases and tickets
 * arrive now. One Deck per map, created once and updated with setProps — layers
 * are replaced by id, so a refresh never resets the view — and finalized on
 * destroy. The national map carries the 南海诸岛 inset glyph ECharts draws for its
 * own 'china' map (taken from ECharts itself, not redrawn here).
 */
import { Deck, MapView, WebMercatorViewport, type PickingInfo } from '@deck.gl/core';
import { GeoJsonLayer, PolygonLayer, TextLayer } from '@deck.gl/layers';
import { HexagonLayer } from '@deck.gl/aggregation-layers';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { colourOf, extent } from './scale.ts';

export { colourOf, extent };

export interface RegionValue {
	adcode: number;
	name: string;
	value: number | null;
}

export interface LivePoint {
	position: [number, number];
	weight: number;
}

export interface MapState {
	geo: FeatureCollection<Geometry, { adcode: number | null; name: string; cp?: [number, number] }>;
	/** The region being shown (highlighted when it is a county on its city's map). */
	focus: number;
	national: boolean;
	regions: RegionValue[];
	live: LivePoint[];
	/** Polarity of the indicator: for 'negative', high values are coloured as bad. */
	polarity: 'positive' | 'negative';
	/** Hexagon radius in metres. */
	hexRadius: number;
	onSelect?: (adcode: number) => void;
}

function bounds(geo: MapState['geo']): [[number, number], [number, number]] {
	let [minX, minY, maxX, maxY] = [180, 90, -180, -90];
	const visit = (c: unknown): void => {
		if (typeof (c as number[])[0] === 'number') {
			const [x, y] = c as [number, number];
			if (x < minX) minX = x;
			if (x > maxX) maxX = x;
			if (y < minY) minY = y;
			if (y > maxY) maxY = y;
		} else for (const k of c as unknown[]) visit(k);
	};
	for (const f of geo.features) visit((f.geometry as { coordinates: unknown }).coordinates);
	return [
		[minX, minY],
		[maxX, maxY]
	];
}

/** The 南海诸岛 inset as ECharts places it on a 'china' map: asked of ECharts' own fix. */
async function nanhaiInset(): Promise<Array<Array<[number, number]>>> {
	const { default: fixNanhai } = await import('echarts/lib/coord/geo/fix/nanhai.js');
	const regions: Array<{ geometries: Array<{ exterior: Array<[number, number]> }> }> = [];
	fixNanhai('china', regions as never);
	return regions[0]?.geometries.map((g) => g.exterior) ?? [];
}

export class RegionMap {
	private deck: Deck<MapView>;
	private state: MapState;
	private fittedFor: MapState['geo'] | undefined;
	private inset: Array<Array<[number, number]>> = [];
	private ready = false;

	constructor(
		private readonly node: HTMLDivElement,
		state: MapState,
		private readonly scale: () => number
	) {
		this.state = state;
		this.deck = new Deck({
			parent: node,
			views: new MapView({ id: 'main', repeat: false }),
			initialViewState: { longitude: 105, latitude: 35, zoom: 3 },
			controller: false,
			useDevicePixels: Math.min(4, window.devicePixelRatio * scale()),
			// The wall is scaled with a CSS transform: picking is done here from unscaled coordinates.
			onAfterRender: () => {
				if (!this.ready && this.fittedFor) {
					this.ready = true;
					node.setAttribute('data-ready', 'true');
				}
			}
		});
		node.addEventListener('click', this.onClick);
		if (state.national) void nanhaiInset().then((inset) => ((this.inset = inset), this.render()));
		this.render();
	}

	private onClick = (event: MouseEvent) => {
		const rect = this.node.getBoundingClientRect();
		const s = this.scale();
		const info = this.deck.pickObject({ x: (event.clientX - rect.left) / s, y: (event.clientY - rect.top) / s, layerIds: ['regions'] }) as PickingInfo<
			Feature<Geometry, { adcode: number | null }>
		> | null;
		const adcode = info?.object?.properties.adcode;
		if (adcode && adcode !== this.state.focus) this.state.onSelect?.(adcode);
	};

	update(state: MapState): void {
		if (state.national && !this.state.national && !this.inset.length) void nanhaiInset().then((inset) => ((this.inset = inset), this.render()));
		this.state = state;
		this.render();
	}

	private render(): void {
		const { geo, regions, live, polarity, focus } = this.state;
		const width = this.node.clientWidth;
		const height = this.node.clientHeight;
		if (this.fittedFor !== geo && width > 0 && height > 0 && geo.features.length) {
			const vp = new WebMercatorViewport({ width, height }).fitBounds(bounds(geo), { padding: Math.round(Math.min(width, height) * 0.06) });
			this.deck.setProps({ initialViewState: { longitude: vp.longitude, latitude: vp.latitude, zoom: vp.zoom } });
			this.fittedFor = geo;
			this.ready = false;
			this.node.removeAttribute('data-ready');
		}
		const values = new Map(regions.map((r) => [r.adcode, r.value]));
		const range = extent(regions.map((r) => r.value)) ?? [0, 1];
		const fill = (adcode: number | null) => {
			const v = adcode === null ? null : (values.get(adcode) ?? null);
			// Bad is dark: for a negative indicator the ramp is reversed.
			return colourOf(v === null ? null : polarity === 'negative' ? range[0] + range[1] - v : v, range[0], range[1]);
		};
		const labelled = geo.features.filter((f) => f.properties.adcode !== null);
		const layers = [
			new GeoJsonLayer({
				id: 'regions',
				data: geo,
				pickable: true,
				stroked: true,
				filled: true,
				getFillColor: (f: Feature<Geometry, { adcode: number | null }>) => fill(f.properties.adcode),
				getLineColor: (f: Feature<Geometry, { adcode: number | null }>) => (f.properties.adcode === focus ? [255, 196, 61, 255] : [150, 190, 230, 200]),
				getLineWidth: (f: Feature<Geometry, { adcode: number | null }>) => (f.properties.adcode === focus ? 3 : 1),
				lineWidthUnits: 'pixels',
				updateTriggers: { getFillColor: [regions, polarity], getLineColor: [focus], getLineWidth: [focus] }
			}),
			new PolygonLayer({
				id: 'nanhai',
				data: this.state.national ? this.inset : [],
				getPolygon: (p: Array<[number, number]>) => p,
				getFillColor: [150, 190, 230, 160],
				getLineColor: [150, 190, 230, 220],
				lineWidthMinPixels: 1,
				stroked: true
			}),
			new HexagonLayer<LivePoint>({
				id: 'live',
				data: live,
				getPosition: (p) => p.position,
				getColorWeight: (p) => p.weight,
				colorAggregation: 'SUM',
				getElevationWeight: (p) => p.weight,
				extruded: false,
				radius: this.state.hexRadius,
				coverage: 0.85,
				opacity: 0.85,
				gpuAggregation: false,
				// Activity, not alarm: one warm hue from pale to deep amber (red is kept for status).
				colorRange: [
					[255, 240, 190],
					[255, 224, 150],
					[255, 205, 110],
					[250, 180, 70],
					[240, 150, 40],
					[225, 120, 20]
				],
				updateTriggers: { getColorWeight: [live], getElevationWeight: [live] }
			}),
			new TextLayer<Feature<Geometry, { adcode: number | null; name: string; cp?: [number, number] }>>({
				id: 'names',
				data: labelled,
				getPosition: (f) => f.properties.cp ?? labelPoint(f),
				getText: (f) => f.properties.name,
				getSize: labelled.length > 25 ? 13 : 15,
				getColor: [235, 242, 250, 255],
				fontFamily: '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif',
				characterSet: 'auto',
				outlineWidth: 3,
				outlineColor: [6, 18, 36, 255],
				fontSettings: { sdf: true },
				getTextAnchor: 'middle',
				getAlignmentBaseline: 'center'
			})
		];
		this.deck.setProps({ layers, width: '100%', height: '100%' });
	}

	destroy(): void {
		this.node.removeEventListener('click', this.onClick);
		this.deck.finalize();
	}
}

function labelPoint(f: Feature<Geometry>): [number, number] {
	const [[minX, minY], [maxX, maxY]] = bounds({ type: 'FeatureCollection', features: [f] } as MapState['geo']);
	return [(minX + maxX) / 2, (minY + maxY) / 2];
}
