/**
 * /admin in Chromium against the running product: a national admin signs in
 * through /login, opens each tab (screenshots at 1920×1080 as artifacts), adds a
 * user, issues a wall token and exports the audit log. And over HTTP through the
 * app's own handler: nobody, an analyst, a leader and a wall token are refused
 * every /admin page, every form action and the export, and nothing changes.
 */
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { ensureUser, issueWallToken, signIn, tianshu, type E2eUser } from '../helpers/e2e-auth.ts';

test.use({ viewport: { width: 1920, height: 1080 }, storageState: { cookies: [], origins: [] } });

const PAGES = ['/admin', '/admin/users', '/admin/walls', '/admin/ingest', '/admin/audit', '/admin/audit/export?format=csv', '/admin/audit/export?format=xlsx'];
const ACTIONS = [
	['/admin/users?/add', { name: 'intruder', role: 'admin', regions: '0' }],
	['/admin/users?/disable', { name: 'e2e-admin' }],
	['/admin/users?/enable', { name: 'e2e-admin' }],
	['/admin/users?/reset', { name: 'e2e-admin' }],
	['/admin/users?/role', { name: 'e2e-admin', role: 'leader' }],
	['/admin/users?/regions', { name: 'e2e-admin', regions: '440300' }],
	['/admin/users?/revokeSession', { id: '1' }],
	['/admin/walls?/issue', { name: 'intruder-wall', region: '0' }],
	['/admin/walls?/revoke', { name: 'intruder-wall' }]
] as const;

let admin: E2eUser;
test.beforeAll(() => {
	admin = ensureUser('e2e-admin', 'admin', '0');
});

/** Signs in over HTTP with the /login form (same-origin, as a browser posts it). */
async function signedIn(request: APIRequestContext, baseURL: string, user: E2eUser) {
	const r = await request.post('/login', {
		headers: { origin: baseURL, accept: 'text/html' },
		form: { username: user.name, password: user.password },
		maxRedirects: 0
	});
	expect(r.status(), `sign-in of ${user.name}`).toBe(303);
}

test('nobody, an analyst, a leader and a wall token are refused every /admin page, action and export', async ({ playwright, baseURL }) => {
	const callers: Array<{ who: string; ctx: APIRequestContext; page: number; post: number }> = [];
	const nobody = await playwright.request.newContext({ baseURL });
	callers.push({ who: 'nobody', ctx: nobody, page: 303, post: 401 });
	for (const [name, role] of [
		['e2e-admin-analyst', 'analyst'],
		['e2e-admin-leader', 'leader']
	] as const) {
		const ctx = await playwright.request.newContext({ baseURL });
		await signedIn(ctx, baseURL!, ensureUser(name, role, '0'));
		callers.push({ who: role, ctx, page: 403, post: 403 });
	}
	const wall = await playwright.request.newContext({ baseURL });
	expect((await wall.get(`/wall/${issueWallToken(0)}`, { maxRedirects: 0 })).status()).toBe(303);
	callers.push({ who: 'wall', ctx: wall, page: 403, post: 403 });

	for (const c of callers) {
		for (const p of PAGES) {
			const r = await c.ctx.get(p, { maxRedirects: 0 });
			expect(r.status(), `${c.who} GET ${p}`).toBe(c.page);
			if (c.page === 303) expect(r.headers().location).toMatch(/^\/login\?next=/);
			else expect(await r.text()).toMatch(/无权访问|只能打开领导驾驶舱/);
		}
		for (const [action, form] of ACTIONS) {
			const r = await c.ctx.post(action, { headers: { origin: baseURL!, accept: 'text/html' }, form: { ...form }, maxRedirects: 0 });
			expect(r.status(), `${c.who} POST ${action}`).toBe(c.post);
		}
	}
	// Nothing changed: no account or wall token of the intruders, the admin still signs in.
	const users = tianshu(['user', 'list']);
	expect(users).not.toMatch(/^intruder\s/m);
	expect(tianshu(['wall', 'list'])).not.toContain('intruder-wall');
	const check = await playwright.request.newContext({ baseURL });
	await signedIn(check, baseURL!, admin);
	for (const c of [...callers.map((x) => x.ctx), check]) await c.dispose();
});

test('an admin manages users, wall tokens, sees ingest health and exports the audit log', async ({ page }, info) => {
	await signIn(page, admin);
	const shot = async (name: string) => {
		const file = path.join('test-results', `admin-${name}.png`);
		await page.screenshot({ path: file, fullPage: false });
		await info.attach(`/admin ${name}`, { path: file, contentType: 'image/png' });
	};

	await page.goto('/admin');
	await expect(page).toHaveURL(/\/admin\/users$/);
	await expect(page.getByTestId('user-row').filter({ hasText: 'e2e-admin' }).first()).toBeVisible();
	// A new account: its one-time password shown once.
	const name = `e2e-new-${Date.now().toString(36)}`;
	const add = page.getByTestId('add-user');
	await add.locator('input[name=name]').fill(name);
	await add.locator('select[name=role]').selectOption('analyst');
	await add.locator('input[name=regions]').fill('440300,440100');
	await add.getByRole('button').click();
	await expect(page.getByTestId('one-time-password')).toContainText(name);
	const row = page.locator(`[data-testid=user-row][data-user="${name}"]`);
	await expect(row).toContainText('分析人员');
	await expect(row).toContainText('深圳市');
	await expect(row).toContainText('待修改初始密码');
	await shot('users');
	// Keyboard: the tabs are reachable with Tab.
	await page.keyboard.press('Tab');
	await expect(page.locator(':focus')).toBeVisible();

	await page.getByRole('link', { name: '大屏令牌' }).click();
	const issue = page.getByTestId('issue-wall');
	const wallName = `指挥大厅-${Date.now().toString(36)}`;
	await issue.locator('input[name=name]').fill(wallName);
	await issue.locator('input[name=region]').fill('440300');
	await issue.getByRole('button').click();
	await expect(page.getByTestId('wall-token')).toContainText('/wall/tsw_');
	await expect(page.locator(`[data-testid=wall-row][data-wall="${wallName}"]`)).toContainText('深圳市');
	await shot('walls');

	await page.getByRole('link', { name: '数据接入' }).click();
	await expect(page).toHaveURL(/\/admin\/ingest$/);
	// The warehouse answers while the product ingests its simulated feed: give it time.
	await expect(page.getByRole('heading', { name: '各数据源接入延迟' })).toBeVisible({ timeout: 20_000 });
	await shot('ingest');

	await page.getByRole('link', { name: '审计日志' }).click();
	await expect(page.getByTestId('audit-row').first()).toBeVisible();
	await page.getByTestId('audit-filter').locator('select[name=action]').selectOption('user_change');
	await page.getByTestId('audit-filter').getByRole('button', { name: '筛选' }).click();
	await expect(page).toHaveURL(/action=user_change/);
	await expect(page.getByTestId('audit-row').first()).toContainText(name);
	await shot('audit');
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
	const csv = await download.path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p, 'utf8')));
	expect(csv.split('\r\n')[0]).toBe('\uFEFF编号,时间（北京时间）,操作者类型,操作者,来源地址,动作,涉及区域,详情,请求编号');
	expect(csv).toContain(name);
	// The export is on record.
	await page.goto('/admin/audit?action=export');
	await expect(page.getByTestId('audit-row').first()).toContainText('e2e-admin');
	await expect(page.getByTestId('audit-row').first()).toContainText('"what":"audit_log"');

	// Large type (适老化) scales /admin too: its sizes are in rem, not px.
	const cellSize = () =>
		page
			.getByTestId('audit-row')
			.first()
			.locator('td')
			.first()
			.evaluate((td) => parseFloat(getComputedStyle(td).fontSize));
	const before = await cellSize();
	await page.getByTestId('toggle-large-type').click();
	await expect.poll(cellSize).toBeCloseTo(before * 1.5, 0);
	await shot('audit-large-type');
});
