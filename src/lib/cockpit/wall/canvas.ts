/**
 * The wall's fixed 1920×1080 canvas, scaled to fit any display (contain) and
 * centred, with ECharts drawing at the scaled resolution so a 4K wall is sharp.
 * Pure.
 */
export const CANVAS_W = 1920;
export const CANVAS_H = 1080;

export interface Viewport {
	w: number;
	h: number;
	dpr: number;
}

export interface Fit {
	scale: number;
	/** Offsets that centre the scaled canvas (side bands on wider or taller displays). */
	x: number;
	y: number;
	/** Chart pixel ratio: scale × device pixel ratio, at most 4 (memory). */
	pixelRatio: number;
}

export function fitCanvas(v: Viewport): Fit {
	const scale = Math.min(v.w / CANVAS_W, v.h / CANVAS_H);
	return { scale, x: (v.w - CANVAS_W * scale) / 2, y: (v.h - CANVAS_H * scale) / 2, pixelRatio: Math.min(4, scale * v.dpr) };
}
