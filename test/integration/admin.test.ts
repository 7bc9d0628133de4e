/**
 * /admin's actions against a real app database (PGlite, and PostgreSQL when
 * TIANSHU_TEST_PG_URL names one): each change takes effect (sessions end where
 * they must, tokens stop working), refuses bad input in Chinese, and is on record
 * in the audit log with the admin as actor. The audit export read back: the CSV
 * as text, the .xlsx with exceljs (ids as numbers), and the export itself audited.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDbKinds, startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { createTestUser } from '../helpers/auth.ts';
import { listAudit, recordAudit } from '../../src/lib/server/audit/audit.ts';
import { authLimits } from '../../src/lib/server/auth/limits.ts';
import { clearSessionCache, resolveSession } from '../../src/lib/server/auth/sessions.ts';
import { signIn } from '../../src/lib/server/auth/sign-in.ts';
import { resolveWallToken } from '../../src/lib/server/auth/wall-tokens.ts';
import {
	AdminError,
	adminAddUser,
	adminIssueWall,
	adminResetPassword,
	adminRevokeSession,
	adminRevokeWall,
	adminSetDisabled,
	adminSetRegions,
	adminSetRole,
	usersOverview,
	type AdminPrincipal
} from '../../src/lib/server/admin/accounts.ts';
import { AddUserForm, AuditQuery, IssueWallForm, parseFields } from '../../src/lib/server/admin/forms.ts';
import { exportAudit } from '../../src/lib/server/admin/audit-export.ts';

const limits = authLimits({});
const at = { address: '10.1.2.3', requestId: 'req-admin-test' };

describe.each(appDbKinds)('/admin actions on %s', (kind) => {
	let t: TestAppDb;
	let admin: AdminPrincipal;
	beforeAll(async () => {
		t = await startAppDb(kind);
		const u = await createTestUser(t.db, 'admin', [0], 'chief-admin');
		const r = await signIn(t.db, { username: u.name, password: u.password, address: '127.0.0.1' }, limits);
		if (!r.ok) throw new Error(r.message);
		const p = await resolveSession(t.db, r.token, limits);
		if (p?.kind !== 'user') throw new Error('no admin principal');
		admin = p;
	}, 120_000);
	afterAll(async () => {
		await t?.stop();
	});

	/** The newest audit entry of an action. */
	const latest = async (action: 'user_change' | 'role_change' | 'region_change' | 'session_revoke' | 'wall_token_change' | 'export') =>
		(await listAudit(t.db, { actions: [action] }, { limit: 1 })).entries[0]!;
	const session = async (name: string, password: string) => {
		const r = await signIn(t.db, { username: name, password, address: '10.0.0.5' }, limits);
		if (!r.ok) throw new Error(r.message);
		return r.token;
	};
	const stillSignedIn = async (token: string) => {
		clearSessionCache();
		return (await resolveSession(t.db, token, limits)) !== undefined;
	};

	it('adds a user with a one-time password that must be changed, on record with the admin as actor', async () => {
		const form = new FormData();
		form.set('name', 'wang.wu');
		form.set('role', 'analyst');
		form.set('regions', '440300，440100 440300');
		const input = parseFields(AddUserForm, form);
		expect(input).toEqual({ ok: true, data: { name: 'wang.wu', role: 'analyst', regions: [440300, 440100] } });
		const { user, password } = await adminAddUser(t.db, admin, input.ok ? input.data : (undefined as never), at);
		expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
		expect(user).toMatchObject({ name: 'wang.wu', role: 'analyst', mustChangePassword: true, regions: [440100, 440300] });
		const r = await signIn(t.db, { username: 'wang.wu', password, address: '10.0.0.5' }, limits);
		expect(r).toMatchObject({ ok: true, user: { mustChangePassword: true } });
		const entry = await latest('user_change');
		expect(entry).toMatchObject({
			actor: { kind: 'user', id: String(admin.userId), name: 'chief-admin' },
			address: '10.1.2.3',
			requestId: 'req-admin-test',
			detail: { change: 'add', user: 'wang.wu', role: 'analyst', regions: [440100, 440300], via: 'admin' },
			regions: [440100, 440300]
		});
		expect(JSON.stringify(entry)).not.toContain(password);
		await expect(adminAddUser(t.db, admin, { name: 'wang.wu', role: 'leader', regions: [0] }, at)).rejects.toThrow(new AdminError('该用户名已存在'));
	});

	it('refuses bad form input in Chinese, naming what is wrong', () => {
		const bad = (fields: Record<string, string>) => {
			const r = parseFields(AddUserForm, new URLSearchParams(fields));
			return r.ok ? 'accepted' : r.message;
		};
		expect(bad({ name: 'x y', role: 'analyst', regions: '440300' })).toMatch(/^用户名只能包含/);
		expect(bad({ name: 'ok', role: 'root', regions: '440300' })).toBe('角色无效');
		expect(bad({ name: 'ok', role: 'analyst', regions: '4403' })).toBe('“4403”不是区域代码（0 表示全国，或六位行政区划代码）');
		expect(bad({ name: 'ok', role: 'analyst', regions: '' })).toBe('请填写至少一个区域代码');
		const wall = parseFields(IssueWallForm, new URLSearchParams({ name: '指挥大厅', region: '999999' }));
		expect(wall.ok).toBe(false);
		const q = parseFields(AuditQuery, new URLSearchParams({ from: '2026-03-02T10:00', to: '2026-03-02T09:00' }));
		expect(q).toEqual({ ok: false, message: '开始时间须早于结束时间' });
		// Beijing 10:00 is 02:00 UTC.
		const ok = parseFields(AuditQuery, new URLSearchParams({ from: '2026-03-02 10:00', user: '', action: 'export' }));
		expect(parseFields(AuditQuery, new URLSearchParams({ to: '2026-02-30' }))).toEqual({ ok: false, message: '“2026-02-30”不是有效时间' });
		expect(parseFields(AuditQuery, new URLSearchParams({ to: '2026-03-02' }))).toEqual({ ok: true, data: { to: new Date('2026-03-01T16:00:00Z') } });
		expect(ok).toEqual({ ok: true, data: { from: new Date('2026-03-02T02:00:00Z'), action: 'export' } });
	});

	it('changes a role and regions, each ending the user’s sessions, with before and after on record', async () => {
		const u = await createTestUser(t.db, 'leader', [440300]);
		const token = await session(u.name, u.password);
		expect(await stillSignedIn(token)).toBe(true);
		await adminSetRole(t.db, admin, u.name, 'analyst', at);
		expect(await stillSignedIn(token)).toBe(false);
		expect(await latest('role_change')).toMatchObject({ detail: { user: u.name, from: 'leader', to: 'analyst' }, regions: [440300] });

		const token2 = await session(u.name, u.password);
		await adminSetRegions(t.db, admin, u.name, [440100, 440600], at);
		expect(await stillSignedIn(token2)).toBe(false);
		expect(await latest('region_change')).toMatchObject({ detail: { user: u.name, from: [440300], to: [440100, 440600] }, regions: [440100, 440300, 440600] });
		const listed = (await usersOverview(t.db)).find((x) => x.name === u.name)!;
		expect(listed).toMatchObject({ role: 'analyst', regions: [440100, 440600], disabledAt: null });
		// The last sign-in comes from the audit log's sign_in entries (none recorded by signIn itself here).
		expect(listed.lastSignIn).toBeNull();
	});

	it('disables (sessions end, sign-in refused) and enables; resets a password (the old one stops working)', async () => {
		const u = await createTestUser(t.db, 'evaluator', [440300]);
		const token = await session(u.name, u.password);
		await adminSetDisabled(t.db, admin, u.name, true, at);
		expect(await stillSignedIn(token)).toBe(false);
		expect((await signIn(t.db, { username: u.name, password: u.password, address: '10.0.0.6' }, limits)).ok).toBe(false);
		expect(await latest('user_change')).toMatchObject({ detail: { change: 'disable', user: u.name } });
		await adminSetDisabled(t.db, admin, u.name, false, at);
		expect(await latest('user_change')).toMatchObject({ detail: { change: 'enable', user: u.name } });
		const { password } = await adminResetPassword(t.db, admin, u.name, at);
		expect((await signIn(t.db, { username: u.name, password: u.password, address: '10.0.0.6' }, limits)).ok).toBe(false);
		expect(await signIn(t.db, { username: u.name, password, address: '10.0.0.6' }, limits)).toMatchObject({ ok: true, user: { mustChangePassword: true } });
		expect(await latest('user_change')).toMatchObject({ detail: { change: 'reset_password', user: u.name } });
	});

	it('refuses an admin’s changes of their own account and changes of unknown users', async () => {
		for (const change of [
			() => adminSetDisabled(t.db, admin, 'chief-admin', true, at),
			() => adminSetRole(t.db, admin, 'chief-admin', 'leader', at),
			() => adminSetRegions(t.db, admin, 'chief-admin', [440300], at),
			() => adminResetPassword(t.db, admin, 'chief-admin', at)
		])
			await expect(change()).rejects.toThrow(/^不能在此修改自己的账号/);
		await expect(adminSetDisabled(t.db, admin, 'ghost', true, at)).rejects.toThrow(new AdminError('没有该用户'));
		await expect(adminSetRole(t.db, admin, 'ghost', 'leader', at)).rejects.toThrow(new AdminError('没有该用户'));
	});

	it('ends one session of a user, leaving the others', async () => {
		const u = await createTestUser(t.db, 'analyst', [440300]);
		const a = await session(u.name, u.password);
		const b = await session(u.name, u.password);
		const listed = (await usersOverview(t.db)).find((x) => x.name === u.name)!;
		expect(listed.sessions).toHaveLength(2);
		const newest = listed.sessions[0]!.id;
		await adminRevokeSession(t.db, admin, newest, at);
		expect([await stillSignedIn(a), await stillSignedIn(b)]).toEqual([true, false]);
		expect(await latest('session_revoke')).toMatchObject({ detail: { sessionId: newest, user: u.name } });
		await expect(adminRevokeSession(t.db, admin, newest, at)).rejects.toThrow(new AdminError('该会话不存在或已结束'));
	});

	it('issues a wall token for a region (it opens that region only) and revokes it', async () => {
		const { token, wall } = await adminIssueWall(t.db, admin, { name: '指挥大厅-主屏', region: 440300 }, at);
		expect(wall).toMatchObject({ name: '指挥大厅-主屏', adcode: 440300, createdBy: 'chief-admin' });
		expect(await resolveWallToken(t.db, token, '10.9.9.9')).toMatchObject({ kind: 'wall', region: 440300 });
		expect(await latest('wall_token_change')).toMatchObject({ detail: { change: 'issue', wall: '指挥大厅-主屏' }, regions: [440300] });
		expect(JSON.stringify(await latest('wall_token_change'))).not.toContain(token);
		await expect(adminIssueWall(t.db, admin, { name: '指挥大厅-主屏', region: 440100 }, at)).rejects.toThrow(
			new AdminError('同名的有效大屏令牌已存在（请先撤销）')
		);
		await adminRevokeWall(t.db, admin, '指挥大厅-主屏', at);
		expect(await resolveWallToken(t.db, token, '10.9.9.9')).toBeUndefined();
		expect(await latest('wall_token_change')).toMatchObject({ detail: { change: 'revoke', wall: '指挥大厅-主屏' } });
		await expect(adminRevokeWall(t.db, admin, '指挥大厅-主屏', at)).rejects.toThrow(new AdminError('没有该名称的有效大屏令牌'));
	});

	it('exports the filtered audit log as CSV and Excel (read back), each export itself on record', async () => {
		// Three entries of one actor, one of them in 440300; written here, so the expected rows are these.
		const written = [];
		for (const [i, regions] of [[440300], [330100], []].entries())
			written.push(
				await recordAudit(t.db, { actor: { kind: 'user', id: 99, name: 'exported-one' }, action: 'export', detail: { n: i, note: '=1+2' }, regions })
			);
		const query = (fields: Record<string, string>) => {
			const r = parseFields(AuditQuery, new URLSearchParams(fields));
			if (!r.ok) throw new Error(r.message);
			return r.data;
		};

		const csv = await exportAudit(t.db, admin, query({ user: 'exported-one' }), 'csv', at);
		expect(csv.rows).toBe(3);
		const lines = String(csv.body)
			.replace(/^\uFEFF/, '')
			.trimEnd()
			.split('\r\n');
		expect(lines[0]).toBe('编号,时间（北京时间）,操作者类型,操作者,来源地址,动作,涉及区域,详情,请求编号');
		expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(written.map((w) => w.id).reverse());
		expect(lines[3]).toContain(',用户,exported-one,,数据导出,440300,');
		let entry = await latest('export');
		expect(entry).toMatchObject({ actor: { name: 'chief-admin' }, detail: { what: 'audit_log', format: 'csv', rows: 3, filter: { user: 'exported-one' } } });

		const xlsx = await exportAudit(t.db, admin, query({ user: 'exported-one', region: '440300' }), 'xlsx', at);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
		const ws = wb.getWorksheet('审计日志')!;
		expect(ws.rowCount).toBe(2);
		const row = ws.getRow(2);
		expect(row.getCell(1).value).toBe(Number(written[0]!.id));
		expect(typeof row.getCell(1).value).toBe('number');
		// The time cell is the Beijing wall-clock time of the entry.
		expect((row.getCell(2).value as Date).getTime()).toBe(written[0]!.at.getTime() - (written[0]!.at.getTime() % 1000) + 8 * 3600_000);
		expect(row.getCell(6).value).toBe('数据导出');
		expect(row.getCell(7).value).toBe('440300');
		expect(String(row.getCell(8).value)).toBe(`{"n":0,"note":"=1+2"}`);
		// Newest first by number across the 9 → 10 → 100 boundaries, over every page (ids are sent as text).
		const ids: number[] = [];
		for (let cursor: string | undefined, page; (page = await listAudit(t.db, {}, { limit: 7, ...(cursor ? { cursor } : {}) })); cursor = page.next) {
			ids.push(...page.entries.map((e) => Number(e.id)));
			if (!page.next) break;
		}
		expect(ids.length).toBeGreaterThan(10);
		expect(ids).toEqual([...ids].sort((a, b) => b - a));
		expect(new Set(ids).size).toBe(ids.length);
		entry = await latest('export');
		expect(entry).toMatchObject({ detail: { format: 'xlsx', rows: 1, filter: { user: 'exported-one', region: 440300 } }, regions: [440300] });
	});
});
