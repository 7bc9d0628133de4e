/**
 * A live stream lasts only while its caller is still admitted. Signing out, a
 * revoked session (the user disabled, or their role, regions or password
 * changed), a session past its absolute expiry and a revoked wall token each end
 * every open stream of that caller within one check — not at the next reload.
 * The check re-reads the session or token the way the door does, so an open
 * live screen counts as a present user for the idle limit; the absolute expiry
 * still ends it.
 */

/** True while the caller of a stream would still be let in. */
export type Admitted = () => Promise<boolean>;

/** How often an open stream asks again (the door's session cache is 5 s, so a revocation ends it within ~15 s). */
export const ADMITTED_CHECK_MS = 10_000;

/**
 * A signal that aborts when `signal` does or when `admitted` says no. `dispose()`
 * stops the checks (call it when the stream ends). A failing check keeps the
 * stream: the app database briefly away is no reason to blank every wall; the
 * next check decides.
 */
export function whileAdmitted(
	signal: AbortSignal | undefined,
	admitted: Admitted | undefined,
	everyMs = ADMITTED_CHECK_MS
): { signal: AbortSignal | undefined; dispose: () => void } {
	if (!admitted) return { signal, dispose: () => {} };
	const ac = new AbortController();
	const onAbort = () => ac.abort();
	if (signal?.aborted) ac.abort();
	signal?.addEventListener('abort', onAbort, { once: true });
	let checking = false;
	const timer = setInterval(() => {
		if (checking || ac.signal.aborted) return;
		checking = true;
		admitted()
			.then((yes) => {
				if (!yes) ac.abort();
			})
			.catch(() => {})
			.finally(() => (checking = false));
	}, everyMs);
	timer.unref?.();
	return {
		signal: ac.signal,
		dispose: () => {
			clearInterval(timer);
			signal?.removeEventListener('abort', onAbort);
		}
	};
}
