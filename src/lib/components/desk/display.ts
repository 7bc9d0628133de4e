/**
 * The desktop screens' display preferences (适老化): light or dark, large type (×1.5)
 * and high contrast, kept per browser in localStorage. Pure parsing here, so a
 * tampered or old stored value falls back to the defaults instead of breaking a page.
 */
import { CONTRAST_PALETTES, PALETTES, type Palette } from '$lib/design/tokens';

export interface DisplayPrefs {
	theme: 'light' | 'dark';
	largeType: boolean;
	highContrast: boolean;
}

export const DEFAULT_DISPLAY: DisplayPrefs = { theme: 'light', largeType: false, highContrast: false };
export const DISPLAY_KEY = 'tianshu.display';
/** The factor of the large-type mode (the root font size; desk components size in rem). */
export const LARGE_TYPE_SCALE = 1.5;

export function parseDisplay(text: string | null | undefined): DisplayPrefs {
	if (!text) return { ...DEFAULT_DISPLAY };
	try {
		const v = JSON.parse(text) as Partial<Record<keyof DisplayPrefs, unknown>>;
		return {
			theme: v.theme === 'dark' ? 'dark' : 'light',
			largeType: v.largeType === true,
			highContrast: v.highContrast === true
		};
	} catch {
		return { ...DEFAULT_DISPLAY };
	}
}

/** The palette a chart on a desk screen draws with: the theme's, or its high-contrast variant. */
export function deskPalette(p: Pick<DisplayPrefs, 'theme' | 'highContrast'>): Palette {
	return p.highContrast ? CONTRAST_PALETTES[p.theme] : PALETTES[p.theme];
}

/** Type size for charts, px: the base size times the large-type factor. */
export function chartFont(p: Pick<DisplayPrefs, 'largeType'>, base = 13): number {
	return Math.round(base * (p.largeType ? LARGE_TYPE_SCALE : 1));
}
