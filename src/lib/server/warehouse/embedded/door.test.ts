import { describe, expect, it } from 'vitest';
import { authenticate, checkCaller, presentedCredentials } from './door.ts';
import { WarehouseError } from './errors.ts';

const credentials = {
	reader: { user: 'tianshu_reader', password: 'r'.repeat(43) },
	writer: { user: 'tianshu_writer', password: 'w'.repeat(43) }
};
const url = (q = '') => new URL(`http://127.0.0.1:8123/${q}`);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('checkCaller', () => {
	it('serves loopback names on its own port', () => {
		for (const host of ['127.0.0.1:8123', 'localhost:8123', 'LOCALHOST:8123', '[::1]:8123']) expect(checkCaller({ host }, 8123)).toBeUndefined();
	});

	it.each([
		[{ host: 'evil.example' }, /Host "evil.example" is not served/],
		[{ host: 'evil.example:8123' }, /Host "evil.example:8123"/],
		[{ host: '127.0.0.1:8124' }, /Host "127.0.0.1:8124"/],
		[{ host: '127.0.0.1' }, /Host "127.0.0.1"/],
		[{}, /Host "\(none\)"/],
		[{ host: '127.0.0.1:8123', origin: 'http://evil.example' }, /Origin: "http:\/\/evil.example"/],
		[{ host: '127.0.0.1:8123', origin: 'null' }, /Origin: "null"/],
		[{ host: '127.0.0.1:8123', 'sec-fetch-site': 'same-origin' }, /Sec-Fetch-Site/]
	])('refuses %o', (headers, message) => {
		const e = checkCaller(headers, 8123);
		expect(e?.code).toBe(497);
		expect(e?.message).toMatch(message);
	});
});

describe('authenticate', () => {
	it('knows each account by HTTP Basic, X-ClickHouse headers and URL parameters', () => {
		expect(authenticate({ authorization: basic('tianshu_reader', 'r'.repeat(43)) }, url(), credentials)).toBe('reader');
		expect(authenticate({ 'x-clickhouse-user': 'tianshu_writer', 'x-clickhouse-key': 'w'.repeat(43) }, url(), credentials)).toBe('writer');
		expect(authenticate({}, url(`?user=tianshu_reader&password=${'r'.repeat(43)}`), credentials)).toBe('reader');
	});

	it.each([
		['nothing', {}, url()],
		['a wrong password', { authorization: basic('tianshu_writer', 'nope') }, url()],
		['the other account’s password', { authorization: basic('tianshu_writer', 'r'.repeat(43)) }, url()],
		['an unknown user', { authorization: basic('default', '') }, url()],
		['a password with a colon in front', { authorization: basic('tianshu_writer', `:${'w'.repeat(43)}`) }, url()],
		['a Bearer token', { authorization: 'Bearer abc' }, url()],
		['two ways at once', { authorization: basic('tianshu_writer', 'w'.repeat(43)) }, url(`?user=tianshu_writer&password=${'w'.repeat(43)}`)]
	])('refuses %s with AUTHENTICATION_FAILED', (_label, headers, u) => {
		const r = authenticate(headers, u, credentials);
		expect(r).toBeInstanceOf(WarehouseError);
		expect((r as WarehouseError).code).toBe(516);
	});

	it('never puts the presented password in its message', () => {
		const r = authenticate({ authorization: basic('tianshu_writer', 'my-secret-guess') }, url(), credentials) as WarehouseError;
		expect(r.message).not.toContain('my-secret-guess');
		expect(r.message).toContain('tianshu_writer: Authentication failed');
	});

	it('reads a password containing colons whole', () => {
		expect(presentedCredentials({ authorization: basic('u', 'a:b:c') }, url())).toEqual({ user: 'u', password: 'a:b:c', method: 'basic' });
	});
});
