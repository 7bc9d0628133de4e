/**
 * An open live stream ends when its caller is no longer let in: real sessions and
 * wall tokens in PGlite, the door's own check (admittedAgain), and the cockpit's
 * stream on real chDB. Before, a revoked user's wall kept receiving data until
 * someone reloaded it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../src/lib/server/api/root.ts';
import { watermarkOf } from '../../src/lib/server/api/server-context.ts';
import { admittedAgain, principalFrom, sameCaller } from '../../src/lib/server/auth/door.ts';
import { authLimits } from '../../src/lib/server/auth/limits.ts';
import { scopeOf, type Principal } from '../../src/lib/server/auth/principal.ts';
import { endSession, SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';
import { setRole } from '../../src/lib/server/auth/users.ts';
import { issueWallToken, revokeWallToken } from '../../src/lib/server/auth/wall-tokens.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import { startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { createTestUser, sessionCookie } from '../helpers/auth.ts';
import { ingestDatabase } from '../helpers/ingest.ts';

const ADDRESS = '127.0.0.1';
const limits = authLimits({});
let app: TestAppDb;
let db: Awaited<ReturnType<typeof ingestDatabase>>;

beforeAll(async () => {
	[db, app] = await Promise.all([ingestDatabase('admission'), startAppDb('pglite')]);
}, 180_000);
afterAll(async () => {
	await app?.stop();
	await db?.drop();
});

const tokenOf = (cookie: string) => cookie.slice(SESSION_COOKIE.length + 1);

async function signedIn(role: 'leader' | 'analyst', regions: number[]) {
	const user = await createTestUser(app.db, role, regions);
	const cookies = { session: tokenOf(await sessionCookie(app.db, user)) };
	const principal = (await principalFrom(app.db, cookies, ADDRESS, limits)) as Principal;
	expect(principal).toMatchObject({ kind: 'user', name: user.name, role });
	return {
		user,
		cookies,
		principal,
		admitted: admittedAgain(
			() => app.db,
			cookies,
			ADDRESS,
			() => limits,
			principal
		)
	};
}

describe('admittedAgain: the door asked again with the request’s own cookies', () => {
	it('says yes while the session lasts, no once it is signed out', async () => {
		const s = await signedIn('analyst', [440100]);
		expect(await s.admitted()).toBe(true);
		await endSession(app.db, s.cookies.session);
		expect(await s.admitted()).toBe(false);
	});

	it('says no once the role changes (every session of the user is revoked), and a new sign-in is another caller', async () => {
		const s = await signedIn('analyst', [440100]);
		await setRole(app.db, s.user.name, 'leader');
		expect(await s.admitted()).toBe(false);
		const again = tokenOf(await sessionCookie(app.db, s.user));
		const now = (await principalFrom(app.db, { session: again }, ADDRESS, limits)) as Principal;
		expect(now).toMatchObject({ kind: 'user', role: 'leader' });
		expect(sameCaller(now, s.principal)).toBe(false);
		expect(sameCaller(now, now)).toBe(true);
	});

	it('says no for a wall whose token is revoked', async () => {
		const name = `admission-wall-${Date.now().toString(36)}`;
		const { token } = await issueWallToken(app.db, { name, adcode: 440300, createdBy: 'test' });
		const cookies = { wall: token };
		const wall = (await principalFrom(app.db, cookies, ADDRESS, limits)) as Principal;
		expect(wall).toMatchObject({ kind: 'wall', region: 440300 });
		const admitted = admittedAgain(
			() => app.db,
			cookies,
			ADDRESS,
			() => limits,
			wall
		);
		expect(await admitted()).toBe(true);
		await revokeWallToken(app.db, name);
		// The token lookup is cached for 5 s per process (wall-tokens.ts): the revocation shows within that.
		await expect.poll(admitted, { timeout: 15_000, interval: 500 }).toBe(false);
	});
});

describe('cockpit.live ends for a caller no longer let in', () => {
	it('a leader’s open stream ends after their role is changed, within one check', { timeout: 90_000 }, async () => {
		const s = await signedIn('leader', [440000]);
		// A ceiling of a minute: the stream would send nothing more by itself, so only the check can end it.
		const hub = new LiveHub({ watermark: watermarkOf(db.warehouse), floorMs: 100, ceilingMs: 60_000 });
		try {
			const caller = createCaller({
				warehouse: db.warehouse,
				hub,
				principal: s.principal,
				scope: scopeOf(s.principal as Exclude<Principal, { kind: 'system' }>),
				admitted: s.admitted
			});
			const stream = (await caller.cockpit.live({ adcode: 440000, panels: ['kpis'] })) as AsyncIterable<[string, unknown]>;
			const it = stream[Symbol.asyncIterator]();
			expect((await it.next()).done).toBe(false);
			await setRole(app.db, s.user.name, 'analyst');
			expect(await it.next()).toMatchObject({ done: true });
			// The topic is gone with its last subscriber: nothing keeps computing for the revoked caller.
			expect(hub.activeTopics).toBe(0);
		} finally {
			hub.stop();
		}
	});
});
