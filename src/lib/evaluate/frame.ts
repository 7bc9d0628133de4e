/**
 * Coalesces bursts of calls (a slider's input events) into one run per animation
 * frame, so dragging recomputes the index at most once a frame and the main
 * thread stays responsive.
 */
export type RequestFrame = (callback: () => void) => unknown;

export const browserFrame: RequestFrame = (callback) =>
	typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => callback()) : setTimeout(callback, 16);

export function coalesce(run: () => void, requestFrame: RequestFrame = browserFrame): () => void {
	let pending = false;
	return () => {
		if (pending) return;
		pending = true;
		requestFrame(() => {
			pending = false;
			run();
		});
	};
}
