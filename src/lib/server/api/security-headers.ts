/**
 * Security headers on every response, and the tRPC endpoint's refusal of bodies
 * that are not JSON (issue 13, item 7).
 *
 * Pages get their Content-Security-Policy from SvelteKit (kit.csp in
 * svelte.config.js: a nonce for its inline bootstrap, scripts from this origin
 * only); this handle adds `frame-ancestors`, which is configurable
 * (TIANSHU_FRAME_ANCESTORS: a command-centre portal may frame the cockpit) and so
 * cannot live in the build. Other responses (the API, refusals, files) get a
 * policy that allows nothing to run.
 *
 * A browser sends a cross-site form (text/plain, form encodings) without asking
 * first; `application/json` it must ask for (a CORS preflight Tianshu never
 * grants). So a tRPC call whose body is not declared JSON is refused with a 415
 * before tRPC reads it: no other site can make a signed-in browser call a mutation.
 */
import type { Handle } from '@sveltejs/kit';
import { setting } from '../config.ts';
import { ENDPOINT } from './http.ts';

/** For responses that are not pages: nothing runs, nothing loads but styles inline (refusal pages) and images of this origin. */
const NOT_A_PAGE = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'";

export const JSON_REQUIRED = '请求须为 JSON 格式（Content-Type: application/json）';

export interface SecurityHeaderOptions {
	/** CSP frame-ancestors sources; TIANSHU_FRAME_ANCESTORS when not given (default 'none'). */
	frameAncestors?: string;
}

/** The legacy X-Frame-Options for the two values it can say; a list of portals has no equivalent. */
function frameOptions(frameAncestors: string): string | undefined {
	if (frameAncestors === "'none'") return 'DENY';
	if (frameAncestors === "'self'") return 'SAMEORIGIN';
	return undefined;
}

/** Whether a request carries a body whose declared media type is JSON. */
function declaresJson(request: Request): boolean {
	const type = request.headers.get('content-type') ?? '';
	return type.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function unsupportedMediaType(requestId: string): Response {
	const body = { error: { message: JSON_REQUIRED, code: -32015, data: { code: 'UNSUPPORTED_MEDIA_TYPE', httpStatus: 415, requestId } } };
	return new Response(JSON.stringify(body), { status: 415, headers: { 'content-type': 'application/json', 'x-request-id': requestId } });
}

export function securityHeaders(options: SecurityHeaderOptions = {}): Handle {
	const frameAncestors = options.frameAncestors ?? setting('TIANSHU_FRAME_ANCESTORS');
	const xFrameOptions = frameOptions(frameAncestors);
	const fixed: Array<[string, string]> = [
		['x-content-type-options', 'nosniff'],
		// A wall token or a region in a URL never leaves this origin in a Referer.
		['referrer-policy', 'same-origin'],
		['cross-origin-opener-policy', 'same-origin'],
		['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()']
	];
	if (xFrameOptions) fixed.push(['x-frame-options', xFrameOptions]);

	return async ({ event, resolve }) => {
		const { request, url } = event;
		const api = url.pathname === ENDPOINT || url.pathname.startsWith(`${ENDPOINT}/`);
		let response: Response;
		if (api && request.method !== 'GET' && request.method !== 'HEAD' && !declaresJson(request)) response = unsupportedMediaType(event.locals.requestId);
		else response = await resolve(event);
		try {
			const h = response.headers;
			for (const [name, value] of fixed) h.set(name, value);
			const csp = h.get('content-security-policy');
			h.set('content-security-policy', `${csp ?? NOT_A_PAGE}; frame-ancestors ${frameAncestors}`);
			if (url.protocol === 'https:') h.set('strict-transport-security', 'max-age=15552000');
		} catch {
			// A response with immutable headers (a proxied fetch) goes out as it is.
		}
		return response;
	};
}
