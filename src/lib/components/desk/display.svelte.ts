/**
 * The one live copy of the display preferences in the browser: read from
 * localStorage once, written back on each change, and mirrored on <html> as
 * data-type / data-contrast so every desktop page's CSS follows (app.css).
 */
import { browser } from '$app/environment';
import { DEFAULT_DISPLAY, DISPLAY_KEY, parseDisplay, type DisplayPrefs } from './display.ts';

class Display implements DisplayPrefs {
	theme = $state<DisplayPrefs['theme']>(DEFAULT_DISPLAY.theme);
	largeType = $state(DEFAULT_DISPLAY.largeType);
	highContrast = $state(DEFAULT_DISPLAY.highContrast);

	load() {
		if (!browser) return;
		let stored: string | null = null;
		try {
			stored = localStorage.getItem(DISPLAY_KEY);
		} catch {
			// storage refused (private mode): the defaults hold for this page
		}
		Object.assign(this, parseDisplay(stored));
		this.apply();
	}

	set(change: Partial<DisplayPrefs>) {
		Object.assign(this, change);
		if (!browser) return;
		try {
			localStorage.setItem(DISPLAY_KEY, JSON.stringify({ theme: this.theme, largeType: this.largeType, highContrast: this.highContrast }));
		} catch {
			// not persisted; still applied
		}
		this.apply();
	}

	apply() {
		const root = document.documentElement;
		root.dataset.type = this.largeType ? 'large' : 'normal';
		root.dataset.contrast = this.highContrast ? 'high' : 'normal';
	}
}

export const display = new Display();
