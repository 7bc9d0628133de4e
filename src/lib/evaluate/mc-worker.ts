/** The Monte Carlo Web Worker's entry: one job per message (see mc-run.ts). */
import { runMonteCarlo, type McMessage, type McRequest } from './mc-run.ts';

// Typed by hand: the project's lib is the DOM's, not the worker's.
const scope = self as unknown as { onmessage: ((event: MessageEvent<McRequest>) => void) | null; postMessage(m: McMessage): void };
scope.onmessage = (event) => {
	if (event.data?.type === 'run') runMonteCarlo(event.data, (m) => scope.postMessage(m));
};
