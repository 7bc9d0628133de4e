/**
 * A web process with the guards keeps running after an unhandled rejection and an
 * uncaught exception, and logs both; without them Node stops it (the crash of issue 10).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const guards = path.join(path.dirname(fileURLToPath(import.meta.url)), 'process-guards.ts');

/** Runs a small program in a fresh Node process (TypeScript through tsx, as the CLI runs). */
function run(withGuards: boolean) {
	const program = `
		${withGuards ? `const { installProcessGuards } = await import(${JSON.stringify(guards)}); const { default: pino } = await import('pino'); installProcessGuards(pino());` : ''}
		Promise.reject(new Error('a forgotten query failed'));
		setTimeout(() => { throw new Error('a timer threw'); }, 10);
		setTimeout(() => console.log('still serving'), 100);
	`;
	return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { encoding: 'utf8', timeout: 30_000 });
}

describe('process guards', () => {
	it('log an unhandled rejection and an uncaught exception, and the process goes on', () => {
		const r = run(true);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toContain('still serving');
		const lines = r.stdout
			.split('\n')
			.filter((l) => l.startsWith('{'))
			.map((l) => JSON.parse(l) as { msg: string; err?: { message: string } });
		expect(lines.map((l) => [l.msg, l.err?.message])).toEqual([
			['unhandled promise rejection; still serving', 'a forgotten query failed'],
			['uncaught exception; still serving', 'a timer threw']
		]);
	});

	it('without them, the same program dies', () => {
		const r = run(false);
		expect(r.status).not.toBe(0);
		expect(r.stdout).not.toContain('still serving');
	});
});
