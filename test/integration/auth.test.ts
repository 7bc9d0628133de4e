/**
 * Accounts, sessions, sign-in limits and wall tokens against a real app database
 * (the embedded PGlite, and PostgreSQL when TIANSHU_TEST_PG_URL names one).
 * Times are passed in, so expiry and lockout are tested without waiting.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { projectRoot, tianshuBin } from '../../src/lib/server/warehouse/embedded/spawn.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDbKinds, startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import type { AuthLimits } from '../../src/lib/server/auth/limits.ts';
import { resolveSession, clearSessionCache } from '../../src/lib/server/auth/sessions.ts';
import { signIn } from '../../src/lib/server/auth/sign-in.ts';
import {
	addUser,
	changePassword,
	ensureFirstAdmin,
	parseRegions,
	resetPassword,
	setDisabled,
	setRegions,
	setRole,
	UserError
} from '../../src/lib/server/auth/users.ts';
import { issueWallToken, listWallTokens, resolveWallToken, revokeWallToken, WallTokenError } from '../../src/lib/server/auth/wall-tokens.ts';
import { passwordProblem } from '../../src/lib/server/auth/passwords.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const MIN = 60_000;
/** Small, round limits so the arithmetic below is by hand: idle 30 min, absolute 2 h, 3 failures lock for 10 min, 4 per address. */
const limits: AuthLimits = { idleMs: 30 * MIN, maxAgeMs: 120 * MIN, maxFailures: 3, lockoutMs: 10 * MIN, addressMaxFailures: 4 };
const T0 = new Date('2026-03-02T02:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);

describe.each(appDbKinds)('sign-in on %s', (kind) => {
	let t: TestAppDb;
	beforeAll(async () => {
		t = await startAppDb(kind);
	}, 120_000);
	afterAll(async () => {
		await t?.stop();
	});
	let n = 0;
	/** A new user (and its password) for each test, so tests do not share lockouts or sessions. */
	async function user(role: 'leader' | 'analyst' | 'admin' = 'analyst', regions = [440300]) {
		const name = `u${++n}-${kind}`;
		const password = `Correct-horse-${n}`;
		await addUser(t.db, { name, role, regions, password });
		return { name, password };
	}
	const ok = async (u: { name: string; password: string }, when = T0, address = '10.0.0.1') => {
		const r = await signIn(t.db, { username: u.name, password: u.password, address }, limits, when);
		if (!r.ok) throw new Error(r.message);
		return r;
	};

	it('creates the first admin once, of the nation, with a one-time password that must be changed', async () => {
		// First in this file: the database has no users yet.
		const password = await ensureFirstAdmin(t.db);
		expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
		expect(await ensureFirstAdmin(t.db)).toBeUndefined();
		const r = await signIn(t.db, { username: 'admin', password: password!, address: '127.0.0.1' }, limits, T0);
		expect(r).toMatchObject({ ok: true, user: { role: 'admin', regions: [0], mustChangePassword: true } });
		clearSessionCache();
		expect(await resolveSession(t.db, (r as { token: string }).token, limits, at(1))).toMatchObject({ mustChangePassword: true });
	});

	it('stores an argon2id hash, never the password, and the sha256 of a session token, never the token', async () => {
		const u = await user();
		const [row] = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE name = $1', [u.name]);
		expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(row!.password_hash).not.toContain(u.password);
		const s = await ok(u);
		expect(s.token).toMatch(/^tss_[A-Za-z0-9_-]{43}$/);
		const sessions = await t.db.query<Record<string, unknown>>('SELECT s.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = $1', [u.name]);
		expect(sessions).toHaveLength(1);
		expect(sessions[0]!.token_sha256).toBe(sha256(s.token));
		expect(JSON.stringify(sessions)).not.toContain(s.token.slice(4));
	});

	it('answers a wrong password and an unknown name alike', async () => {
		const u = await user();
		const wrong = await signIn(t.db, { username: u.name, password: 'Wrong-password-1', address: '10.0.0.2' }, limits, T0);
		const unknown = await signIn(t.db, { username: 'nobody-here', password: 'Wrong-password-1', address: '10.0.0.2' }, limits, T0);
		expect(wrong).toMatchObject({ ok: false, reason: 'invalid', message: '用户名或密码错误' });
		expect(unknown).toMatchObject({ ok: false, reason: 'invalid', message: '用户名或密码错误' });
	});

	it('ends a session after the idle time without requests, and at the absolute expiry however busy', async () => {
		const u = await user('leader', [440300, 440100]);
		const s = await ok(u);
		// Seen every 20 minutes (< 30 idle): alive until 120 minutes after sign-in, not a moment more.
		for (let m = 20; m < 120; m += 20)
			expect(await resolveSession(t.db, s.token, limits, at(m)), `minute ${m}`).toMatchObject({
				kind: 'user',
				name: u.name,
				role: 'leader',
				regions: [440100, 440300]
			});
		expect(await resolveSession(t.db, s.token, limits, at(119))).toMatchObject({ kind: 'user', name: u.name });
		expect(await resolveSession(t.db, s.token, limits, at(120))).toBeUndefined();
		// Idle: signed in, then nothing for 30 minutes.
		const idle = await ok(u, at(0));
		expect(await resolveSession(t.db, idle.token, limits, at(29))).toMatchObject({ kind: 'user', name: u.name });
		// The last request was at minute 29 (recorded: more than a minute after sign-in): 29 + 30 = 59.
		expect(await resolveSession(t.db, idle.token, limits, at(59))).toBeUndefined();
	});

	it('refuses tokens it never issued, malformed or altered', async () => {
		const u = await user();
		const s = await ok(u);
		const altered = s.token.slice(0, -1) + (s.token.endsWith('A') ? 'B' : 'A');
		for (const bad of [undefined, '', 'tss_', altered, s.token + 'x', 'tsw_' + s.token.slice(4), "tss_' OR 1=1 --"])
			expect(await resolveSession(t.db, bad, limits, T0), String(bad)).toBeUndefined();
	});

	it('revokes every session when a user is disabled, or their role, regions or password change', async () => {
		const u = await user('analyst', [440300]);
		const live = async (token: string) => (await resolveSession(t.db, token, limits, at(1))) !== undefined;
		let s = await ok(u);
		expect(await live(s.token)).toBe(true);
		await setDisabled(t.db, u.name, true);
		expect(await live(s.token)).toBe(false);
		expect(await signIn(t.db, { username: u.name, password: u.password, address: '10.0.0.3' }, limits, T0)).toMatchObject({ ok: false, reason: 'invalid' });
		await setDisabled(t.db, u.name, false);
		// Enabling lets the user sign in again; the old session stays ended.
		expect(await live(s.token)).toBe(false);
		s = await ok(u);
		await setRole(t.db, u.name, 'evaluator');
		expect(await live(s.token)).toBe(false);
		s = await ok(u);
		expect(await resolveSession(t.db, s.token, limits, at(1))).toMatchObject({ role: 'evaluator', regions: [440300] });
		await setRegions(t.db, u.name, [440100]);
		expect(await live(s.token)).toBe(false);
		s = await ok(u);
		expect(await resolveSession(t.db, s.token, limits, at(1))).toMatchObject({ regions: [440100] });
		const reset = await resetPassword(t.db, u.name);
		expect(await live(s.token)).toBe(false);
		expect(await signIn(t.db, { username: u.name, password: u.password, address: '10.0.0.3' }, limits, T0)).toMatchObject({ ok: false });
		const again = await ok({ name: u.name, password: reset.password });
		expect(again.user.mustChangePassword).toBe(true);
		// The user's own change: the current password first, the policy, then other sessions end.
		expect(await changePassword(t.db, u.name, 'not-it', 'A-new-password-9')).toEqual({ ok: false, message: '当前密码不正确' });
		expect(await changePassword(t.db, u.name, reset.password, 'short')).toMatchObject({ ok: false });
		expect(await changePassword(t.db, u.name, reset.password, 'A-new-password-9')).toEqual({ ok: true });
		expect(await live(again.token)).toBe(false);
		expect((await ok({ name: u.name, password: 'A-new-password-9' })).user.mustChangePassword).toBe(false);
	});

	it('locks an account after 3 failures in a row for 10 minutes, even for the right password', async () => {
		const u = await user();
		const wrong = (when: Date) => signIn(t.db, { username: u.name, password: 'Wrong-password-1', address: `10.1.0.${n}` }, limits, when);
		expect(await wrong(at(0))).toMatchObject({ reason: 'invalid' });
		expect(await wrong(at(1))).toMatchObject({ reason: 'invalid' });
		expect(await wrong(at(2))).toMatchObject({ reason: 'locked', lockedNow: true });
		const during = await signIn(t.db, { username: u.name, password: u.password, address: '10.9.9.9' }, limits, at(11.9));
		expect(during).toMatchObject({ ok: false, reason: 'locked' });
		expect((during as { message: string }).message).toContain('锁定');
		// Locked at minute 2 for 10 minutes: free from minute 12.
		expect((await signIn(t.db, { username: u.name, password: u.password, address: '10.9.9.9' }, limits, at(12))).ok).toBe(true);
		// A success clears the count: two more failures do not lock.
		expect(await wrong(at(13))).toMatchObject({ reason: 'invalid' });
		expect(await wrong(at(14))).toMatchObject({ reason: 'invalid' });
		expect((await signIn(t.db, { username: u.name, password: u.password, address: '10.9.9.8' }, limits, at(15))).ok).toBe(true);
	});

	it('makes an address wait after 4 failures within 10 minutes, whatever names it tries; other addresses are not affected', async () => {
		const u = await user();
		const address = `10.2.0.${n}`;
		for (let i = 0; i < 4; i++) await signIn(t.db, { username: `guess-${i}`, password: 'Wrong-password-1', address }, limits, at(i));
		expect(await signIn(t.db, { username: u.name, password: u.password, address }, limits, at(5))).toMatchObject({ ok: false, reason: 'address_limited' });
		expect((await signIn(t.db, { username: u.name, password: u.password, address: '10.2.1.1' }, limits, at(5))).ok).toBe(true);
		// The first failure (minute 0) leaves the window at minute 10: 3 remain, the address may try again.
		expect((await signIn(t.db, { username: u.name, password: u.password, address }, limits, at(10.01))).ok).toBe(true);
	});

	it('refuses bad names, regions, roles and weak passwords', async () => {
		await expect(addUser(t.db, { name: 'bad name', role: 'leader', regions: [0], password: 'Long-enough-1' })).rejects.toThrow(UserError);
		await expect(addUser(t.db, { name: 'noregion', role: 'leader', regions: [], password: 'Long-enough-1' })).rejects.toThrow(/at least one region/);
		await expect(addUser(t.db, { name: 'weak', role: 'leader', regions: [0], password: 'short' })).rejects.toThrow(/至少 10/);
		const u = await user();
		await expect(addUser(t.db, { name: u.name, role: 'leader', regions: [0], password: 'Long-enough-1' })).rejects.toThrow(/exists already/);
		expect(parseRegions('440300, 440100,440300')).toEqual([440300, 440100]);
		for (const bad of ['4403', '440300;440100', '900000', '44030x', '', '0x6b6cc']) expect(() => parseRegions(bad), bad).toThrow(UserError);
		expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/简单/);
		expect(passwordProblem('zhangsan-2026', 'zhangsan')).toMatch(/用户名/);
	});

	it('issues a wall token shown once (sha256 kept), bound to one region, records its use, and revokes it', async () => {
		const { token, wall } = await issueWallToken(t.db, { name: `大厅-${kind}`, adcode: 440300, createdBy: 'admin' });
		expect(token).toMatch(/^tsw_[A-Za-z0-9_-]{43}$/);
		const [row] = await t.db.query<Record<string, unknown>>('SELECT * FROM wall_tokens WHERE id = $1', [wall.id]);
		expect(row!.token_sha256).toBe(sha256(token));
		expect(JSON.stringify(row)).not.toContain(token.slice(4));
		expect(row!.last_used_at).toBeNull();
		expect(await resolveWallToken(t.db, token, '10.3.0.1', T0)).toEqual({ kind: 'wall', tokenId: wall.id, name: `大厅-${kind}`, region: 440300 });
		const [used] = await listWallTokens(t.db).then((l) => l.filter((w) => w.id === wall.id));
		expect(used!.lastUsedAt?.getTime()).toBe(T0.getTime());
		expect(used!.lastUsedFrom).toBe('10.3.0.1');
		await expect(issueWallToken(t.db, { name: `大厅-${kind}`, adcode: 440300, createdBy: 'admin' })).rejects.toThrow(WallTokenError);
		await revokeWallToken(t.db, `大厅-${kind}`);
		expect(await resolveWallToken(t.db, token, '10.3.0.1', at(1))).toBeUndefined();
		expect(await resolveSession(t.db, token, limits, T0)).toBeUndefined();
		// The name may be issued again, with a new token; the old one stays dead.
		const again = await issueWallToken(t.db, { name: `大厅-${kind}`, adcode: 440300, createdBy: 'admin' });
		expect(again.token).not.toBe(token);
		expect(await resolveWallToken(t.db, token, null, at(2))).toBeUndefined();
		await expect(issueWallToken(t.db, { name: 'x', adcode: 123, createdBy: 'admin' })).rejects.toThrow(/region code/);
	});

	it('tianshu user and tianshu wall: add with the password on stdin, list, disable, reset, set; issue, list, revoke', { timeout: 120_000 }, async () => {
		const cli = (args: string[], input = '') => {
			const r = spawnSync(process.execPath, [tianshuBin, ...args], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: t.url }, input, encoding: 'utf8' });
			return { code: r.status, stdout: r.stdout, stderr: r.stderr };
		};
		const name = `cli-${kind}`;
		const add = cli(['user', 'add', name, '--role', 'analyst', '--region', '440300,440100'], 'Cli-password-2026\n');
		expect(add.code, add.stderr).toBe(0);
		// The line break that ends the piped password is not part of it.
		expect((await signIn(t.db, { username: name, password: 'Cli-password-2026', address: '10.5.0.1' }, limits, T0)).ok).toBe(true);
		expect(cli(['user', 'add', 'weak-one', '--role', 'analyst', '--region', '440300'], 'short').stderr).toMatch(/至少 10/);
		expect(cli(['user', 'add', 'x', '--role', 'king', '--region', '440300'], 'Long-enough-1').code).toBe(1);
		expect(cli(['user', 'list']).stdout).toMatch(new RegExp(`${name}\\s+analyst\\s+440100,440300\\s+active`));
		expect(cli(['user', 'disable', name]).code).toBe(0);
		expect(cli(['user', 'list']).stdout).toMatch(new RegExp(`${name}\\s+analyst\\s+440100,440300\\s+disabled`));
		expect(cli(['user', 'enable', name]).code).toBe(0);
		const reset = cli(['user', 'reset', name]);
		// Standard output holds the one-time password alone.
		expect(reset.stdout).toMatch(/^[A-Za-z0-9_-]{20}\n$/);
		expect((await signIn(t.db, { username: name, password: reset.stdout.trim(), address: '10.5.0.1' }, limits, T0)).ok).toBe(true);
		expect(cli(['user', 'set', name, '--role', 'leader', '--region', '440000']).code).toBe(0);
		expect(cli(['user', 'list']).stdout).toMatch(new RegExp(`${name}\\s+leader\\s+440000\\s+must change password`));
		const issued = cli(['wall', 'issue', '--name', `cli-wall-${kind}`, '--region', '440300']);
		expect(issued.stdout).toMatch(/^tsw_[A-Za-z0-9_-]{43}\n$/);
		expect(cli(['wall', 'list']).stdout).toMatch(new RegExp(`cli-wall-${kind}\\s+440300\\s+issued .*never used\\s+active`));
		expect(cli(['wall', 'revoke', `cli-wall-${kind}`]).code).toBe(0);
		expect(await resolveWallToken(t.db, issued.stdout.trim(), null, at(10))).toBeUndefined();
		// Every change is on record in the audit log.
		const audit = await t.db.query<{ action: string }>("SELECT action FROM audit_log WHERE detail->>'via' = 'cli' ORDER BY id");
		expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user_change', 'role_change', 'region_change', 'wall_token_change']));
	});
});
