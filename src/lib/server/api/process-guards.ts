/**
 * The web process keeps serving whatever one request does: an unhandled
 * rejection or an uncaught exception is logged (it is a bug to fix, and the lint
 * rules forbid floating promises) instead of stopping every wall at once.
 */
import type { Logger } from 'pino';

const INSTALLED = Symbol.for('tianshu.processGuards');

/** Installs the handlers once per process (the CLI entry and the app's hooks both ask). */
export function installProcessGuards(log: Logger): void {
	const g = globalThis as { [INSTALLED]?: boolean };
	if (g[INSTALLED]) return;
	g[INSTALLED] = true;
	process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection; still serving'));
	process.on('uncaughtException', (err, origin) => log.error({ err, origin }, 'uncaught exception; still serving'));
}
