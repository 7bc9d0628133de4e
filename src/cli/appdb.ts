import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions, parsePort } from './args.ts';
import { createLogger } from '../lib/server/log/logger.ts';
import { processEnv } from '../lib/server/config.ts';
import { AppDbConfigError, DEFAULT_APPDB_DATA, DEFAULT_APPDB_PORT, appDbConfig, redactUrl } from '../lib/server/appdb/config.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const appdbCommand: Command = {
	name: 'appdb',
	summary: 'the app database',
	usage: `Usage: tianshu appdb [--data DIR] [--port N] [--host HOST]
       tianshu appdb migrate

The app database holds Tianshu's own state (ingest sources and their tokens,
users, sessions, wall tokens, the audit log). Without DATABASE_URL it is embedded: this process
owns a PGlite data directory and serves the PostgreSQL protocol on loopback,
behind a password generated at first start (DIR/password, owner-only). Other
processes find it through DIR (TIANSHU_APPDB_DATA); with DATABASE_URL set,
every command uses that PostgreSQL server instead.

  tianshu appdb           serve the embedded app database
  tianshu appdb migrate   apply src/lib/server/appdb/migrations to the app
                          database (DATABASE_URL, or the embedded one running);
                          on a database without users, create 'admin' and print
                          its one-time password once

Options:
  --data DIR    data directory (default ${DEFAULT_APPDB_DATA}, or TIANSHU_APPDB_DATA)
  --port N      port (default ${DEFAULT_APPDB_PORT}, or TIANSHU_APPDB_PORT; 0 picks a free one)
  --host HOST   loopback address to listen on (default 127.0.0.1; loopback only)`,
	async run(args) {
		if (args[0] === 'migrate') return migrateCommand(args.slice(1));
		const o = parseOptions(args, { data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } });
		const env = processEnv();
		const dir = o.data ?? env.TIANSHU_APPDB_DATA ?? DEFAULT_APPDB_DATA;
		const port = parsePort(o.port ?? env.TIANSHU_APPDB_PORT, DEFAULT_APPDB_PORT);
		const host = o.host ?? '127.0.0.1';
		if (!LOOPBACK.has(host))
			throw new UsageError(
				'--host must be a loopback address (127.0.0.1, ::1): the embedded app database is for this host only; use DATABASE_URL for a shared server'
			);
		const logger = createLogger('appdb');
		const { openEmbeddedAppDb, AppDbLockedError } = await import('../lib/server/appdb/embedded/server.ts');
		let appdb;
		try {
			appdb = await openEmbeddedAppDb({ dir, port, host, onRefused: (why, remote) => logger.warn({ why, remote }, 'app database connection refused') });
		} catch (e) {
			const why =
				e instanceof AppDbLockedError
					? e.message
					: (e as NodeJS.ErrnoException).code === 'EADDRINUSE'
						? `port ${port} on ${host} is already in use (choose another with --port)`
						: (e as Error).message;
			logger.fatal({ dir }, why);
			console.error(`tianshu appdb: ${why}`);
			return 1;
		}
		// The URL without the password: the supervisor reads the password from the data directory.
		logger.info({ url: redactUrl(appdb.url), port: appdb.port, dir: appdb.dir }, 'appdb ready');
		await new Promise<void>((resolve) => {
			const stop = (signal: string) => {
				logger.info({ signal }, 'appdb stopping');
				process.off('SIGINT', stop);
				process.off('SIGTERM', stop);
				resolve();
			};
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		});
		await appdb.close();
		logger.info('appdb stopped');
		return 0;
	}
};

async function migrateCommand(args: string[]): Promise<number> {
	parseOptions(args, {});
	const logger = createLogger('migrate');
	let config;
	try {
		config = appDbConfig();
	} catch (e) {
		if (!(e instanceof AppDbConfigError)) throw e;
		console.error(`tianshu appdb migrate: ${e.message}`);
		return 2;
	}
	const { createAppDb } = await import('../lib/server/appdb/client.ts');
	const { migrateAppDb } = await import('../lib/server/appdb/migrator.ts');
	const { MigrationError } = await import('../lib/server/migrate/migration-files.ts');
	const db = createAppDb(config.url, { max: 1 });
	try {
		await migrateAppDb(db, { logger });
		// A fresh database gets its one admin here, with a one-time password printed this once (never a default one).
		const { ensureFirstAdmin, FIRST_ADMIN } = await import('../lib/server/auth/users.ts');
		const password = await ensureFirstAdmin(db);
		if (password) await (await import('../lib/server/auth/audit.ts')).auditUserChange(db, 'user_change', { action: 'first_admin', user: FIRST_ADMIN }, [0]);
		if (password)
			console.log(
				`首次启动：已创建管理员账号 ${FIRST_ADMIN}，一次性密码 ${password}（只显示这一次，首次登录后须修改）· first start: account '${FIRST_ADMIN}' created, one-time password ${password} (shown once; change it at first sign-in)`
			);
		return 0;
	} catch (e) {
		const message = e instanceof MigrationError ? e.message : `the app database at ${redactUrl(config.url)} failed: ${(e as Error).message}`;
		logger.fatal(message);
		console.error(`tianshu appdb migrate: ${message}`);
		return 1;
	} finally {
		await db.close();
	}
}
