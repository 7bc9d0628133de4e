/**
 * One part of a desk screen loaded on its own: its data, or a marker saying it failed,
 * so one slow or failing query costs its own panel and not the whole page. Pure (no
 * I/O, no server imports): the server's load settles each part, the page shows a
 * failed part with <Panel> in its own place.
 */

/** What a failed part says when the reason is not the caller's to read (the warehouse, a time-out). */
export const PANEL_UNAVAILABLE = '该部分暂时无法加载，请稍后刷新';

export type PanelState<T> = { ok: true; data: T } | { ok: false; panel: string; message: string };

export interface SettleOptions {
	/** Errors that concern the whole request (a region outside the scope, …): thrown on, for the page to fail as before. */
	fatal?: (error: unknown) => boolean;
	/** The message a failed part shows (default PANEL_UNAVAILABLE); e.g. the server's own Chinese message for a refused option. */
	message?: (error: unknown) => string;
	/** Called once per failed part, e.g. to log a line naming it. */
	onError?: (panel: string, error: unknown) => void;
}

/** Settles one named part: never rejects except for a fatal error. */
export async function settlePanel<T>(panel: string, work: Promise<T> | T, options: SettleOptions = {}): Promise<PanelState<T>> {
	try {
		return { ok: true, data: await work };
	} catch (error) {
		if (options.fatal?.(error)) throw error;
		options.onError?.(panel, error);
		return { ok: false, panel, message: options.message?.(error) ?? PANEL_UNAVAILABLE };
	}
}

/** The data of a part that loaded, or `fallback` for one that failed (for values other parts only use in passing). */
export const dataOr = <T, F>(state: PanelState<T>, fallback: F): T | F => (state.ok ? state.data : fallback);

/** A loaded part's data reshaped for the page; a failed part stays the failure. */
export function mapPanel<T, U>(state: PanelState<T>, f: (data: T) => U): PanelState<U> {
	return state.ok ? { ok: true, data: f(state.data) } : state;
}
