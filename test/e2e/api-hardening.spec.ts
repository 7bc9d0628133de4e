/**
 * The production server (the built app, `tianshu web`): the request of issue 10
 * that once stopped the product is a 400 in Chinese with a request id, and the
 * server goes on; a city's leader (regions 440300) opens their own cockpit.
 */
import { expect, test } from '@playwright/test';
import { startProcess, untilDataToday } from './cockpit-helpers.ts';
import { e2eAppDbDir, ensureUser, signIn } from '../helpers/e2e-auth.ts';

const LEAK = /\bat .+:\d+:\d+|node_modules|\/work\/|\.ts:\d+|SELECT |DB::Exception/;

test('an out-of-range instant is a 400 with a request id, and the server keeps serving', async ({ request }) => {
	const r = await request.get(`/api/trpc/cockpit.panel?input=${encodeURIComponent('{"adcode":440300,"panel":"ticker","at":8640000000000001}')}`);
	expect(r.status()).toBe(400);
	const id = r.headers()['x-request-id'];
	expect(id).toMatch(/^[0-9a-f]{12}$/);
	const text = await r.text();
	expect(text).not.toMatch(LEAK);
	const body = JSON.parse(text) as { error: { message: string; data: { requestId: string; stack?: string } } };
	expect(body.error.message).toMatch(/^at：.*400 天/);
	expect(body.error.data.requestId).toBe(id);
	expect(body.error.data.stack).toBeUndefined();
	// Still serving, a moment later.
	await new Promise((r) => setTimeout(r, 500));
	expect((await request.get('/api/trpc/indicators.catalogue')).status()).toBe(200);
	// Batches are capped; pages that do not exist say so in Chinese, with a request id too.
	const batch = await request.get(`/api/trpc/${Array.from({ length: 21 }, () => 'indicators.catalogue').join(',')}?batch=1`);
	expect(batch.status()).toBe(400);
	expect(((await batch.json()) as { error: { message: string } }).error.message).toContain('最多 20 个');
	const missing = await request.get('/no-such-page');
	expect(missing.status()).toBe(404);
	expect(missing.headers()['x-request-id']).toMatch(/^[0-9a-f]{12}$/);
});

test('a city’s leader opens their own cockpit, not the neighbour’s', async ({ page, request }) => {
	test.setTimeout(180_000);
	await untilDataToday(request);
	const port = Number(process.env.TIANSHU_E2E_PORT ?? 4317) + 3;
	const web = startProcess(['web', '--port', String(port)], { ORIGIN: `http://127.0.0.1:${port}`, TIANSHU_APPDB_DATA: e2eAppDbDir() });
	try {
		await web.line(/Listening on/);
		// Signed in as a leader of 深圳 (the cookie replaces the national leader's on this host).
		await signIn(page, ensureUser('e2e-leader-shenzhen', 'leader', '440300'), `http://127.0.0.1:${port}`);
		const own = await page.goto(`http://127.0.0.1:${port}/cockpit?adcode=440300&rotate=0`);
		expect(own!.status()).toBe(200);
		// The economy panel shows the province's published statistics.
		await expect(page.getByTestId('economy-rows')).toBeVisible();
		const neighbour = await page.goto(`http://127.0.0.1:${port}/cockpit?adcode=440100&rotate=0`);
		expect(neighbour!.status()).toBe(403);
		// Its log names the refused request by id.
		const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
		const refused = await request.get(`http://127.0.0.1:${port}/api/trpc/cockpit.panel?input=${encodeURIComponent('{"adcode":440100,"panel":"kpis"}')}`, {
			headers: { cookie }
		});
		expect(refused.status()).toBe(403);
		const line = await web.line(new RegExp(refused.headers()['x-request-id']!));
		expect(JSON.parse(line)).toMatchObject({ msg: 'request refused', code: 'FORBIDDEN' });
	} finally {
		web.child.kill('SIGTERM');
	}
});
