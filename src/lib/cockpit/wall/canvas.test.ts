import { describe, expect, it } from 'vitest';
import { fitCanvas } from './canvas.ts';

describe('fitting the 1920×1080 canvas to a display', () => {
	it('fills a 16:9 display exactly', () => {
		expect(fitCanvas({ w: 3840, h: 2160, dpr: 1 })).toEqual({ scale: 2, x: 0, y: 0, pixelRatio: 2 });
	});

	it('centres with side bands on a wider wall (7680×2160: scale 2, bands of 1920)', () => {
		expect(fitCanvas({ w: 7680, h: 2160, dpr: 1 })).toEqual({ scale: 2, x: 1920, y: 0, pixelRatio: 2 });
	});

	it('centres with bands above and below on a taller screen', () => {
		const f = fitCanvas({ w: 960, h: 1080, dpr: 2 });
		expect(f.scale).toBe(0.5);
		expect(f.x).toBe(0);
		expect(f.y).toBe(270);
		expect(f.pixelRatio).toBe(1);
	});

	it('caps the chart pixel ratio at 4', () => {
		expect(fitCanvas({ w: 7680, h: 4320, dpr: 2 }).pixelRatio).toBe(4);
	});
});
