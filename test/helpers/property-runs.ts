/**
 * How many random cases a fast-check property tries: as written under `npm test`;
 * a tenth (at least 10) under `npm run mutation`, where every mutant that a property
 * covers reruns it — the hand-worked tests carry most of the kills there, and the
 * whole run must stay within 30 minutes on 2 cores.
 */
import { inject } from 'vitest';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Set by vitest.mutation.config.ts. */
		propertyRunsScale?: number;
	}
}

export function runs(n: number): number {
	const scale = inject('propertyRunsScale') ?? 1;
	return Math.max(10, Math.round(n * scale));
}
