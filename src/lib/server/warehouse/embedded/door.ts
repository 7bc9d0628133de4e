/**
 * Who may talk to the embedded warehouse: programs on this host that hold one of
 * its two accounts. Browsers are turned away (a page in the wall's browser must
 * never reach it, even through DNS rebinding), and so is anyone without the
 * password. Pure functions over the request's headers and URL; unit-tested.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Credentials, WarehouseRole } from '../credentials.ts';
import { ErrorCode, WarehouseError } from './errors.ts';

/**
 * Refuses requests a browser made (any `Origin`, or the `Sec-Fetch-Site` every
 * current browser sends) and requests addressed to a name other than loopback on
 * our port (DNS rebinding: a foreign name that resolves to 127.0.0.1).
 */
export function checkCaller(headers: IncomingHttpHeaders, port: number): WarehouseError | undefined {
	if (headers.origin !== undefined) {
		return new WarehouseError(
			ErrorCode.ACCESS_DENIED,
			`Requests from a browser (Origin: ${printable(headers.origin)}) are not served by the embedded warehouse`
		);
	}
	if (headers['sec-fetch-site'] !== undefined) {
		return new WarehouseError(ErrorCode.ACCESS_DENIED, 'Requests from a browser (Sec-Fetch-Site) are not served by the embedded warehouse');
	}
	const host = (headers.host ?? '').toLowerCase();
	const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
	if (!allowed.includes(host)) {
		return new WarehouseError(
			ErrorCode.ACCESS_DENIED,
			`Host ${printable(headers.host ?? '(none)')} is not served; the embedded warehouse answers only to ${allowed.join(', ')}`
		);
	}
	return undefined;
}

/** At most 80 plain characters of a header, for messages and logs. */
function printable(value: string): string {
	return JSON.stringify(value.replace(/[^\x20-\x7e]/g, '?').slice(0, 80));
}

interface Presented {
	user: string;
	password: string;
	method: 'basic' | 'headers' | 'url';
}

/** The user and password a request presents, in any of ClickHouse's three ways (one at a time, as ClickHouse requires). */
export function presentedCredentials(headers: IncomingHttpHeaders, url: URL): Presented | WarehouseError | undefined {
	const found: Presented[] = [];
	const authorization = headers.authorization;
	if (authorization !== undefined) {
		const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
		if (!m) return new WarehouseError(ErrorCode.AUTHENTICATION_FAILED, 'Only HTTP Basic authorization is accepted');
		const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon < 0) return new WarehouseError(ErrorCode.AUTHENTICATION_FAILED, 'Malformed HTTP Basic authorization (no colon)');
		found.push({ user: decoded.slice(0, colon), password: decoded.slice(colon + 1), method: 'basic' });
	}
	const headerUser = headers['x-clickhouse-user'];
	const headerKey = headers['x-clickhouse-key'];
	if (headerUser !== undefined || headerKey !== undefined) {
		found.push({ user: String(headerUser ?? 'default'), password: String(headerKey ?? ''), method: 'headers' });
	}
	const urlUser = url.searchParams.get('user');
	const urlPassword = url.searchParams.get('password');
	if (urlUser !== null || urlPassword !== null) found.push({ user: urlUser ?? 'default', password: urlPassword ?? '', method: 'url' });
	if (found.length > 1) {
		return new WarehouseError(
			ErrorCode.AUTHENTICATION_FAILED,
			`Credentials were given in ${found.length} ways (${found.map((f) => f.method).join(', ')}); use one: HTTP Basic, X-ClickHouse-User/Key or user/password URL parameters`
		);
	}
	return found[0];
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant time in the secret: both sides hashed to one length, compared with timingSafeEqual. */
function same(a: string, b: string): boolean {
	return timingSafeEqual(digest(a), digest(b));
}

/** The role whose account the request presents, or the AUTHENTICATION_FAILED error ClickHouse would raise. */
export function authenticate(headers: IncomingHttpHeaders, url: URL, credentials: Credentials): WarehouseRole | WarehouseError {
	const presented = presentedCredentials(headers, url);
	if (presented instanceof WarehouseError) return presented;
	if (!presented) {
		return new WarehouseError(
			ErrorCode.AUTHENTICATION_FAILED,
			'default: Authentication failed: the embedded warehouse needs a user and password (see credentials.json in its data directory)'
		);
	}
	let role: WarehouseRole | undefined;
	// Every account is compared, whatever matched, so the time taken says nothing about which one.
	for (const candidate of ['reader', 'writer'] as const) {
		const account = credentials[candidate];
		const match = Number(same(presented.user, account.user)) & Number(same(presented.password, account.password));
		if (match === 1) role = candidate;
	}
	if (role) return role;
	return new WarehouseError(
		ErrorCode.AUTHENTICATION_FAILED,
		`${printable(presented.user).slice(1, -1)}: Authentication failed: password is incorrect, or there is no user with such name`
	);
}
