import { availableParallelism } from 'node:os';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { host: '127.0.0.1' },
	test: {
		// chDB must never load in a worker thread (it crashes on exit): forks only.
		pool: 'forks',
		// Two files at once even on 2 cores (vitest's default there is one): a file spends much of its time waiting on the
		// warehouse, a child process or its own imports, and the other file uses that time. Measured with
		// `vitest run src ingest` (86 files, 7 of them integration; loaded machine): 283 s wall with one worker, 181 s with two.
		maxWorkers: Math.max(2, availableParallelism() - 1),
		include: ['src/**/*.test.ts', 'ingest/**/*.test.ts', 'test/**/*.test.ts'],
		globalSetup: ['test/global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000
	}
});
