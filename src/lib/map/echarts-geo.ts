/**
 * Decodes ECharts 4's compressed map JSON (`UTF8Encoding: true`) into plain
 * GeoJSON. Each ring is a string of character pairs: zigzag-encoded deltas
 * offset by 64, starting from the ring's `encodeOffsets`, scaled by 1024.
 * Pure; used once by the reference import, and tested.
 */

export interface EncodedGeometry {
	type: 'Polygon' | 'MultiPolygon';
	coordinates: unknown;
	encodeOffsets: unknown;
}

export type Position = [number, number];
export interface Geometry {
	type: 'Polygon' | 'MultiPolygon';
	coordinates: Position[][] | Position[][][];
}

export function decodeRing(encoded: string, offset: [number, number], scale = 1024, digits = 4): Position[] {
	const ring: Position[] = [];
	let prevX = offset[0];
	let prevY = offset[1];
	const factor = 10 ** digits;
	for (let i = 0; i + 1 < encoded.length; i += 2) {
		let x = encoded.charCodeAt(i) - 64;
		let y = encoded.charCodeAt(i + 1) - 64;
		x = (x >> 1) ^ -(x & 1);
		y = (y >> 1) ^ -(y & 1);
		x += prevX;
		y += prevY;
		prevX = x;
		prevY = y;
		ring.push([Math.round((x / scale) * factor) / factor, Math.round((y / scale) * factor) / factor]);
	}
	return ring;
}

export function decodeGeometry(g: EncodedGeometry, scale = 1024): Geometry {
	if (g.type === 'Polygon') {
		const rings = g.coordinates as string[];
		const offsets = g.encodeOffsets as [number, number][];
		return { type: 'Polygon', coordinates: rings.map((r, i) => closeRing(decodeRing(r, offsets[i]!, scale))) };
	}
	const polys = g.coordinates as string[][];
	const offsets = g.encodeOffsets as [number, number][][];
	return {
		type: 'MultiPolygon',
		coordinates: polys.map((rings, i) => rings.map((r, j) => closeRing(decodeRing(r, offsets[i]![j]!, scale))))
	};
}

/** GeoJSON rings end where they start. */
function closeRing(ring: Position[]): Position[] {
	const first = ring[0];
	const last = ring.at(-1);
	if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0], first[1]]);
	return ring;
}
