import type { AddressInfo } from 'node:net';
import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions, parsePort } from './args.ts';
import { createLogger } from '../lib/server/log/logger.ts';
import { ConfigError, exportToProcess, processEnv, setting } from '../lib/server/config.ts';
import { DEFAULT_WAREHOUSE_DATA, DEFAULT_WAREHOUSE_PORT } from '../lib/server/warehouse/config.ts';
import type { ChdbEngine as ChdbEngineType } from '../lib/server/warehouse/embedded/chdb-engine.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const warehouseCommand: Command = {
	name: 'warehouse',
	summary: 'the embedded ClickHouse warehouse',
	usage: `Usage: tianshu warehouse [--data DIR] [--port N] [--host HOST]

Runs the embedded warehouse: one process that owns a chDB data directory and
serves the ClickHouse HTTP interface on loopback, for @clickhouse/client.

Two accounts, made at the first start in DIR/credentials.json (mode 0600) and
kept: tianshu_writer (ingest, migrations, seed, the CLI) and tianshu_reader (the
web server: reads only, no table functions that reach files, URLs or processes,
and limits it cannot lift). The other parts find the file through
TIANSHU_WAREHOUSE_DATA. Requests from browsers (an Origin header) or addressed
to any Host but 127.0.0.1, localhost or [::1] on this port are refused.

Options:
  --data DIR    data directory (default ${DEFAULT_WAREHOUSE_DATA}, or TIANSHU_WAREHOUSE_DATA)
  --port N      port (default ${DEFAULT_WAREHOUSE_PORT}, or TIANSHU_WAREHOUSE_PORT; 0 picks a free one)
  --host HOST   loopback address to listen on (default 127.0.0.1; loopback only)

Large line-delimited INSERT bodies (JSONEachRow, TabSeparated) are inserted in
chunks of TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB (default 64) cut at row boundaries,
so memory stays bounded; a deduplication token gets the chunk index appended,
as ClickHouse does per block.

Reader limits (per query): TIANSHU_WAREHOUSE_READER_MAX_EXECUTION_TIME seconds
(default 30), TIANSHU_WAREHOUSE_READER_MAX_MEMORY_USAGE bytes (default 4 GiB),
TIANSHU_WAREHOUSE_READER_MAX_RESULT_ROWS (default 1000000).

Only one process may own a data directory; a second one exits at once naming
the process that holds it. Ctrl-C or SIGTERM closes the engine cleanly.`,
	async run(args) {
		const opts = parseOptions(args, {
			data: { type: 'string' },
			port: { type: 'string' },
			host: { type: 'string' }
		});
		const env = processEnv();
		const dir = opts.data ?? env.TIANSHU_WAREHOUSE_DATA ?? DEFAULT_WAREHOUSE_DATA;
		const port = parsePort(opts.port ?? env.TIANSHU_WAREHOUSE_PORT, DEFAULT_WAREHOUSE_PORT);
		const host = opts.host ?? '127.0.0.1';
		if (!LOOPBACK.has(host)) throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1); the embedded warehouse serves this host's parts only`);

		// Stored times are UTC; the engine's server time zone must not depend on the machine.
		exportToProcess('TZ', 'UTC');
		const logger = createLogger('warehouse');
		const { ChdbEngine, DirectoryLockedError } = await import('../lib/server/warehouse/embedded/chdb-engine.ts');
		const { createWarehouseServer } = await import('../lib/server/warehouse/embedded/http-server.ts');
		const { ensureCredentials, credentialsPath } = await import('../lib/server/warehouse/credentials.ts');
		const { readerLimitsFromEnv } = await import('../lib/server/warehouse/embedded/read-only.ts');
		const { mkdirSync } = await import('node:fs');
		let readerLimits;
		try {
			readerLimits = readerLimitsFromEnv(env);
		} catch (e) {
			throw new UsageError((e as Error).message);
		}
		mkdirSync(dir, { recursive: true });

		let engine: ChdbEngineType;
		try {
			engine = await ChdbEngine.open(dir);
		} catch (e) {
			if (e instanceof DirectoryLockedError) {
				logger.fatal({ dir: e.dir, holderPid: e.holderPid }, e.message);
				console.error(`tianshu warehouse: ${e.message}`);
				return 1;
			}
			throw e;
		}
		let chunkMiB: number;
		try {
			chunkMiB = setting('TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB', env);
		} catch (e) {
			await engine.close();
			if (e instanceof ConfigError) throw new UsageError(`TIANSHU_WAREHOUSE_INSERT_CHUNK_MIB must be a positive number of MiB`);
			throw e;
		}
		let credentials;
		try {
			// After the engine opened: this process owns the directory now.
			const made = ensureCredentials(dir);
			credentials = made.credentials;
			logger.info({ file: credentialsPath(dir), created: made.created }, made.created ? 'warehouse accounts created' : 'warehouse accounts loaded');
		} catch (e) {
			await engine.close();
			logger.fatal({ err: (e as Error).message }, 'warehouse credentials unusable');
			console.error(`tianshu warehouse: ${(e as Error).message}`);
			return 1;
		}
		const server = createWarehouseServer({ engine, logger, credentials, readerLimits, insertChunkBytes: Math.round(chunkMiB * 1024 * 1024) });
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => resolve());
		}).catch(async (e: NodeJS.ErrnoException) => {
			await engine.close();
			const why = e.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use (choose another with --port)` : e.message;
			logger.fatal({ port, host }, why);
			console.error(`tianshu warehouse: ${why}`);
			process.exit(1);
		});
		const address = server.address() as AddressInfo;
		const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
		logger.info({ url, port: address.port, dir, engine: engine.engineVersion, chdb: engine.chdbVersion, readerLimits }, 'warehouse ready');

		await new Promise<void>((resolve) => {
			const stop = (signal: string) => {
				logger.info({ signal }, 'warehouse stopping');
				process.off('SIGINT', stop);
				process.off('SIGTERM', stop);
				server.close(() => resolve());
				server.closeIdleConnections();
				// Requests still running get a moment to finish; then their sockets go.
				setTimeout(() => server.closeAllConnections(), 2000).unref();
			};
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		});
		await engine.close();
		logger.info('warehouse stopped');
		return 0;
	}
};
