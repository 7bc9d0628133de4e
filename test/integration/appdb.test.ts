/**
 * The app database and its ingest-source store, against the embedded PGlite
 * (`tianshu appdb`) and, when TIANSHU_TEST_PG_URL names one, a real PostgreSQL
 * server: the same tests, both stores.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDbKinds, startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { APPDB_MIGRATIONS_DIR, appDbMigrations, migrateAppDb } from '../../src/lib/server/appdb/migrator.ts';
import { SourceAuthenticator, SourceError, addSource, listSources, parseEventTypes, revokeSource } from '../../src/lib/server/appdb/sources.ts';
import { MigrationError } from '../../src/lib/server/migrate/migration-files.ts';
import { projectRoot, tianshuBin } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { spawnAppDb } from '../../src/lib/server/appdb/embedded/spawn.ts';
import { appDbFiles } from '../../src/lib/server/appdb/config.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function tianshu(args: string[], env: Record<string, string>) {
	const r = spawnSync(process.execPath, [tianshuBin, ...args], { cwd: projectRoot, env: { ...process.env, ...env }, encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(appDbKinds)('the app database on %s', (kind) => {
	let t: TestAppDb;
	beforeAll(async () => {
		t = await startAppDb(kind);
	}, 120_000);
	afterAll(async () => {
		await t?.stop();
	});

	describe('migrations', () => {
		it('are recorded once each with the sha256 of their file', async () => {
			const rows = await t.db.query<{ version: number; name: string; checksum: string }>(
				'SELECT version, name, checksum FROM schema_migrations ORDER BY version'
			);
			// The files as the directory lists them, each sha256 worked here from its bytes (not by the reader's checksumOf).
			const files = readdirSync(APPDB_MIGRATIONS_DIR)
				.filter((f) => f.endsWith('.sql'))
				.sort();
			expect(rows.length).toBeGreaterThan(0);
			expect(rows).toEqual(
				files.map((f) => ({
					version: Number(f.slice(0, 4)),
					name: f,
					checksum: createHash('sha256')
						.update(readFileSync(path.join(APPDB_MIGRATIONS_DIR, f)))
						.digest('hex')
				}))
			);
			expect(await migrateAppDb(t.db)).toMatchObject({ applied: [] });
		});

		it('refuse to run when an applied migration was changed', async () => {
			const files = appDbMigrations();
			const changed = files.map((f, i) => (i === 0 ? { ...f, sql: `${f.sql}\n-- edited`, checksum: sha256(`${f.sql}\n-- edited`) } : f));
			await expect(migrateAppDb(t.db, { migrations: changed })).rejects.toThrow(/changed after it was applied/);
		});

		it('leave nothing behind when one fails half-way', async () => {
			const files = appDbMigrations();
			const sql = 'CREATE TABLE half_done (id integer);\nSELECT no_such_column FROM half_done;';
			const bad = { version: files.length + 1, name: `${String(files.length + 1).padStart(4, '0')}_create_half_done.sql`, sql, checksum: sha256(sql) };
			await expect(migrateAppDb(t.db, { migrations: [...files, bad] })).rejects.toThrow(MigrationError);
			const [table] = await t.db.query<{ t: string | null }>("SELECT to_regclass('half_done')::text AS t");
			expect(table!.t).toBeNull();
			const [n] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations WHERE version = $1', [bad.version]);
			expect(n!.n).toBe(0);
		});
	});

	describe('ingest sources', () => {
		it('keep only the sha256 of a token, never the token', async () => {
			const { token, source } = await addSource(t.db, 'stats-bureau', parseEventTypes('statistics'));
			expect(token).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);
			expect(source).toMatchObject({ name: 'stats-bureau', eventTypes: ['indicator', 'target'], revokedAt: null });
			const [row] = await t.db.query<{ whole: string; token_sha256: string }>(
				"SELECT row_to_json(s)::text AS whole, token_sha256 FROM ingest_sources AS s WHERE name = 'stats-bureau'"
			);
			expect(row!.token_sha256).toBe(sha256(token));
			expect(row!.whole).not.toContain(token);
			expect(row!.whole).not.toContain(token.slice(4, 20));
		});

		it('issue a different random token each time', async () => {
			const a = await addSource(t.db, 'city-a', ['case']);
			const b = await addSource(t.db, 'city-b', ['case']);
			expect(a.token).not.toBe(b.token);
			// 32 random bytes: no visible structure shared between two tokens beyond the prefix.
			expect(a.token.slice(4, 14)).not.toBe(b.token.slice(4, 14));
		});

		it('refuse a second active source of the same name, a bad name and unknown types', async () => {
			await expect(addSource(t.db, 'stats-bureau', ['case'])).rejects.toThrow(/exists; revoke it first/);
			await expect(addSource(t.db, 'Bad Name', ['case'])).rejects.toThrow(SourceError);
			expect(() => parseEventTypes('case,visa')).toThrow(/unknown event type 'visa'/);
			expect(() => parseEventTypes(' , ')).toThrow(/at least one/);
			expect(parseEventTypes('service,warning')).toEqual(['case', 'review', 'review_action', 'ticket', 'warning']);
		});

		it('authenticate a token to its source and grants; a wrong, malformed or revoked token to nobody', async () => {
			const { token } = await addSource(t.db, 'hotline', ['ticket', 'case']);
			const auth = new SourceAuthenticator(t.db, { ttlMs: 300 });
			const found = await auth.authenticate(token);
			expect(found?.name).toBe('hotline');
			expect([...found!.types].sort()).toEqual(['case', 'ticket']);
			const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
			expect(await auth.authenticate(wrong)).toBeNull();
			expect(await auth.authenticate('')).toBeNull();
			expect(await auth.authenticate(`' OR 1=1 --`)).toBeNull();
			await revokeSource(t.db, 'hotline');
			// Revocation takes effect once the short cache time has passed.
			await new Promise((r) => setTimeout(r, 350));
			expect(await auth.authenticate(token)).toBeNull();
			expect(await new SourceAuthenticator(t.db).authenticate(token)).toBeNull();
		});

		it('let a revoked name be issued again, with a new token', async () => {
			await revokeSource(t.db, 'city-a');
			await expect(revokeSource(t.db, 'city-a')).rejects.toThrow(/no active source/);
			const again = await addSource(t.db, 'city-a', ['review']);
			expect((await new SourceAuthenticator(t.db).authenticate(again.token))?.name).toBe('city-a');
			const active = (await listSources(t.db)).map((s) => s.name);
			expect(active).toEqual(['city-a', 'city-b', 'stats-bureau']);
			const all = await listSources(t.db, { includeRevoked: true });
			expect(all.filter((s) => s.revokedAt !== null).map((s) => s.name)).toEqual(['city-a', 'hotline']);
		});

		it('serve many concurrent queries and a transaction from one pool', async () => {
			const results = await Promise.all([
				...Array.from({ length: 40 }, (_, i) => t.db.one<{ n: number }>('SELECT $1::int * 2 AS n', [i]).then((r) => r!.n)),
				t.db.transaction(async (tx) => {
					await tx.query('CREATE TEMP TABLE IF NOT EXISTS scratch (n int)');
					await tx.query('INSERT INTO scratch VALUES ($1), ($2)', [1, 2]);
					return (await tx.one<{ s: number }>('SELECT sum(n)::int AS s FROM scratch'))!.s;
				})
			]);
			expect(results).toEqual([...Array.from({ length: 40 }, (_, i) => i * 2), 3]);
		});
	});

	describe('tianshu source', () => {
		it('add prints the token alone on standard output, once; list and revoke', () => {
			const env = { DATABASE_URL: t.url };
			const added = tianshu(['source', 'add', 'cli-src', '--types', 'case,indicator'], env);
			expect(added.code, added.stderr).toBe(0);
			const token = added.stdout.trim();
			expect(token).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);
			expect(added.stdout).toBe(`${token}\n`);
			expect(added.stderr).toContain('case, indicator');
			expect(added.stderr).not.toContain(token);
			const listed = tianshu(['source', 'list'], env);
			expect(listed.stdout).toMatch(/cli-src\s+case,indicator/);
			expect(listed.stdout).not.toContain(token);
			expect(tianshu(['source', 'add', 'cli-src', '--types', 'case'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('exists') });
			expect(tianshu(['source', 'add', 'other'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('--types') });
			expect(tianshu(['source', 'revoke', 'cli-src'], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('revoked') });
			expect(tianshu(['source', 'list'], env).stdout).not.toContain('cli-src');
		});
	});
});

describe('the embedded app database process', () => {
	let dir: string;
	let running: Awaited<ReturnType<typeof spawnAppDb>>;
	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'tianshu-appdb-proc-'));
		running = await spawnAppDb(dir);
	}, 120_000);
	afterAll(async () => {
		await running?.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('refuses a client without the password, or with a wrong one', async () => {
		for (const password of ['', 'wrong', `${new URL(running.url).password}x`]) {
			const client = new pg.Client({ host: '127.0.0.1', port: running.port, user: 'postgres', database: 'postgres', password });
			await expect(client.connect()).rejects.toMatchObject({ code: '28P01' });
			await client.end().catch(() => {});
		}
		const ok = new pg.Client({ connectionString: running.url });
		await ok.connect();
		expect((await ok.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
		await ok.end();
	});

	it('closes connections that do not speak the protocol, and keeps serving', async () => {
		const exchange = (bytes: Buffer) =>
			new Promise<Buffer>((resolve) => {
				const socket = net.connect(running.port, '127.0.0.1', () => socket.end(bytes));
				const got: Buffer[] = [];
				socket.on('data', (d) => got.push(d));
				socket.on('close', () => resolve(Buffer.concat(got)));
				socket.on('error', () => {});
			});
		const huge = Buffer.alloc(8);
		huge.writeInt32BE(1_000_000, 0);
		huge.writeInt32BE(196608, 4);
		for (const bytes of [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), huge, Buffer.from([0, 0, 0, 8, 0, 0, 0, 0]), Buffer.alloc(0)]) {
			const reply = await exchange(bytes);
			// Either nothing, or a FATAL ErrorResponse ('E'): never a session.
			if (reply.length) expect(String.fromCharCode(reply[0]!)).toBe('E');
		}
		const ok = new pg.Client({ connectionString: running.url });
		await ok.connect();
		expect((await ok.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
		await ok.end();
	});

	it('keeps its password in an owner-only file and its directory owner-only', () => {
		expect(statSync(appDbFiles(dir).password).mode & 0o777).toBe(0o600);
		expect(statSync(dir).mode & 0o777).toBe(0o700);
	});

	it('serves more than one client at once (pglite-socket allows one by default)', async () => {
		const clients = Array.from({ length: 6 }, () => new pg.Client({ connectionString: running.url }));
		await Promise.all(clients.map((c) => c.connect()));
		const answers = await Promise.all(clients.map((c, i) => c.query('SELECT $1::int AS i', [i])));
		expect(answers.map((a) => a.rows[0].i)).toEqual([0, 1, 2, 3, 4, 5]);
		await Promise.all(clients.map((c) => c.end()));
	});

	it('refuses a second process on the same directory, naming the first', () => {
		const second = spawnSync(process.execPath, [tianshuBin, 'appdb', '--data', dir, '--port', '0'], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
		expect(second.status).toBe(1);
		expect(second.stderr).toContain(`in use by process ${running.pid}`);
	});

	it('listens on loopback only', () => {
		const r = tianshu(['appdb', '--data', dir, '--host', '0.0.0.0'], {});
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/loopback/);
	});

	it('keeps its data across a restart, and other commands find it through the data directory', async () => {
		const env = { TIANSHU_APPDB_DATA: dir, DATABASE_URL: '' };
		expect(tianshu(['appdb', 'migrate'], env).code).toBe(0);
		const added = tianshu(['source', 'add', 'survivor', '--types', 'review'], env);
		expect(added.code, added.stderr).toBe(0);
		expect(await running.stop()).toBe(0);
		expect(tianshu(['source', 'list'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('is not running') });
		running = await spawnAppDb(dir);
		expect(tianshu(['source', 'list'], env).stdout).toMatch(/survivor\s+review/);
	});

	it('comes back after kill -9 with its data, and says so plainly while it is gone', async () => {
		const env = { TIANSHU_APPDB_DATA: dir, DATABASE_URL: '' };
		running.child.kill('SIGKILL');
		await new Promise((r) => running.child.once('exit', r));
		expect(tianshu(['source', 'list'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining(`its process ${running.pid} is gone`) });
		running = await spawnAppDb(dir);
		expect(tianshu(['source', 'list'], env).stdout).toMatch(/survivor\s+review/);
	});
});
