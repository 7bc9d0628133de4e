import { AppDbConfigError, appDbConfig, redactUrl } from '../lib/server/appdb/config.ts';
import { createAppDb, type AppDb } from '../lib/server/appdb/client.ts';

/** The app database from DATABASE_URL or the embedded one; a missing or silent one is printed and exits with status 1. */
export async function connectAppDbOrExit(): Promise<AppDb> {
	let url: string;
	try {
		url = appDbConfig().url;
	} catch (e) {
		if (!(e instanceof AppDbConfigError)) throw e;
		console.error(`tianshu: ${e.message}`);
		process.exit(1);
	}
	const db = createAppDb(url);
	try {
		await db.query('SELECT 1 FROM ingest_sources LIMIT 1');
	} catch (e) {
		const hint = (e as { code?: string }).code === '42P01' ? ' (its schema is not migrated: run `tianshu appdb migrate`)' : '';
		console.error(`tianshu: the app database at ${redactUrl(url)} does not answer${hint}: ${(e as Error).message}`);
		await db.close().catch(() => {});
		process.exit(1);
	}
	return db;
}
