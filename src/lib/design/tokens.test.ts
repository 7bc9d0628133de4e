import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTRAST_PALETTES, cssVariable, PALETTES, withAlpha, type Palette, type ThemeName } from './tokens.ts';

/** The variables each theme's block of src/app.css declares. */
function cssThemes(): Record<ThemeName, Record<string, string>> {
	const css = readFileSync(new URL('../../app.css', import.meta.url), 'utf8');
	const block = (selector: string) => {
		const start = css.indexOf(selector);
		expect(start, `app.css has a block for ${selector}`).toBeGreaterThanOrEqual(0);
		const body = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
		return Object.fromEntries([...body.matchAll(/(--[a-z0-9-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
	};
	return { dark: block("[data-theme='dark']"), light: block("[data-theme='light']"), wall: block("[data-theme='wall']") };
}

/** The high-contrast blocks (after the themes in app.css). */
function cssContrast(): Record<'light' | 'dark', Record<string, string>> {
	const css = readFileSync(new URL('../../app.css', import.meta.url), 'utf8');
	const block = (selector: string) => {
		const start = css.indexOf(selector);
		expect(start, `app.css has a block for ${selector}`).toBeGreaterThanOrEqual(0);
		const body = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
		return Object.fromEntries([...body.matchAll(/(--[a-z0-9-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
	};
	return { light: block(":root[data-contrast='high'] [data-theme='light']"), dark: block(":root[data-contrast='high'] [data-theme='dark']") };
}

describe('design tokens', () => {
	it('are the same in app.css and tokens.ts, theme by theme, and no theme misses a colour', () => {
		const css = cssThemes();
		for (const theme of Object.keys(PALETTES) as ThemeName[]) {
			const expected = Object.fromEntries(Object.entries(PALETTES[theme]).map(([k, v]) => [cssVariable(k as keyof Palette), v]));
			expect(css[theme], theme).toEqual(expected);
		}
	});

	it('have a high-contrast variant of each desktop theme, the same in app.css and tokens.ts', () => {
		const css = cssContrast();
		for (const theme of ['light', 'dark'] as const) {
			const expected = Object.fromEntries(Object.entries(CONTRAST_PALETTES[theme]).map(([k, v]) => [cssVariable(k as keyof Palette), v]));
			expect(css[theme], theme).toEqual(expected);
			// Body text is pure black on white or white on black: the contrast the mode promises.
			expect([CONTRAST_PALETTES[theme].text, CONTRAST_PALETTES[theme].bg].sort()).toEqual(['#000000', '#ffffff']);
		}
	});

	it('name CSS variables in kebab case', () => {
		expect(cssVariable('textStrong')).toBe('--text-strong');
		expect(cssVariable('series2')).toBe('--series2');
	});

	it('turn a colour and an opacity into rgba', () => {
		expect(withAlpha('#4cc3ff', 0.15)).toBe('rgba(76, 195, 255, 0.15)');
		expect(() => withAlpha('red', 0.5)).toThrow();
	});
});
