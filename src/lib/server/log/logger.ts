/**
 * One log stream for every part of Tianshu: pino JSON lines on stdout, each
 * tagged with its part (`warehouse`, `migrate`, `seed`, `web`, …). `tianshu start`
 * merges the parts' streams and pretty-prints them on a terminal.
 */
import pino, { type Logger } from 'pino';
import { setting } from '../config.ts';

export type Part = 'warehouse' | 'migrate' | 'seed' | 'web' | 'start' | 'ingest' | 'simulate' | 'bench' | 'cli' | 'appdb';

/** `toStderr` for commands whose standard output is data (e.g. `tianshu simulate` without --out). */
export function createLogger(part: Part, options: { toStderr?: boolean } = {}): Logger {
	return pino(
		{
			base: { part },
			level: setting('LOG_LEVEL'),
			timestamp: pino.stdTimeFunctions.isoTime
		},
		pino.destination(options.toStderr ? 2 : 1)
	);
}
