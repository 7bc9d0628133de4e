import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from './command.ts';
import { parseOptions, parsePort } from './args.ts';
import { buildDir } from './paths.ts';
import { configOrExit } from './warehouse-connect.ts';
import { createLogger } from '../lib/server/log/logger.ts';
import { installProcessGuards } from '../lib/server/api/process-guards.ts';
import { config, exportToProcess, processEnv } from '../lib/server/config.ts';

export const DEFAULT_WEB_PORT = 3000;

export const webCommand: Command = {
	name: 'web',
	summary: 'the web server',
	usage: `Usage: tianshu web [--port N] [--host HOST]

Serves the built app (build/, made by \`npm run build\`) with adapter-node.

Options:
  --port N      port (default ${DEFAULT_WEB_PORT}, or PORT)
  --host HOST   address to listen on (default 127.0.0.1, or HOST; 0.0.0.0 for
                wall screens on other machines)

The app talks to the warehouse named by CLICKHOUSE_URL (default: the embedded
warehouse). ORIGIN sets the public URL when behind a proxy.`,
	async run(args) {
		const opts = parseOptions(args, { port: { type: 'string' }, host: { type: 'string' } });
		configOrExit(); // fail here, clearly, rather than on the first request
		try {
			config(); // every variable the server reads on demand (LOG_LEVEL, TIANSHU_LIVE_*, TIANSHU_APPDB_POOL, ORIGIN, …)
		} catch (e) {
			console.error(`tianshu web: ${(e as Error).message}`);
			return 1;
		}
		const entry = path.join(buildDir, 'index.js');
		if (!existsSync(entry)) {
			console.error(`tianshu web: ${entry} is missing; build the app first with \`npm run build\` (npm start does it for you)`);
			return 1;
		}
		// adapter-node reads PORT and HOST from the environment itself: hand it the values chosen here.
		const env = processEnv();
		const port = parsePort(opts.port ?? env.PORT, DEFAULT_WEB_PORT);
		exportToProcess('PORT', String(port));
		const host = opts.host ?? env.HOST ?? '127.0.0.1';
		exportToProcess('HOST', host);
		// Without ORIGIN, adapter-node takes every request for https: SvelteKit's origin check would then refuse
		// the sign-in form served over plain http. Served directly, the origin is this address; behind a proxy, or
		// for browsers on other machines (--host 0.0.0.0), ORIGIN names the URL people open.
		if (!env.ORIGIN) {
			const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
			exportToProcess('ORIGIN', `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`);
		}
		// The evaluators' uploads take files up to 5 MB (/evaluate/upload): adapter-node's 512 KiB default would refuse them first.
		if (!env.BODY_SIZE_LIMIT) exportToProcess('BODY_SIZE_LIMIT', '6M');
		// One request's bug must not stop every wall: log it and keep serving (the app's hooks install the same, once).
		installProcessGuards(createLogger('web'));
		await import(pathToFileURL(entry).href);
		// adapter-node owns the process from here and shuts down on SIGINT/SIGTERM.
		return await new Promise<number>(() => {});
	}
};
