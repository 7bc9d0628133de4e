// Unit tests only, for mutation testing (`npm run mutation`): the pure core's own
// tests run for each mutant, so no warehouse is started. The whole suite
// (integration and browser tests included) is `npm test`.
import { sveltekit } from '@sveltejs/kit/vite';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		// Stryker's vitest runner overrides this: one worker thread per test runner (pool 'threads', maxWorkers 1).
		// No test file of the mutated core loads chDB, so threads are safe here.
		pool: 'forks',
		// isolate stays on (the default): every test file imports fresh modules, so no file sees another's state and
		// a mutant in module-level code is evaluated. Off, a mutant cost 15 % less CPU (0.41 against 0.48 CPU-s on
		// normalise.ts lines 1-99) — not worth kills that could come from state one test file leaves to the next.
		include: ['src/**/*.test.ts', 'ingest/**/*.test.ts'],
		// The simulator (demo and test data, not in the mutated set) parses every timestamp it writes, so its tests
		// (≈ 30 s a run) covered most mutants of the time modules and ran for each: 13 of the whole run's 17 thousand
		// estimated test-seconds (plan of 2026-11-29). The time modules are judged by their own tests; no mutant is
		// left without a covering test by this exclusion.
		exclude: [...configDefaults.exclude, 'ingest/simulator/**'],
		testTimeout: 60_000,
		// fast-check properties try a tenth of their cases per mutant (test/helpers/property-runs.ts). Monte Carlo
		// draws are not scaled: the heaviest such test takes 85-175 ms, against ≈ 0.3-0.5 CPU-s that starting a
		// mutant's test files costs, and fewer draws would need wider tolerances that let more wrong laws through.
		provide: { propertyRunsScale: 0.1 }
	}
});
