/**
 * The audit log against the embedded PGlite and, when TIANSHU_TEST_PG_URL names
 * one, a real PostgreSQL server: entries as written, filters and keyset pages,
 * refusals of bad entries, and the table's refusal of UPDATE, DELETE and TRUNCATE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDbKinds, startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { AuditError, listAudit, recordAudit } from '../../src/lib/server/audit/audit.ts';
import { sqlState } from '../../src/lib/server/appdb/client.ts';

describe.each(appDbKinds)('the audit log on %s', (kind) => {
	let t: TestAppDb;
	const ids: string[] = [];
	beforeAll(async () => {
		t = await startAppDb(kind);
		// Six entries, oldest first.
		const entries = [
			{ actor: { kind: 'system' as const }, action: 'user_change' as const, detail: { created: 'admin' } },
			{ actor: { kind: 'user' as const, name: 'nobody' }, action: 'sign_in_failed' as const, address: '10.0.0.9' },
			{ actor: { kind: 'user' as const, id: 7, name: 'zhang' }, action: 'sign_in' as const, address: '10.0.0.1', requestId: 'abc123' },
			{
				actor: { kind: 'user' as const, id: 7, name: 'zhang' },
				action: 'export' as const,
				address: '10.0.0.1',
				detail: { rows: 42 },
				regions: [440300, 440100, 440300]
			},
			{ actor: { kind: 'wall_token' as const, id: 3, name: '深圳指挥中心' }, action: 'detail_view' as const, address: '10.0.0.2', regions: [440300] },
			{ actor: { kind: 'user' as const, id: 8, name: 'li' }, action: 'export' as const, address: '10.0.0.3', regions: [330100] }
		];
		for (const e of entries) ids.push((await recordAudit(t.db, e)).id);
	}, 120_000);
	afterAll(async () => {
		await t?.stop();
	});

	it('keeps each entry as written: who, from where, what, which regions (sorted, once each)', async () => {
		const rows = await t.db.query<Record<string, unknown>>(
			'SELECT actor_kind, actor_id::text AS actor_id, actor_name, address, action, detail, regions, request_id FROM audit_log WHERE id = $1',
			[ids[3]]
		);
		expect(rows).toEqual([
			{
				actor_kind: 'user',
				actor_id: '7',
				actor_name: 'zhang',
				address: '10.0.0.1',
				action: 'export',
				detail: { rows: 42 },
				regions: [440100, 440300],
				request_id: null
			}
		]);
		const [system] = await t.db.query<Record<string, unknown>>('SELECT actor_kind, actor_id, actor_name, address, detail FROM audit_log WHERE id = $1', [
			ids[0]
		]);
		expect(system).toEqual({ actor_kind: 'system', actor_id: null, actor_name: 'system', address: null, detail: { created: 'admin' } });
		const [unknownUser] = await t.db.query<Record<string, unknown>>('SELECT actor_kind, actor_id, actor_name FROM audit_log WHERE id = $1', [ids[1]]);
		expect(unknownUser).toEqual({ actor_kind: 'user', actor_id: null, actor_name: 'nobody' });
	});

	it('lists newest first, with the time the database stamped', async () => {
		const { entries, next } = await listAudit(t.db);
		expect(entries.map((e) => e.id)).toEqual([...ids].reverse());
		expect(next).toBeNull();
		const times = entries.map((e) => e.at.getTime());
		expect(times).toEqual([...times].sort((a, b) => b - a));
		expect(Math.abs(times[0]! - Date.now())).toBeLessThan(10 * 60_000);
		expect(entries[1]).toMatchObject({ actor: { kind: 'wall_token', id: '3', name: '深圳指挥中心' }, action: 'detail_view', regions: [440300] });
		expect(entries[3]).toMatchObject({ actor: { kind: 'user', id: '7', name: 'zhang' }, action: 'sign_in', requestId: 'abc123' });
	});

	it('filters by action, actor, address and region', async () => {
		const idsOf = async (filter: Parameters<typeof listAudit>[1]) => (await listAudit(t.db, filter)).entries.map((e) => e.id);
		expect(await idsOf({ actions: ['export'] })).toEqual([ids[5], ids[3]]);
		expect(await idsOf({ actions: ['sign_in', 'sign_in_failed'] })).toEqual([ids[2], ids[1]]);
		expect(await idsOf({ actorName: 'zhang' })).toEqual([ids[3], ids[2]]);
		expect(await idsOf({ address: '10.0.0.2' })).toEqual([ids[4]]);
		expect(await idsOf({ regions: [440300] })).toEqual([ids[4], ids[3]]);
		expect(await idsOf({ regions: [440100, 330100] })).toEqual([ids[5], ids[3]]);
		expect(await idsOf({ actions: ['export'], actorName: 'li' })).toEqual([ids[5]]);
		expect(await idsOf({ actions: ['lockout'] })).toEqual([]);
	});

	it('filters by time: from inclusive, to exclusive', async () => {
		const all = (await listAudit(t.db)).entries;
		const third = all.find((e) => e.id === ids[2])!.at;
		const before = await listAudit(t.db, { to: third });
		expect(before.entries.every((e) => e.at < third)).toBe(true);
		expect(before.entries.map((e) => e.id)).not.toContain(ids[2]);
		const after = await listAudit(t.db, { from: third });
		expect(after.entries.map((e) => e.id)).toContain(ids[2]);
		expect(after.entries.every((e) => e.at >= third)).toBe(true);
		expect(before.entries.length + after.entries.length).toBe(ids.length);
	});

	it('pages by keyset: every entry once, in order, and the last page says so', async () => {
		const seen: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		for (;;) {
			const page = await listAudit(t.db, {}, { cursor, limit: 4 });
			pages++;
			seen.push(...page.entries.map((e) => e.id));
			if (!page.next) break;
			cursor = page.next;
		}
		expect(pages).toBe(2);
		expect(seen).toEqual([...ids].reverse());
		// An entry written between pages lands before the first page, not inside a later one.
		const first = await listAudit(t.db, {}, { limit: 3 });
		await recordAudit(t.db, { actor: { kind: 'system' }, action: 'source_change' });
		const second = await listAudit(t.db, {}, { cursor: first.next!, limit: 3 });
		expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual([...ids].reverse());
	});

	it('refuses an invalid entry, filter or page in Chinese and writes nothing', async () => {
		const count = async () => Number((await t.db.one<{ n: string }>('SELECT count(*)::text AS n FROM audit_log'))!.n);
		const before = await count();
		const bad: unknown[] = [
			{ actor: { kind: 'system' }, action: 'drop_everything' },
			{ actor: { kind: 'user', name: '' }, action: 'sign_in' },
			{ actor: { kind: 'wall_token', name: 'wall' }, action: 'detail_view' },
			{ actor: { kind: 'robot', name: 'x' }, action: 'sign_in' },
			{ actor: { kind: 'system' }, action: 'export', regions: [123] },
			{ actor: { kind: 'system' }, action: 'export', detail: { blob: 'x'.repeat(9000) } },
			{ actor: { kind: 'system' }, action: 'export', address: 'a'.repeat(101) }
		];
		for (const entry of bad) await expect(recordAudit(t.db, entry as never)).rejects.toThrow(AuditError);
		await expect(recordAudit(t.db, bad[0] as never)).rejects.toThrow(/审计记录无效：action: 未知的审计动作/);
		expect(await count()).toBe(before);
		await expect(listAudit(t.db, {}, { cursor: '0' })).rejects.toThrow(/分页游标无效/);
		await expect(listAudit(t.db, {}, { cursor: '1; DROP TABLE audit_log' })).rejects.toThrow(AuditError);
		await expect(listAudit(t.db, {}, { limit: 501 })).rejects.toThrow(AuditError);
		await expect(listAudit(t.db, { from: new Date(2025, 1, 2), to: new Date(2025, 1, 1) })).rejects.toThrow(/开始时间须早于结束时间/);
		await expect(listAudit(t.db, { actions: ['nope' as never] })).rejects.toThrow(AuditError);
	});

	it('is append-only: UPDATE, DELETE and TRUNCATE are refused, for the owner too', async () => {
		const state = async (sql: string) => {
			try {
				await t.db.query(sql);
				return 'done';
			} catch (e) {
				return sqlState(e);
			}
		};
		expect(await state("UPDATE audit_log SET actor_name = 'someone else'")).toBe('42501');
		expect(await state('DELETE FROM audit_log')).toBe('42501');
		expect(await state('TRUNCATE audit_log')).toBe('42501');
		// Inside a transaction too (a rollback would otherwise be the only trace).
		await expect(t.db.transaction((tx) => tx.query('DELETE FROM audit_log WHERE id = $1', [ids[0]]))).rejects.toThrow(/append-only: DELETE refused/);
		const { entries } = await listAudit(t.db);
		expect(entries.map((e) => e.actor.name)).not.toContain('someone else');
		expect(entries.map((e) => e.id)).toEqual(expect.arrayContaining(ids));
	});

	it('shares a transaction with the change it records: both or neither', async () => {
		await expect(
			t.db.transaction(async (tx) => {
				await recordAudit(tx, { actor: { kind: 'user', id: 1, name: 'admin' }, action: 'role_change', detail: { user: 'zhang', to: 'analyst' } });
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		expect((await listAudit(t.db, { actions: ['role_change'] })).entries).toEqual([]);
	});
});
