/** The map's colour scale. Pure. */

// A calm sequential blue (low → high), readable on the dark wall.
const RAMP: Array<[number, number, number]> = [
	[22, 52, 96],
	[28, 82, 140],
	[38, 116, 180],
	[64, 152, 210],
	[110, 190, 235],
	[170, 222, 250]
];
export const NO_DATA: [number, number, number, number] = [40, 52, 70, 255];

export function colourOf(value: number | null, min: number, max: number): [number, number, number, number] {
	if (value === null || !Number.isFinite(value)) return NO_DATA;
	const t = max > min ? (value - min) / (max - min) : 0.5;
	const c = RAMP[Math.min(RAMP.length - 1, Math.max(0, Math.floor(t * RAMP.length)))]!;
	return [c[0], c[1], c[2], 255];
}

/** [min, max] of the values shown (null when none). */
export function extent(values: Array<number | null>): [number, number] | null {
	const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
	return v.length ? [Math.min(...v), Math.max(...v)] : null;
}
