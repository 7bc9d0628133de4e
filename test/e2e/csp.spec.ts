/**
 * The Content-Security-Policy in Chromium against the built product: the cockpit
 * (ECharts on canvas, the deck.gl map on WebGL) renders every panel with not one
 * policy violation or console error; the served headers are the ones documented;
 * the tRPC endpoint refuses a body not declared JSON (415) and SvelteKit a form
 * posted from another origin (403). A screenshot goes to test-results/.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { allReady, apiPanel } from './cockpit-helpers.ts';

// Nobody signed in: the wall token below is the only credential (the API's public procedures need none).
test.use({ storageState: { cookies: [], origins: [] } });

/** A wall token for a region (the cockpit is behind the door; a wall token opens it and nothing else). */
function wallToken(adcode: number): string {
	const r = spawnSync(process.execPath, ['bin/tianshu.js', 'wall', 'issue', '--name', `csp-${randomBytes(3).toString('hex')}`, '--region', String(adcode)], {
		env: { ...process.env, TIANSHU_APPDB_DATA: path.join(process.env.TIANSHU_E2E_DATA!, 'appdb') },
		encoding: 'utf8'
	});
	expect(r.status, r.stderr).toBe(0);
	return r.stdout.trim();
}

test('the cockpit renders under the CSP with no violation and no console error', async ({ page }, info) => {
	test.setTimeout(150_000);
	const problems: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') problems.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	// Violations as the page sees them (a blocked eval inside a try shows up here too).
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			(window as unknown as { __violations: string[] }).__violations ??= [];
			(window as unknown as { __violations: string[] }).__violations.push(
				`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`
			);
		});
	});
	await page.setViewportSize({ width: 1920, height: 1080 });
	let response = await page.goto(`/wall/${wallToken(440000)}`);
	expect(response!.status()).toBe(200);
	await expect(page).toHaveURL(/\/cockpit\?adcode=440000/);
	// The wall's cookie lets its API calls in too; once the simulated history is in, the cockpit is opened afresh.
	await expect.poll(async () => (await apiPanel(page.request, 440000, 'kpis')).kpis[0].value, { timeout: 90_000 }).toBeGreaterThan(0);
	response = await page.reload();
	const csp = (await response!.allHeaders())['content-security-policy'] ?? '';
	expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).not.toContain('unsafe-eval');
	await allReady(page);
	// The map drew on WebGL and the charts on canvas: non-empty canvases.
	const canvases = await page.evaluate(() => [...document.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0).length);
	expect(canvases).toBeGreaterThanOrEqual(2);
	// A few live updates under the policy too.
	await page.waitForTimeout(3000);
	const violations = await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
	expect([...violations, ...problems]).toEqual([]);
	const shot = path.join('test-results', 'csp-cockpit-1920x1080.png');
	await page.screenshot({ path: shot });
	await info.attach('cockpit under the CSP', { path: shot, contentType: 'image/png' });
});

test('headers on pages and the API; non-JSON tRPC bodies and cross-origin forms are refused', async ({ request }) => {
	const login = await request.get('/login');
	const api = await request.get('/api/trpc/indicators.catalogue');
	for (const r of [login, api]) {
		const h = r.headers();
		expect(h['x-content-type-options']).toBe('nosniff');
		expect(h['referrer-policy']).toBe('same-origin');
		expect(h['x-frame-options']).toBe('DENY');
		expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
	}
	expect(api.headers()['content-security-policy']).toMatch(/^default-src 'none'/);

	// Bodies not declared JSON: 415 in Chinese with the request id.
	for (const headers of [{ 'content-type': 'application/xml' }, { 'content-type': 'application/x-json' }, {}] as Array<Record<string, string>>) {
		const r = await request.post('/api/trpc/indicators.catalogue', { headers, data: '{}' });
		expect(r.status()).toBe(415);
		const body = (await r.json()) as { error: { message: string; data: { requestId: string } } };
		expect(body.error.message).toContain('请求须为 JSON');
		expect(body.error.data.requestId).toBe(r.headers()['x-request-id']);
	}
	// A form-encoded or text/plain body from another origin SvelteKit refuses even before that, as a forged form.
	expect(
		(await request.post('/api/trpc/indicators.catalogue', { headers: { 'content-type': 'text/plain', origin: 'https://evil.example' }, data: '{}' })).status()
	).toBe(403);

	// SvelteKit's origin check on form posts is on: another site's form is refused before any action runs.
	const forged = await request.post('/login', {
		headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
		data: 'username=admin&password=x'
	});
	expect(forged.status()).toBe(403);
});
