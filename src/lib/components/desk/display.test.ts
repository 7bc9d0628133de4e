import { describe, expect, it } from 'vitest';
import { chartFont, deskPalette, parseDisplay } from './display.ts';

describe('display preferences', () => {
	it('read what was stored and fall back to light, normal type, normal contrast on anything else', () => {
		expect(parseDisplay('{"theme":"dark","largeType":true,"highContrast":true}')).toEqual({ theme: 'dark', largeType: true, highContrast: true });
		for (const junk of [null, '', 'not json', '[]', '{"theme":"wall","largeType":"yes","highContrast":1}'])
			expect(parseDisplay(junk), String(junk)).toEqual({ theme: 'light', largeType: false, highContrast: false });
	});

	it('draw charts in the high-contrast palette and at 1.5 times the type when asked', () => {
		expect(deskPalette({ theme: 'light', highContrast: true }).text).toBe('#000000');
		expect(deskPalette({ theme: 'dark', highContrast: true }).bg).toBe('#000000');
		expect(deskPalette({ theme: 'light', highContrast: false }).bg).toBe('#f4f6fa');
		expect(chartFont({ largeType: true }, 14)).toBe(21);
		expect(chartFont({ largeType: false }, 14)).toBe(14);
	});
});
