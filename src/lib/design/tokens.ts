/**
 * The design tokens: every colour, type size and spacing step of Tianshu's
 * screens, in one place. `src/app.css` declares them as CSS variables (a test
 * keeps the two equal) and the ECharts themes are derived from them, so a
 * component, a stylesheet and a chart never disagree about a colour.
 *
 * Themes: `wall` (the dark 1920×1080 cockpit), `light` (desktop screens, the
 * default) and `dark` (desktop, on request). Pure; runs anywhere.
 */

export type ThemeName = 'wall' | 'light' | 'dark';

export interface Palette {
	/** Page behind everything. */
	bg: string;
	/** Cards and panels. */
	surface: string;
	/** A raised or covering surface (overlays, badges). */
	surfaceRaised: string;
	/** The wall canvas's background gradient, top to bottom (desktop screens: the page's). */
	canvasTop: string;
	canvasBottom: string;
	line: string;
	/** Body text; `textStrong` for figures and titles; `muted` for labels; `soft` for secondary lines. */
	text: string;
	textStrong: string;
	muted: string;
	soft: string;
	accent: string;
	/** The accent as a light tint (highlights, region names in the header). */
	accentSoft: string;
	/** The accent, deep (rules under headers, rank badges). */
	accentDeep: string;
	/** Text on an accent or warning fill. */
	onAccent: string;
	/** Good news / bad news for changes, by the indicator's polarity. */
	good: string;
	bad: string;
	/** Fills that alarm (a gauge below its threshold); `bad` is the lighter one, legible as text. */
	alarm: string;
	/** Attention, not alarm (targets behind schedule, data that stopped coming). */
	warn: string;
	/** Last year's line and other comparison series. */
	comparison: string;
	/** Bars and the second series of a chart. */
	series2: string;
	/** A connection that is down. */
	inactive: string;
	/** A highlighted unit (a county among its siblings). */
	highlight: string;
	/** Live activity on maps (cases in the last minutes). */
	live: string;
	/** Chart grid lines (translucent). */
	grid: string;
}

export const PALETTES: Record<ThemeName, Palette> = {
	wall: {
		bg: '#050d1a',
		surface: '#0f2444',
		surfaceRaised: '#0b1c36',
		canvasTop: '#0e2547',
		canvasBottom: '#081529',
		line: '#1f3a63',
		text: '#e8eef8',
		textStrong: '#ffffff',
		muted: '#b4c6e0',
		soft: '#cfdcf0',
		accent: '#4cc3ff',
		accentSoft: '#8fd3ff',
		accentDeep: '#1c6fb0',
		onAccent: '#0a1628',
		good: '#3ecf8e',
		bad: '#ff8a7a',
		alarm: '#ff6b6b',
		warn: '#f5b944',
		comparison: '#8a9bb8',
		series2: '#5aa9e6',
		inactive: '#7d8ba3',
		highlight: '#ffc43d',
		live: '#fd8d3c',
		grid: 'rgba(120, 160, 210, 0.22)'
	},
	light: {
		bg: '#f4f6fa',
		surface: '#ffffff',
		surfaceRaised: '#eef2f8',
		canvasTop: '#f4f6fa',
		canvasBottom: '#f4f6fa',
		line: '#d5dde9',
		text: '#1d2733',
		textStrong: '#0b1320',
		muted: '#4a5a70',
		soft: '#33425a',
		accent: '#0b63c5',
		accentSoft: '#2f80d8',
		accentDeep: '#084a94',
		onAccent: '#ffffff',
		good: '#0f7b45',
		bad: '#c4281c',
		alarm: '#d93025',
		warn: '#9a5b00',
		comparison: '#6b7a90',
		series2: '#3a7bd5',
		inactive: '#8a94a6',
		highlight: '#b36b00',
		live: '#e8590c',
		grid: 'rgba(40, 60, 90, 0.12)'
	},
	dark: {
		bg: '#0a1628',
		surface: '#10213d',
		surfaceRaised: '#16294a',
		canvasTop: '#0a1628',
		canvasBottom: '#0a1628',
		line: '#1f3a63',
		text: '#e8eef8',
		textStrong: '#ffffff',
		muted: '#a9bbd6',
		soft: '#cfdcf0',
		accent: '#4cc3ff',
		accentSoft: '#8fd3ff',
		accentDeep: '#1c6fb0',
		onAccent: '#0a1628',
		good: '#3ecf8e',
		bad: '#ff6b6b',
		alarm: '#ff6b6b',
		warn: '#f5b944',
		comparison: '#8a9bb8',
		series2: '#5aa9e6',
		inactive: '#7d8ba3',
		highlight: '#ffc43d',
		live: '#fd8d3c',
		grid: 'rgba(120, 160, 210, 0.22)'
	}
};

/**
 * High contrast (适老化) for the desktop themes: black on white or white on black,
 * strong lines, status colours deep enough for text (≥ 7:1 where they carry words).
 * app.css applies them under `:root[data-contrast='high']`.
 */
export const CONTRAST_PALETTES: Record<'light' | 'dark', Palette> = {
	light: {
		bg: '#ffffff',
		surface: '#ffffff',
		surfaceRaised: '#f0f0f0',
		canvasTop: '#ffffff',
		canvasBottom: '#ffffff',
		line: '#000000',
		text: '#000000',
		textStrong: '#000000',
		muted: '#1a1a1a',
		soft: '#000000',
		accent: '#003d99',
		accentSoft: '#0050c8',
		accentDeep: '#002a6b',
		onAccent: '#ffffff',
		good: '#00592e',
		bad: '#a10e00',
		alarm: '#a10e00',
		warn: '#6b3f00',
		comparison: '#3d3d3d',
		series2: '#7a2e9e',
		inactive: '#4d4d4d',
		highlight: '#7a4100',
		live: '#a33a00',
		grid: 'rgba(0, 0, 0, 0.35)'
	},
	dark: {
		bg: '#000000',
		surface: '#000000',
		surfaceRaised: '#1a1a1a',
		canvasTop: '#000000',
		canvasBottom: '#000000',
		line: '#ffffff',
		text: '#ffffff',
		textStrong: '#ffffff',
		muted: '#f0f0f0',
		soft: '#ffffff',
		accent: '#7fd4ff',
		accentSoft: '#b3e5ff',
		accentDeep: '#4cc3ff',
		onAccent: '#000000',
		good: '#5dffa8',
		bad: '#ff9c94',
		alarm: '#ff9c94',
		warn: '#ffd166',
		comparison: '#d0d0d0',
		series2: '#e0a3ff',
		inactive: '#bdbdbd',
		highlight: '#ffe08a',
		live: '#ffb07a',
		grid: 'rgba(255, 255, 255, 0.4)'
	}
};

/** Chinese first: fonts present on Debian (fonts-noto-cjk), Windows and macOS. */
export const FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';

/**
 * Type sizes in px. The wall's are for its 1920×1080 canvas (labels ≥ 14 px, figures
 * ≥ 38 px); the desktop's scale with the large-type mode (× 1.5, the root font size).
 */
export const TYPE = {
	wall: { label: 14, body: 15, title: 20, figure: 38, hero: 40 },
	desktop: { label: 13, body: 15, title: 18, figure: 28, hero: 36 }
} as const;

/** Spacing steps in px. */
export const SPACE = { xs: 4, s: 8, m: 12, l: 16, xl: 24 } as const;

/** `--kebab-case` CSS variable names of a palette's keys (`textStrong` → `--text-strong`). */
export function cssVariable(key: keyof Palette): string {
	return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A `#rrggbb` colour at an opacity, as `rgba(r, g, b, a)` (chart fills under a line). */
export function withAlpha(hex: string, alpha: number): string {
	const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
	if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
	return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}
