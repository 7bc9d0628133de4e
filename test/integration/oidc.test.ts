/**
 * 统一身份认证 against a REAL OpenID Connect provider (`oidc-provider`, started
 * here on a free port, its own sign-in and consent pages), not a mock: the whole
 * redirect flow over HTTP — Tianshu's two legs behind a node:http server as the
 * /login/oidc routes run them, a client with a cookie jar following every
 * redirect and submitting the provider's forms — into a real app database.
 * Accounts come from the claims: role and regions validated, no role → no sign-in,
 * a changed grant applies at the next sign-in, a local account is never taken over,
 * and a callback that does not match what was started is refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppDb, type TestAppDb } from '../helpers/appdb.ts';
import { createTestUser } from '../helpers/auth.ts';
import { listAudit } from '../../src/lib/server/audit/audit.ts';
import { authLimits } from '../../src/lib/server/auth/limits.ts';
import { accountFromClaims, beginOidcSignIn, completeOidcSignIn, OIDC_COOKIE, oidcSettings, type OidcSettings } from '../../src/lib/server/auth/oidc.ts';
import { clearSessionCache, resolveSession, SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';
import { ConfigError } from '../../src/lib/server/config.ts';

const limits = authLimits({});
/** What the provider knows of each person: the province's grants, in its own words for the role. */
const people: Record<string, Record<string, unknown>> = {
	zhang: { preferred_username: 'zhang.wei', tianshu_role: '分析员', tianshu_regions: ['440300', '440100'] },
	li: { preferred_username: 'li.na', tianshu_role: 'leader', tianshu_regions: '440000' },
	nobody: { preferred_username: 'wu.ming', tianshu_regions: ['440300'] },
	taken: { preferred_username: 'local.one', tianshu_role: 'admin', tianshu_regions: [0] }
};

let appdb: TestAppDb;
let provider: Server;
let app: Server;
let settings: OidcSettings;

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
	appdb = await startAppDb('pglite');
	app = createServer();
	const appPort = await listen(app);
	provider = createServer();
	const issuerPort = await listen(provider);
	const issuer = `http://127.0.0.1:${issuerPort}`;
	const oidc = new Provider(issuer, {
		clients: [
			{
				client_id: 'tianshu',
				client_secret: 'a-client-secret-of-the-province',
				redirect_uris: [`http://127.0.0.1:${appPort}/login/oidc/callback`],
				grant_types: ['authorization_code'],
				response_types: ['code']
			}
		],
		claims: { openid: ['sub'], profile: ['preferred_username'], tianshu: ['tianshu_role', 'tianshu_regions'] },
		scopes: ['openid', 'profile', 'tianshu'],
		findAccount: (_ctx, id) => (Object.hasOwn(people, id) ? { accountId: id, claims: () => ({ sub: id, ...people[id] }) } : undefined),
		cookies: { keys: ['a-test-cookie-key'] },
		pkce: { required: () => true }
	});
	provider.on('request', oidc.callback());
	settings = oidcSettings({
		TIANSHU_OIDC_ISSUER: issuer,
		TIANSHU_OIDC_CLIENT_ID: 'tianshu',
		TIANSHU_OIDC_CLIENT_SECRET: 'a-client-secret-of-the-province',
		TIANSHU_OIDC_REDIRECT_URI: `http://127.0.0.1:${appPort}/login/oidc/callback`,
		TIANSHU_OIDC_SCOPES: 'openid profile tianshu',
		TIANSHU_OIDC_ROLE_MAP: '{"分析员":"analyst","领导":"leader"}'
	})!;
	// Tianshu's two legs, as src/routes/login/oidc/** runs them.
	app.on('request', (req, res) => {
		const url = new URL(req.url!, `http://127.0.0.1:${appPort}`);
		const cookie = /(?:^|; )tianshu_oidc=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
		const run = async () => {
			if (url.pathname === '/login/oidc') {
				const { url: to, pending } = await beginOidcSignIn(settings, url.searchParams.get('next'));
				res.writeHead(303, { location: to.href, 'set-cookie': `${OIDC_COOKIE}=${pending}; Path=/login/oidc; HttpOnly; SameSite=Lax` }).end();
			} else if (url.pathname === '/login/oidc/callback') {
				const r = await completeOidcSignIn(appdb.db, settings, url, cookie, { address: '127.0.0.1' }, limits);
				if (r.ok) res.writeHead(303, { location: r.next, 'set-cookie': `${SESSION_COOKIE}=${r.token}; Path=/; HttpOnly` }).end();
				else res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8' }).end(r.message);
			} else res.writeHead(404).end();
		};
		run().catch((e: unknown) => res.writeHead(500).end(String(e)));
	});
}, 120_000);

afterAll(async () => {
	provider?.close();
	app?.close();
	await appdb?.stop();
});

/** A browser, minus the rendering: a cookie jar (hosts share cookies across ports, as browsers do), redirects followed, the provider's forms submitted. */
async function signInAs(person: string, next = '/cockpit', tamper?: (callback: URL) => URL) {
	const jar = new Map<string, string>();
	const send = async (url: URL, init: RequestInit = {}) => {
		const res = await fetch(url, {
			...init,
			redirect: 'manual',
			headers: { ...(init.headers as object), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }
		});
		for (const c of res.headers.getSetCookie()) {
			const [pair] = c.split(';');
			const i = pair!.indexOf('=');
			const [name, value] = [pair!.slice(0, i).trim(), pair!.slice(i + 1)];
			if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
			else jar.set(name, value);
		}
		return res;
	};
	const appBase = new URL(settings.redirectUri.origin);
	let url = new URL(`/login/oidc?next=${encodeURIComponent(next)}`, appBase);
	for (let step = 0; step < 20; step++) {
		const callback = url.pathname === '/login/oidc/callback';
		const res = await send(callback && tamper ? tamper(url) : url);
		if (res.status === 303 || res.status === 302) {
			const to = new URL(res.headers.get('location')!, url);
			if (url.pathname === '/login/oidc/callback') return { status: res.status, location: to.pathname + to.search, session: jar.get(SESSION_COOKIE) };
			url = to;
			continue;
		}
		const body = await res.text();
		if (callback) return { status: res.status, body };
		// The provider's own pages: its sign-in form, then its consent form.
		const prompt = /name="prompt" value="(login|consent)"/.exec(body)?.[1];
		if (!prompt) throw new Error(`unexpected page ${url.href} (${res.status}): ${body.slice(0, 300)}`);
		const action = new URL(/<form[^>]*action="([^"]+)"/.exec(body)![1]!.replaceAll('&amp;', '&'), url);
		const form = new URLSearchParams(prompt === 'login' ? { prompt, login: person, password: 'whatever-the-province-checks' } : { prompt });
		const posted = await send(action, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
		expect([302, 303]).toContain(posted.status);
		url = new URL(posted.headers.get('location')!, action);
	}
	throw new Error('too many redirects');
}

describe('统一身份认证 through a real OpenID Connect provider', () => {
	it('signs a person in: code flow with PKCE, state and nonce; the account from the claims (role mapped, regions), back to the page asked for', async () => {
		const r = await signInAs('zhang', '/cockpit?adcode=440300');
		expect(r).toMatchObject({ status: 303, location: '/cockpit?adcode=440300' });
		clearSessionCache();
		const p = await resolveSession(appdb.db, r.session, limits);
		expect(p).toMatchObject({ kind: 'user', name: 'sso.zhang.wei', role: 'analyst', regions: [440100, 440300], mustChangePassword: false });
		const rows = await appdb.db.query<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE name = $1', ['sso.zhang.wei']);
		expect(rows).toEqual([{ password_hash: null }]);
		const signIns = await listAudit(appdb.db, { actions: ['sign_in'], actorName: 'sso.zhang.wei' });
		expect(signIns.entries).toHaveLength(1);
		expect(signIns.entries[0]).toMatchObject({ detail: { via: 'oidc' }, regions: [440100, 440300] });
	});

	it('applies a changed grant at the next sign-in (older sessions end) and puts the change on record', async () => {
		const first = await signInAs('li');
		clearSessionCache();
		expect(await resolveSession(appdb.db, first.session, limits)).toMatchObject({ role: 'leader', regions: [440000] });
		people.li = { ...people.li, tianshu_role: '分析员', tianshu_regions: ['440300'] };
		const second = await signInAs('li');
		clearSessionCache();
		expect(await resolveSession(appdb.db, second.session, limits)).toMatchObject({ name: 'sso.li.na', role: 'analyst', regions: [440300] });
		expect(await resolveSession(appdb.db, first.session, limits)).toBeUndefined();
		expect((await listAudit(appdb.db, { actions: ['role_change'], regions: [440300] })).entries[0]).toMatchObject({
			detail: { user: 'sso.li.na', from: 'leader', to: 'analyst', via: 'oidc' }
		});
	});

	it('refuses a person without a role (no role, no data) and one whose grant was withdrawn, in Chinese, on record', async () => {
		const r = await signInAs('nobody');
		expect(r).toMatchObject({ status: 403, body: '统一身份认证未授予您天枢的角色，无法访问数据（请联系管理员）' });
		expect(await appdb.db.query('SELECT 1 FROM users WHERE name = $1', ['sso.wu.ming'])).toEqual([]);
		expect((await listAudit(appdb.db, { actions: ['sign_in_failed'], actorName: 'sso.wu.ming' })).entries[0]).toMatchObject({
			detail: { via: 'oidc', reason: 'no_role' }
		});
		// li loses the role at the province: the next sign-in is refused and the session still open ends.
		const open = (await signInAs('li')).session;
		people.li = { preferred_username: 'li.na', tianshu_regions: ['440300'] };
		expect(await signInAs('li')).toMatchObject({ status: 403 });
		clearSessionCache();
		expect(await resolveSession(appdb.db, open, limits)).toBeUndefined();
	});

	it('never takes over a local account of the same name', async () => {
		await createTestUser(appdb.db, 'leader', [440300], 'sso.local.one');
		expect(await signInAs('taken')).toMatchObject({ status: 403, body: '该用户名已被本地账号使用，无法通过统一身份认证登录（请联系管理员）' });
		const [row] = await appdb.db.query<{ role: string }>('SELECT role FROM users WHERE name = $1', ['sso.local.one']);
		expect(row!.role).toBe('leader');
	});

	it('refuses a callback whose state was not started by this browser', async () => {
		const r = await signInAs('zhang', '/', (callback) => {
			const u = new URL(callback);
			u.searchParams.set('state', 'forged-state');
			return u;
		});
		expect(r).toMatchObject({ status: 400, body: '统一身份认证的回复未通过校验，请重新登录' });
	});
});

describe('claims and settings', () => {
	it('reads role and regions from claims, refusing what it does not understand', () => {
		const s = { ...settings, roleMap: { 分析员: 'analyst' as const } };
		expect(accountFromClaims(s, { sub: 'x', preferred_username: 'a', tianshu_role: ['其他', '分析员'], tianshu_regions: '440300,440100' })).toEqual({
			ok: true,
			name: 'sso.a',
			role: 'analyst',
			regions: [440100, 440300]
		});
		expect(accountFromClaims(s, { sub: 'x', preferred_username: 'a', tianshu_role: 'root', tianshu_regions: [440300] })).toMatchObject({
			ok: false,
			reason: 'no_role'
		});
		expect(accountFromClaims(s, { sub: 'x', preferred_username: 'a', tianshu_role: 'leader', tianshu_regions: [440300, 4403] })).toMatchObject({
			ok: false,
			reason: 'no_region'
		});
		expect(accountFromClaims(s, { sub: 'x', preferred_username: 'a', tianshu_role: 'leader', tianshu_regions: [] })).toMatchObject({
			ok: false,
			reason: 'no_region'
		});
		expect(accountFromClaims(s, { sub: 'x', preferred_username: 'a b', tianshu_role: 'leader', tianshu_regions: [0] })).toMatchObject({
			ok: false,
			reason: 'no_name'
		});
	});

	it('is off without an issuer, and an issuer without a client is a configuration error', () => {
		expect(oidcSettings({})).toBeUndefined();
		expect(() => oidcSettings({ TIANSHU_OIDC_ISSUER: 'https://idp.gd.gov.cn' })).toThrow(ConfigError);
		expect(() =>
			oidcSettings({
				TIANSHU_OIDC_ISSUER: 'https://idp.gd.gov.cn',
				TIANSHU_OIDC_CLIENT_ID: 'x',
				TIANSHU_OIDC_REDIRECT_URI: 'https://tianshu.gd.gov.cn/login/oidc/callback',
				TIANSHU_OIDC_ROLE_MAP: '{"领导":"root"}'
			})
		).toThrow(/TIANSHU_OIDC_ROLE_MAP/);
	});
});
