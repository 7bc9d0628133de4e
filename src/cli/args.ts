import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.ts';

/** node:util parseArgs with usage errors the CLI prints with the command's help. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
	try {
		return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
}

export function parsePort(value: string | undefined, fallback: number, what = '--port'): number {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${what} must be a port number (0–65535), got '${value}'`);
	return n;
}
