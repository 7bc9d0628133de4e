/**
 * 统一身份认证: sign-in through a province's OpenID Connect provider
 * (`openid-client`). Authorization code flow with PKCE (S256), state and nonce,
 * kept in a short-lived HttpOnly cookie between the two legs. The provider's
 * claims name the account (`sso.<name>`), its role and its regions, validated
 * here on every sign-in: no valid role or no valid region → no sign-in (no role
 * means no data). Accounts made this way have no password; a local account of
 * the same name is never taken over.
 */
import * as client from 'openid-client';
import { z } from 'zod';
import type { AppDb } from '../appdb/client.ts';
import { sqlState } from '../appdb/client.ts';
import { recordAudit } from '../audit/audit.ts';
import { ConfigError, processEnv, settings, type Env } from '../config.ts';
import { insertSsoUser } from '../queries/auth/oidc.ts';
import { revokeUserSessions } from '../queries/auth/sessions.ts';
import { replaceUserRegions, userByName } from '../queries/auth/users.ts';
import { Adcode } from '../../regions/index.ts';
import type { AuthLimits } from './limits.ts';
import { ROLES, type Role } from './principal.ts';
import { createSession, forgetUserSessions } from './sessions.ts';
import { MAX_REGIONS, setRegions, setRole, USER_NAME } from './users.ts';

export const OIDC_COOKIE = 'tianshu_oidc';
/** How long the provider may take to send the browser back (the pending cookie's life). */
export const PENDING_SECONDS = 600;
/** Accounts from the provider are named with this prefix, apart from local ones. */
export const SSO_PREFIX = 'sso.';

export interface OidcSettings {
	issuer: URL;
	clientId: string;
	clientSecret: string | undefined;
	redirectUri: URL;
	scopes: string;
	nameClaim: string;
	roleClaim: string;
	regionsClaim: string;
	/** The provider's role value → a Tianshu role (identity for values that are Tianshu roles already). */
	roleMap: Record<string, Role>;
}

const RoleMap = z.record(z.string().max(200), z.enum(ROLES));

/** The OIDC settings, or undefined when TIANSHU_OIDC_ISSUER is unset (local accounts only). */
export function oidcSettings(env: Env = processEnv()): OidcSettings | undefined {
	const s = settings(
		[
			'TIANSHU_OIDC_ISSUER',
			'TIANSHU_OIDC_CLIENT_ID',
			'TIANSHU_OIDC_CLIENT_SECRET',
			'TIANSHU_OIDC_REDIRECT_URI',
			'TIANSHU_OIDC_SCOPES',
			'TIANSHU_OIDC_NAME_CLAIM',
			'TIANSHU_OIDC_ROLE_CLAIM',
			'TIANSHU_OIDC_ROLE_MAP',
			'TIANSHU_OIDC_REGIONS_CLAIM'
		],
		env
	);
	if (!s.TIANSHU_OIDC_ISSUER) return undefined;
	if (!s.TIANSHU_OIDC_CLIENT_ID || !s.TIANSHU_OIDC_REDIRECT_URI)
		throw new ConfigError('invalid configuration: TIANSHU_OIDC_ISSUER is set, so TIANSHU_OIDC_CLIENT_ID and TIANSHU_OIDC_REDIRECT_URI must be too');
	let roleMap: Record<string, Role> = {};
	if (s.TIANSHU_OIDC_ROLE_MAP) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(s.TIANSHU_OIDC_ROLE_MAP);
		} catch {
			throw new ConfigError('invalid configuration: TIANSHU_OIDC_ROLE_MAP: must be a JSON object, e.g. {"领导":"leader"}');
		}
		const r = RoleMap.safeParse(parsed);
		if (!r.success) throw new ConfigError(`invalid configuration: TIANSHU_OIDC_ROLE_MAP: values must be roles (${ROLES.join(', ')})`);
		roleMap = r.data;
	}
	return {
		issuer: new URL(s.TIANSHU_OIDC_ISSUER),
		clientId: s.TIANSHU_OIDC_CLIENT_ID,
		clientSecret: s.TIANSHU_OIDC_CLIENT_SECRET || undefined,
		redirectUri: new URL(s.TIANSHU_OIDC_REDIRECT_URI),
		scopes: s.TIANSHU_OIDC_SCOPES,
		nameClaim: s.TIANSHU_OIDC_NAME_CLAIM,
		roleClaim: s.TIANSHU_OIDC_ROLE_CLAIM,
		regionsClaim: s.TIANSHU_OIDC_REGIONS_CLAIM,
		roleMap
	};
}

/** Plain HTTP to the provider only on this machine (tests, a local provider); a real one is HTTPS. */
const loopback = (u: URL) => u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);

const discovered = new Map<string, Promise<client.Configuration>>();

/** The provider's configuration (discovery), read once per issuer and client; a failed read is tried again next time. */
export function providerConfig(s: OidcSettings): Promise<client.Configuration> {
	const key = `${s.issuer.href} ${s.clientId}`;
	let entry = discovered.get(key);
	if (!entry) {
		entry = client.discovery(
			s.issuer,
			s.clientId,
			s.clientSecret,
			s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None(),
			loopback(s.issuer) ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 }
		);
		discovered.set(key, entry);
		entry.catch(() => discovered.get(key) === entry && discovered.delete(key));
	}
	return entry;
}

const Pending = z.object({ state: z.string().max(200), nonce: z.string().max(200), verifier: z.string().max(200), next: z.string().max(2000) });
type Pending = z.infer<typeof Pending>;

/** Only a path on this site may follow a sign-in. */
export function safeNext(value: string | null | undefined): string {
	return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && value.length <= 2000 ? value : '/';
}

/** The first leg: where to send the browser, and the pending cookie's value (PKCE verifier, state, nonce, next page). */
export async function beginOidcSignIn(s: OidcSettings, next: string | null): Promise<{ url: URL; pending: string }> {
	const config = await providerConfig(s);
	const pending: Pending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next: safeNext(next) };
	const url = client.buildAuthorizationUrl(config, {
		redirect_uri: s.redirectUri.href,
		scope: s.scopes,
		response_type: 'code',
		code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
		code_challenge_method: 'S256',
		state: pending.state,
		nonce: pending.nonce
	});
	return { url, pending: Buffer.from(JSON.stringify(pending)).toString('base64url') };
}

export type OidcAccount =
	{ ok: true; name: string; role: Role; regions: number[] } | { ok: false; reason: 'no_name' | 'no_role' | 'no_region'; message: string };

/** The account the claims describe, checked: a valid name, a role Tianshu knows, at least one valid region. */
export function accountFromClaims(s: OidcSettings, claims: Record<string, unknown>): OidcAccount {
	const rawName = claims[s.nameClaim] ?? claims.sub;
	const name = typeof rawName === 'string' ? `${SSO_PREFIX}${rawName}` : '';
	if (!USER_NAME.test(name)) return { ok: false, reason: 'no_name', message: '统一身份认证返回的用户名无效，无法登录' };
	const rawRole = claims[s.roleClaim];
	const roleValue = Array.isArray(rawRole)
		? rawRole.find((r) => typeof r === 'string' && (Object.hasOwn(s.roleMap, r) || (ROLES as readonly string[]).includes(r)))
		: rawRole;
	const role: Role | undefined =
		typeof roleValue !== 'string'
			? undefined
			: Object.hasOwn(s.roleMap, roleValue)
				? s.roleMap[roleValue]
				: (ROLES as readonly string[]).includes(roleValue)
					? (roleValue as Role)
					: undefined;
	if (!role) return { ok: false, reason: 'no_role', message: '统一身份认证未授予您天枢的角色，无法访问数据（请联系管理员）' };
	const rawRegions = claims[s.regionsClaim];
	const list = Array.isArray(rawRegions)
		? rawRegions
		: typeof rawRegions === 'string'
			? rawRegions.split(',')
			: typeof rawRegions === 'number'
				? [rawRegions]
				: [];
	const regions: number[] = [];
	for (const r of list.slice(0, MAX_REGIONS + 1)) {
		const text = String(r).trim();
		const n = Number(text);
		// Any invalid code refuses the whole claim: a half-understood grant is not guessed at.
		if (!/^\d{1,6}$/.test(text) || !Adcode.safeParse(n).success)
			return { ok: false, reason: 'no_region', message: '统一身份认证返回的区域代码无效，无法登录（请联系管理员）' };
		regions.push(n);
	}
	if (regions.length === 0 || regions.length > MAX_REGIONS)
		return { ok: false, reason: 'no_region', message: '统一身份认证未授予您任何区域，无法访问数据（请联系管理员）' };
	return { ok: true, name, role, regions: [...new Set(regions)].sort((a, b) => a - b) };
}

export type OidcSignInResult =
	| { ok: true; token: string; expiresAt: Date; user: { id: number; name: string; role: Role; regions: number[] }; next: string }
	| { ok: false; status: 400 | 403 | 502; message: string };

const sameRegions = (a: readonly number[], b: readonly number[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * The second leg: the provider sent the browser back to `callbackUrl`. Checks
 * state, PKCE and nonce (openid-client), reads the claims (ID token and
 * userinfo), makes or updates the account and opens a session. Every outcome is
 * on record in the audit log.
 */
export async function completeOidcSignIn(
	db: AppDb,
	s: OidcSettings,
	callbackUrl: URL,
	pendingCookie: string | undefined,
	at: { address: string | null; requestId?: string },
	limits: AuthLimits
): Promise<OidcSignInResult> {
	const where = { address: at.address?.slice(0, 100) ?? null, requestId: at.requestId ?? null };
	const failed = async (reason: string, message: string, status: 400 | 403 | 502, name = '(统一身份认证)') => {
		await recordAudit(db, { actor: { kind: 'user', name }, action: 'sign_in_failed', detail: { via: 'oidc', reason }, ...where });
		return { ok: false as const, status, message };
	};
	let pending: Pending;
	try {
		pending = Pending.parse(JSON.parse(Buffer.from(pendingCookie ?? '', 'base64url').toString('utf8')));
	} catch {
		return failed('no_pending', '登录已过期或不是从本站发起，请重新登录', 400);
	}
	let claims: Record<string, unknown>;
	try {
		const config = await providerConfig(s);
		const tokens = await client.authorizationCodeGrant(
			config,
			callbackUrl,
			{ pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
			{ redirect_uri: s.redirectUri.href }
		);
		const idClaims = tokens.claims()!;
		const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
		claims = { ...info, ...idClaims };
	} catch (e) {
		// The provider said no (403); the reply failed a check — state, nonce, PKCE, signature (400); the provider is away (502).
		if (e instanceof client.AuthorizationResponseError) return failed(`provider: ${e.error}`.slice(0, 100), '统一身份认证拒绝了登录，请重新登录', 403);
		if (e instanceof client.ClientError) return failed(`check: ${e.code ?? e.name}`.slice(0, 100), '统一身份认证的回复未通过校验，请重新登录', 400);
		return failed((e as Error).name.slice(0, 100), '统一身份认证服务暂时无法访问，请稍后再试', 502);
	}
	const account = accountFromClaims(s, claims);
	if (!account.ok) {
		// No role or region now: sessions this account may still hold end too.
		const name = typeof claims[s.nameClaim] === 'string' ? `${SSO_PREFIX}${String(claims[s.nameClaim])}`.slice(0, 128) : undefined;
		const existing = name && USER_NAME.test(name) ? await userByName(db, name) : undefined;
		if (existing && !existing.passwordHash) {
			await revokeUserSessions(db, existing.id);
			forgetUserSessions(existing.id);
		}
		return failed(account.reason, account.message, 403, name);
	}
	let user = await userByName(db, account.name);
	if (user?.passwordHash) return failed('local_account', '该用户名已被本地账号使用，无法通过统一身份认证登录（请联系管理员）', 403, account.name);
	if (user?.disabledAt) return failed('disabled', '账号已停用（请联系管理员）', 403, account.name);
	if (!user) {
		try {
			await db.transaction(async (tx) => {
				const id = await insertSsoUser(tx, { name: account.name, role: account.role });
				await replaceUserRegions(tx, id, account.regions);
			});
		} catch (e) {
			if (sqlState(e) !== '23505') throw e; // made by a sign-in at the same moment: read it below
		}
		await recordAudit(db, {
			actor: { kind: 'system' },
			action: 'user_change',
			detail: { change: 'add', user: account.name, role: account.role, regions: account.regions, via: 'oidc' },
			regions: account.regions,
			...where
		});
	} else {
		// The provider is the source of truth: a changed role or region applies now (and ends older sessions).
		if (user.role !== account.role) {
			await setRole(db, account.name, account.role);
			await recordAudit(db, {
				actor: { kind: 'system' },
				action: 'role_change',
				detail: { user: account.name, from: user.role, to: account.role, via: 'oidc' },
				regions: account.regions,
				...where
			});
		}
		if (!sameRegions(user.regions.map(Number), account.regions)) {
			await setRegions(db, account.name, account.regions);
			await recordAudit(db, {
				actor: { kind: 'system' },
				action: 'region_change',
				detail: { user: account.name, from: user.regions.map(Number), to: account.regions, via: 'oidc' },
				regions: [...new Set([...user.regions.map(Number), ...account.regions])],
				...where
			});
		}
	}
	user = (await userByName(db, account.name))!;
	const session = await createSession(db, user.id, at.address, limits);
	await recordAudit(db, {
		actor: { kind: 'user', id: user.id, name: user.name },
		action: 'sign_in',
		detail: { via: 'oidc' },
		regions: account.regions,
		...where
	});
	return {
		ok: true,
		token: session.token,
		expiresAt: session.expiresAt,
		user: { id: user.id, name: user.name, role: account.role, regions: account.regions },
		next: pending.next
	};
}
