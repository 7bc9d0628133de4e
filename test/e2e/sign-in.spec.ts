/**
 * The door in a real browser: nobody signed in goes to /login; each role signs
 * in through the form and sees exactly its screens (others: 403 in Chinese); a
 * wall token opens its region's cockpit and nothing else; a one-time password
 * leads to /account/password first.
 */
import { expect, test } from '@playwright/test';
import { ensureUser, issueWallToken, signIn, tianshu } from '../helpers/e2e-auth.ts';
import { screens } from '../../src/lib/screens.ts';

test.use({ storageState: { cookies: [], origins: [] } });

const SCREENS = ['/cockpit', '/analyze', '/evaluate', '/reviews'];
/** Each role's screens, from the issue (not from the code that enforces them). */
const OWN: Record<string, string[]> = {
	leader: ['/cockpit'],
	analyst: ['/analyze'],
	evaluator: ['/evaluate'],
	service_manager: ['/reviews'],
	admin: ['/admin']
};

test('nobody signed in is sent to /login; the API answers 401 in Chinese', async ({ page, request }) => {
	await page.goto('/');
	await expect(page).toHaveURL('/login');
	await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
	await page.goto('/cockpit?adcode=440300');
	await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/cockpit?adcode=440300')}`);
	const api = await request.get('/api/trpc/indicators.catalogue');
	expect(api.status()).toBe(401);
	expect((await api.json()).error.message).toBe('请先登录');
	// A wrong password is refused on the page, in Chinese.
	await page.locator('input[name=username]').fill('e2e-leader');
	await page.locator('input[name=password]').fill('not-the-password');
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByTestId('login-error')).toHaveText('用户名或密码错误');
});

for (const [role, own] of Object.entries(OWN)) {
	test(`a ${role} sees exactly the ${role}'s screens`, async ({ page }, info) => {
		const user = ensureUser(`e2e-${role.replace('_', '-')}`, role, '0');
		await signIn(page, user, '');
		await expect(page).toHaveURL('/');
		await expect(page.getByTestId('account-bar')).toHaveAttribute('data-role', role);
		const hrefs = await page.getByTestId('screen-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
		expect(hrefs).toEqual(own);
		await page.screenshot({ path: info.outputPath(`home-${role}.png`), fullPage: true });
		for (const screen of SCREENS) {
			const res = await page.goto(screen === '/cockpit' ? '/cockpit?adcode=440000&rotate=0' : screen);
			if (own.includes(screen)) {
				expect(res!.status(), screen).toBe(200);
				if (screen === '/cockpit') await expect(page.getByTestId('header')).toContainText('广东');
				// A built screen is itself; one not built yet shows the placeholder.
				else if (screens.find((s) => s.path === screen)!.built) await expect(page.getByTestId('not-built')).toHaveCount(0);
				else await expect(page.getByTestId('not-built')).toHaveText('此页面尚未建成。');
			} else {
				expect(res!.status(), screen).toBe(403);
				await expect(page.getByTestId('forbidden')).toHaveText('您的角色无权访问此页面');
			}
		}
		// Signing out ends the session: the home page sends to /login again.
		await page.goto('/');
		await page.getByTestId('logout').click();
		await expect(page).toHaveURL('/login');
		await page.goto('/');
		await expect(page).toHaveURL('/login');
	});
}

test('a wall token opens its region’s cockpit and nothing else; revoked, nothing at all', async ({ page, request }, info) => {
	const token = issueWallToken(440300);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`/wall/${token}`);
	// The token leaves the address bar at once.
	await expect(page).toHaveURL('/cockpit?adcode=440300');
	await expect(page.getByTestId('header')).toContainText('深圳');
	await page.screenshot({ path: info.outputPath('wall-440300.png') });
	for (const path of ['/', '/analyze', '/reviews', '/account/password']) {
		const res = await page.goto(path);
		expect(res!.status(), path).toBe(403);
		await expect(page.getByTestId('forbidden')).toHaveText('大屏令牌只能打开领导驾驶舱');
	}
	expect((await page.goto('/cockpit?adcode=440100&rotate=0'))!.status()).toBe(403);
	// The cockpit's procedures only, and only its region.
	const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	const query = encodeURIComponent(
		JSON.stringify({ indicators: ['caseVolume'], from: '2026-01-01', to: '2026-01-02', grain: 'total', region: { adcode: 440300 } })
	);
	expect((await request.get(`/api/trpc/indicators.query?input=${query}`, { headers: { cookie: cookies } })).status()).toBe(403);
	expect(
		(await request.get(`/api/trpc/cockpit.panel?input=${encodeURIComponent('{"adcode":440300,"panel":"kpis"}')}`, { headers: { cookie: cookies } })).status()
	).toBe(200);
	// A token that was never issued is refused.
	expect((await page.goto(`/wall/tsw_${'A'.repeat(43)}`))!.status()).toBe(403);
	// Revoked: within the 5 s the web process trusts a lookup, the wall is sent to /login.
	const name = tianshu(['wall', 'list'])
		.split('\n')
		.find((l) => l.includes('440300') && l.includes('active'))!
		.split(/\s+/)[0]!;
	tianshu(['wall', 'revoke', name]);
	await expect
		.poll(
			async () =>
				(
					await request.get('/api/trpc/cockpit.panel?input=' + encodeURIComponent('{"adcode":440300,"panel":"kpis"}'), { headers: { cookie: cookies } })
				).status(),
			{
				timeout: 15_000
			}
		)
		.toBe(401);
});

test('a one-time password leads to /account/password before anything else', async ({ page }) => {
	const user = ensureUser('e2e-reset', 'analyst', '440300');
	const oneTime = tianshu(['user', 'reset', user.name]).trim();
	await signIn(page, { name: user.name, password: oneTime });
	await expect(page).toHaveURL('/account/password');
	await expect(page.getByTestId('must-change')).toBeVisible();
	await page.goto('/analyze');
	await expect(page).toHaveURL('/account/password');
	await page.locator('input[name=current]').fill(oneTime);
	await page.locator('input[name=next]').fill(user.password);
	await page.locator('input[name=confirm]').fill(user.password);
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page).toHaveURL('/');
	expect((await page.goto('/analyze'))!.status()).toBe(200);
});
