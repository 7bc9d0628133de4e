/**
 * The security-headers handle on its own: the headers every response gets, the
 * frame-ancestors a deployment sets, and the tRPC endpoint's refusal of bodies not
 * declared JSON (415, in Chinese, with the request id). The built app's real
 * headers and SvelteKit's page policy are checked in Chromium (test/e2e/csp.spec.ts).
 */
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { ConfigError, setting } from '../config.ts';
import { JSON_REQUIRED, securityHeaders } from './security-headers.ts';

const PAGE_CSP = "default-src 'self'; script-src 'self' 'nonce-abc'";

async function call(options: { method?: string; path?: string; type?: string; pageCsp?: boolean; frameAncestors?: string; https?: boolean }) {
	const url = new URL(options.path ?? '/cockpit', options.https ? 'https://tianshu.example' : 'http://127.0.0.1:3000');
	const request = new Request(url, {
		method: options.method ?? 'GET',
		headers: options.type ? { 'content-type': options.type } : {},
		body: options.method && options.method !== 'GET' ? '{}' : undefined
	});
	let resolved = 0;
	const event = { request, url, locals: { requestId: 'abc123abc123' } } as unknown as RequestEvent;
	const handle = securityHeaders(options.frameAncestors === undefined ? {} : { frameAncestors: options.frameAncestors });
	const response = await handle({
		event,
		resolve: () => {
			resolved++;
			const headers: Record<string, string> = { 'content-type': 'text/html' };
			if (options.pageCsp) headers['content-security-policy'] = PAGE_CSP;
			return Promise.resolve(new Response('<p>ok</p>', { headers }));
		}
	});
	return { response, resolved, h: (name: string) => response.headers.get(name) };
}

describe('security headers', () => {
	it('every response: nosniff, same-origin referrer, no framing by default', async () => {
		const { h, resolved } = await call({ pageCsp: true });
		expect(resolved).toBe(1);
		expect(h('x-content-type-options')).toBe('nosniff');
		expect(h('referrer-policy')).toBe('same-origin');
		expect(h('cross-origin-opener-policy')).toBe('same-origin');
		expect(h('permissions-policy')).toBe('camera=(), microphone=(), geolocation=(), payment=(), usb=()');
		expect(h('x-frame-options')).toBe('DENY');
		expect(h('strict-transport-security')).toBeNull();
	});

	it("a page keeps SvelteKit's policy and gains frame-ancestors; anything else gets a policy that runs nothing", async () => {
		expect((await call({ pageCsp: true })).h('content-security-policy')).toBe(`${PAGE_CSP}; frame-ancestors 'none'`);
		expect((await call({ path: '/api/trpc/indicators.catalogue' })).h('content-security-policy')).toBe(
			"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
		);
	});

	it('frame-ancestors as configured: self, or a command-centre portal (no X-Frame-Options can say that)', async () => {
		const self = await call({ pageCsp: true, frameAncestors: "'self'" });
		expect(self.h('content-security-policy')).toBe(`${PAGE_CSP}; frame-ancestors 'self'`);
		expect(self.h('x-frame-options')).toBe('SAMEORIGIN');
		const portal = await call({ pageCsp: true, frameAncestors: "'self' https://portal.gd.gov.cn" });
		expect(portal.h('content-security-policy')).toBe(`${PAGE_CSP}; frame-ancestors 'self' https://portal.gd.gov.cn`);
		expect(portal.h('x-frame-options')).toBeNull();
	});

	it('HSTS only when served over HTTPS', async () => {
		expect((await call({ https: true })).h('strict-transport-security')).toBe('max-age=15552000');
	});

	it('a tRPC call with a body not declared JSON is a 415 in Chinese, before tRPC sees it', async () => {
		for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'text/json']) {
			const { response, resolved, h } = await call({ method: 'POST', path: '/api/trpc/some.mutation', type });
			expect([type, response.status, resolved]).toEqual([type, 415, 0]);
			expect(h('x-request-id')).toBe('abc123abc123');
			expect(h('x-content-type-options')).toBe('nosniff');
			expect(await response.json()).toEqual({
				error: { message: JSON_REQUIRED, code: -32015, data: { code: 'UNSUPPORTED_MEDIA_TYPE', httpStatus: 415, requestId: 'abc123abc123' } }
			});
		}
		expect(JSON_REQUIRED).toMatch(/^请求须为 JSON/);
	});

	it('JSON bodies, reads, and bodies to other routes pass on', async () => {
		for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON'])
			expect((await call({ method: 'POST', path: '/api/trpc/some.mutation', type })).resolved).toBe(1);
		expect((await call({ path: '/api/trpc/indicators.catalogue' })).resolved).toBe(1);
		expect((await call({ method: 'POST', path: '/api/trpc', type: 'application/json' })).resolved).toBe(1);
		// Forms go to their pages (SvelteKit checks their origin); a path that only starts like the endpoint is not it.
		expect((await call({ method: 'POST', path: '/login', type: 'application/x-www-form-urlencoded' })).resolved).toBe(1);
		expect((await call({ method: 'POST', path: '/api/trpcx', type: 'text/plain' })).resolved).toBe(1);
		expect((await call({ method: 'POST', path: '/api/trpc', type: 'text/plain' })).resolved).toBe(0);
	});
});

describe('TIANSHU_FRAME_ANCESTORS', () => {
	it("defaults to 'none' and takes 'self' and origins", () => {
		expect(setting('TIANSHU_FRAME_ANCESTORS', {})).toBe("'none'");
		expect(setting('TIANSHU_FRAME_ANCESTORS', { TIANSHU_FRAME_ANCESTORS: "'self' https://portal.gd.gov.cn https://*.sz.gov.cn:8443" })).toBe(
			"'self' https://portal.gd.gov.cn https://*.sz.gov.cn:8443"
		);
	});

	it('refuses anything that could add a directive or a header, or allow any site', () => {
		for (const value of ["'none' 'self'", 'https://a.cn; script-src *', '*', 'https:', "'unsafe-inline'", 'https://a.cn\r\nX-Evil: 1', 'javascript:alert(1)'])
			expect(() => setting('TIANSHU_FRAME_ANCESTORS', { TIANSHU_FRAME_ANCESTORS: value })).toThrow(ConfigError);
	});
});

describe('TIANSHU_KEEP_RAW_TEXT', () => {
	it('is off unless set to true or 1', () => {
		expect(setting('TIANSHU_KEEP_RAW_TEXT', {})).toBe(false);
		expect(setting('TIANSHU_KEEP_RAW_TEXT', { TIANSHU_KEEP_RAW_TEXT: 'true' })).toBe(true);
		expect(setting('TIANSHU_KEEP_RAW_TEXT', { TIANSHU_KEEP_RAW_TEXT: '1' })).toBe(true);
		expect(setting('TIANSHU_KEEP_RAW_TEXT', { TIANSHU_KEEP_RAW_TEXT: '0' })).toBe(false);
		expect(() => setting('TIANSHU_KEEP_RAW_TEXT', { TIANSHU_KEEP_RAW_TEXT: 'maybe' })).toThrow(ConfigError);
	});
});
