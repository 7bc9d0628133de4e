#!/usr/bin/env node
// `npm test`: the whole suite, in order, against real components —
//   1. type check (svelte-check over app, CLI, tests), then lint (ESLint) and format (Prettier)
//   2. vitest: unit tests and integration tests against a real embedded warehouse
//   3. the production build, then Playwright in Debian's Chromium against it
// and one closing line with the totals. Stops at the first failing step.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, 'test-results');
mkdirSync(reports, { recursive: true });
/** @param {string} pkg @param {string} file */
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const totals = { passed: 0, failed: 0, skipped: 0 };

/**
 * @param {string} name
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 */
function step(name, args, env = {}) {
	console.log(`\n=== ${name} ===`);
	const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	return r.status === 0;
}

/** @param {boolean} ok @returns {never} */
function finish(ok) {
	console.log(`\n${ok ? 'tests' : 'FAILED'}: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
	process.exit(ok ? 0 : 1);
}

if (
	!step('type check', [bin('@sveltejs/kit', 'svelte-kit.js'), 'sync']) ||
	!step('type check', [bin('svelte-check', 'bin/svelte-check'), '--tsconfig', './tsconfig.json', '--fail-on-warnings'])
) {
	totals.failed++;
	finish(false);
}

// No floating promises (one unhandled rejection once stopped the whole web process): eslint.config.js.
if (!step('lint (ESLint)', [bin('eslint', 'bin/eslint.js'), '.'])) {
	totals.failed++;
	finish(false);
}

// One format for everyone (.prettierrc.json); `npm run format` fixes what this finds.
if (!step('format (Prettier)', [bin('prettier', 'bin/prettier.cjs'), '--check', '--log-level', 'warn', '.'])) {
	totals.failed++;
	finish(false);
}

const vitestReport = path.join(reports, 'vitest.json');
const vitestOk = step('unit and integration tests (vitest)', [
	bin('vitest', 'vitest.mjs'),
	'run',
	'--reporter=default',
	'--reporter=json',
	`--outputFile.json=${vitestReport}`
]);
if (existsSync(vitestReport)) {
	const v = JSON.parse(readFileSync(vitestReport, 'utf8'));
	totals.passed += v.numPassedTests;
	totals.failed += v.numFailedTests;
	totals.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
}
if (!vitestOk) finish(false);

if (!step('build', [bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn'])) {
	totals.failed++;
	finish(false);
}

const e2eReport = path.join(reports, 'playwright.json');
const e2eOk = step('browser tests (Playwright, Debian Chromium)', [bin('@playwright/test', 'cli.js'), 'test', '--reporter=list,json'], {
	PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport
});
if (existsSync(e2eReport)) {
	const s = JSON.parse(readFileSync(e2eReport, 'utf8')).stats;
	totals.passed += s.expected + s.flaky;
	totals.failed += s.unexpected;
	totals.skipped += s.skipped;
}
finish(e2eOk);
