// Unit tests only, for mutation testing (`npm run mutation`): the pure core's own
// tests run for each mutant, so no warehouse is started. The whole suite
// (integration and browser tests included) is `npm test`.
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		pool: 'forks',
		include: ['src/**/*.test.ts', 'ingest/**/*.test.ts'],
		testTimeout: 60_000,
		// fast-check properties try a tenth of their cases per mutant (test/helpers/property-runs.ts).
		provide: { propertyRunsScale: 0.1 }
	}
});
