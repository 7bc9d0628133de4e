import { readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';

// The schema version this build expects: one per migration file.
const schemaVersion = readdirSync('schema/migrations').filter((f) => f.endsWith('.sql')).length;

test('the home page names the leader’s screen in Chinese and reports a healthy warehouse', async ({ page }, info) => {
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.goto('/');
	await expect(page).toHaveTitle('天枢 · 数字政府决策驾驶舱');
	// Signed in as a leader (auth.setup.ts): the cockpit only (each role's screens: sign-in.spec.ts).
	const links = page.getByTestId('screen-link');
	await expect(links).toHaveCount(1);
	await expect(page.getByRole('link', { name: '领导驾驶舱', exact: true })).toHaveAttribute('href', '/cockpit');
	// The cockpit is built.
	await expect(page.getByText('建设中')).toHaveCount(0);
	const health = page.getByTestId('health');
	await expect(health).toHaveAttribute('data-status', 'ok');
	await expect(health).toContainText('数据仓库：正常');
	await expect(health).toContainText(`架构版本 ${schemaVersion} / ${schemaVersion}`);
	// Today's figures come from the API; the simulated feed fills them within seconds.
	const today = page.getByTestId('today');
	await expect(today).toContainText('今日概况');
	await expect(today.locator('dt')).toHaveText(['办件量', '按时办结率', '好评率', '12345工单量']);
	await expect(async () => {
		await page.reload();
		await expect(page.locator('dd[data-code="caseVolume"]')).not.toHaveText(/^0件$/);
	}).toPass({ timeout: 90_000 });
	await expect(page.locator('dd[data-code="onTimeRate"]')).toHaveText(/^\d{2,3}\.\d{1,2}%$/);
	// Nothing overflows the page horizontally.
	expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
	await page.screenshot({ path: info.outputPath('home.png'), fullPage: true });
});

test('the cockpit opens from the home page', async ({ page }) => {
	await page.goto('/');
	const hrefs = await page.getByTestId('screen-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
	expect(hrefs).toEqual(['/cockpit']);
	await page.goto('/cockpit');
	await expect(page.getByTestId('header')).toContainText('全国 · 数字政府运行驾驶舱');
});

test('/healthz reports the warehouse and the schema version as JSON', async ({ request }) => {
	const res = await request.get('/healthz');
	expect(res.status()).toBe(200);
	const body = await res.json();
	expect(body).toMatchObject({ status: 'ok', warehouse: { reachable: true }, schema: { version: schemaVersion, expected: schemaVersion } });
	expect(body.warehouse.version).toMatch(/^\d+\.\d+/);
});

test('an unknown page answers 404 in Chinese', async ({ page }) => {
	const res = await page.goto('/no-such-page');
	expect(res?.status()).toBe(404);
	await expect(page.getByText('页面不存在')).toBeVisible();
});
