/**
 * App databases for tests: the embedded one (`tianshu appdb`, PGlite) always, and
 * a real PostgreSQL server when TIANSHU_TEST_PG_URL names one (`.ci/run` starts
 * Debian's PostgreSQL 15 and sets it). Each gets a fresh, migrated database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout } from 'node:timers/promises';
import path from 'node:path';
import { createAppDb, type AppDb } from '../../src/lib/server/appdb/client.ts';
import { migrateAppDb } from '../../src/lib/server/appdb/migrator.ts';
import { spawnAppDb } from '../../src/lib/server/appdb/embedded/spawn.ts';

export type AppDbKind = 'pglite' | 'postgresql';

export interface TestAppDb {
	kind: AppDbKind;
	/** Connection URL (with password), for DATABASE_URL of child processes. */
	url: string;
	db: AppDb;
	stop(): Promise<void>;
}

/** The real server's URL, or undefined (then the store's tests run against PGlite only, and say so). */
export const realServerUrl = process.env.TIANSHU_TEST_PG_URL || undefined;

export const appDbKinds: AppDbKind[] = realServerUrl ? ['pglite', 'postgresql'] : ['pglite'];
if (!realServerUrl) console.warn('TIANSHU_TEST_PG_URL is not set: app database tests run against the embedded PGlite only');

export async function startAppDb(kind: AppDbKind, options: { migrate?: boolean } = {}): Promise<TestAppDb> {
	let url: string;
	let cleanup: () => Promise<void>;
	if (kind === 'pglite') {
		const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-test-appdb-'));
		const running = await spawnAppDb(dir);
		url = running.url;
		cleanup = async () => {
			const code = await running.stop();
			rmSync(dir, { recursive: true, force: true });
			if (code !== 0) throw new Error(`the test app database exited with ${code} on SIGTERM`);
		};
	} else {
		if (!realServerUrl) throw new Error('TIANSHU_TEST_PG_URL is not set');
		const name = `tianshu_test_${randomBytes(4).toString('hex')}`;
		const admin = createAppDb(realServerUrl, { max: 1 });
		// CREATE DATABASE takes no bound parameters; the name is generated here (hex only).
		await admin.query(`CREATE DATABASE ${name}`);
		const u = new URL(realServerUrl);
		u.pathname = `/${name}`;
		url = u.toString();
		cleanup = async () => {
			// A plain DROP first: it stops an autovacuum worker on the database by itself, whereas WITH (FORCE) refuses
			// to terminate one for a role that is not a superuser ("must be a member of the role whose process is being
			// terminated", seen on a fresh-clone CI). FORCE then only for a connection the test left open (55006),
			// retried while an autovacuum worker comes and goes (42501).
			for (let attempt = 0; ; attempt++) {
				try {
					await admin.query(`DROP DATABASE IF EXISTS ${name}${attempt === 0 ? '' : ' WITH (FORCE)'}`);
					break;
				} catch (e) {
					const code = (e as { code?: string }).code;
					if (attempt >= 20 || (code !== '55006' && code !== '42501')) throw e;
					await setTimeout(250);
				}
			}
			await admin.close();
		};
	}
	const db = createAppDb(url);
	if (options.migrate ?? true) await migrateAppDb(db);
	return {
		kind,
		url,
		db,
		async stop() {
			await db.close();
			await cleanup();
		}
	};
}
