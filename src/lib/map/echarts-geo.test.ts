import { describe, expect, it } from 'vitest';
import { decodeGeometry, decodeRing } from './echarts-geo.ts';

/** The inverse of decodeRing, to build known inputs. */
function encodeRing(points: [number, number][], scale = 1024): { encoded: string; offset: [number, number] } {
	const q = points.map(([x, y]) => [Math.round(x * scale), Math.round(y * scale)] as const);
	const offset: [number, number] = [q[0]![0], q[0]![1]];
	let prev = offset;
	let encoded = '';
	for (const [x, y] of q) {
		const dx = x - prev[0];
		const dy = y - prev[1];
		const zz = (v: number) => ((v << 1) ^ (v >> 31)) + 64;
		encoded += String.fromCharCode(zz(dx), zz(dy));
		prev = [x, y];
	}
	return { encoded, offset };
}

describe('ECharts map decoding', () => {
	const square: [number, number][] = [
		[113.25, 23.125],
		[113.5, 23.125],
		[113.5, 23.375],
		[113.25, 23.375],
		[113.25, 23.125]
	];

	it('decodes a ring back to its coordinates', () => {
		const { encoded, offset } = encodeRing(square);
		expect(decodeRing(encoded, offset)).toEqual(square);
	});

	it('decodes polygons and multipolygons and closes open rings', () => {
		const open = square.slice(0, 4);
		const { encoded, offset } = encodeRing(open);
		const poly = decodeGeometry({ type: 'Polygon', coordinates: [encoded], encodeOffsets: [offset] });
		expect(poly.coordinates).toEqual([square]);
		const multi = decodeGeometry({ type: 'MultiPolygon', coordinates: [[encoded], [encoded]], encodeOffsets: [[offset], [offset]] });
		expect(multi.coordinates).toEqual([[square], [square]]);
	});
});
