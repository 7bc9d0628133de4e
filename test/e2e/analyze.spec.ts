/**
 * The analysts' workbench (/analyze, issue 14) in Chromium, on the run's product with
 * a planted incident pushed through its ingest path: the on-time rate of one item in
 * 天河区 falls for three days. From the province view the item and the county are
 * named as the top contributors within three clicks; the view's URL restores it in a
 * new page; Excel and CSV read back with the numbers on screen; 同比 and 环比 equal a
 * recount from the raw events; axe finds nothing serious; a one-page PDF brief.
 */
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { ensureUser, signIn } from '../helpers/e2e-auth.ts';
import { INCIDENT, beijingDay, plantIncident, rawOnTimeRate } from './helpers/analyze.ts';

const SIZES = [
	{ width: 1920, height: 1080 },
	{ width: 1366, height: 768 }
];

async function ready(page: Page) {
	await expect(page.getByTestId('series-chart')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
	await expect(page.getByTestId('contributions').getByTestId('contributor').first()).toBeVisible({ timeout: 30_000 });
}

async function shots(page: Page, name: string, info: { outputPath: (n: string) => string }) {
	for (const size of SIZES) {
		await page.setViewportSize(size);
		await ready(page);
		await page.screenshot({ path: info.outputPath(`analyze-${name}-${size.width}.png`), fullPage: true });
	}
}

async function noSeriousAxe(page: Page, what: string) {
	const r = await new AxeBuilder({ page }).analyze();
	const serious = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
		what
	).toEqual([]);
}

/** A rate change on screen ('▼20.0个点', '持平') as signed points. */
function points(text: string): number {
	if (text.includes('持平')) return 0;
	const m = /([▲▼])([\d.]+)个点/.exec(text);
	expect(m, `a change in points: ${text}`).not.toBeNull();
	return (m![1] === '▼' ? -1 : 1) * Number(m![2]);
}

test('an analyst finds a planted fall of one item in one county from the province, shares, exports and prints it', async ({ page, browser }, info) => {
	test.setTimeout(150_000);
	await plantIncident();
	const analyst = ensureUser('e2e-analyst-gd', 'analyst', String(INCIDENT.province));
	await signIn(page, analyst);

	// The province over the three days of the fall; the base (环比) is the three days before.
	const from = beijingDay(-4);
	const to = beijingDay(-1);
	await page.setViewportSize(SIZES[0]!);
	await page.goto(`/analyze?r=${INCIDENT.province}&from=${from}&to=${to}`);
	await ready(page);
	await expect(page.getByTestId('breadcrumbs')).toContainText('广东省');

	// 同比 and 环比 on screen against the raw events (the test's own SQL).
	const now = await rawOnTimeRate(INCIDENT.province, from, to);
	const before = await rawOnTimeRate(INCIDENT.province, beijingDay(-7), from);
	const lastYear = await rawOnTimeRate(INCIDENT.province, beijingDay(-4, 1), beijingDay(-1, 1));
	expect(now).not.toBeNull();
	const kpi = page.locator('[data-kpi=onTimeRate]');
	expect(Number(await kpi.getAttribute('data-value'))).toBeCloseTo(now!, 6);
	expect(points(await kpi.getByTestId('mom').locator('dd').innerText())).toBeCloseTo(Number((now! - before!).toFixed(1)), 6);
	expect(points(await kpi.getByTestId('yoy').locator('dd').innerText())).toBeCloseTo(Number((now! - lastYear!).toFixed(1)), 6);
	expect(Number(await kpi.getByTestId('mom').getAttribute('data-change'))).toBeCloseTo(now! - before!, 6);
	expect(Number(await kpi.getByTestId('yoy').getAttribute('data-change'))).toBeCloseTo(now! - lastYear!, 6);
	await expect(kpi.getByTestId('mom')).toContainText('变差'); // not by colour alone
	await shots(page, 'province', info);
	await noSeriousAxe(page, 'province view');

	// Click 1: the largest contributor among the regions is 广州市 — a link that drills into it.
	const contributors = page.getByTestId('contributions').locator('li[data-dimension]');
	const topRegion = page.getByTestId('contributions').locator('li[data-dimension=region]').first();
	await expect(topRegion).toContainText('广州');
	await topRegion.getByTestId('contributor').click();
	await expect(page).toHaveURL(/r=440100/);
	await ready(page);
	await expect(page.getByTestId('breadcrumbs')).toContainText('广州市');
	// The county and the item lead the city's contributors (the item's department, its only one here, explains the fall as much).
	const top = await contributors.evaluateAll((els) => els.slice(0, 3).map((e) => `${e.getAttribute('data-dimension')}=${e.getAttribute('data-key')}`));
	expect(top).toContain(`item=${INCIDENT.item}`);
	expect(top).toContain(`region=${INCIDENT.county}`);
	await expect(contributors.first()).toContainText(/天河|不动产登记/);
	await shots(page, 'city', info);

	// Click 2: the item as a filter — a removable chip; the county leads the breakdown.
	await page.locator(`li[data-dimension=item][data-key="${INCIDENT.item}"]`).getByTestId('contributor').click();
	await expect(page.getByTestId('filter-chips').locator(`[data-chip="item=${INCIDENT.item}"]`)).toBeVisible();
	await ready(page);
	const viewUrl = page.url();
	const screenKpi = await page.locator('[data-kpi=onTimeRate]').getAttribute('data-value');
	const screenRows = await page
		.getByTestId('breakdown-table')
		.locator('tbody tr[data-row]')
		.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-row'), (r.children[1] as HTMLElement).innerText]));
	expect(screenRows.length).toBeGreaterThan(0);
	expect(screenRows.map((r) => r[0])).toContain(String(INCIDENT.county));
	await shots(page, 'filtered', info);
	await noSeriousAxe(page, 'filtered city view');

	// The view's URL in a new page: the same view.
	const other = await browser.newPage({ storageState: await page.context().storageState() });
	await other.setViewportSize(SIZES[0]!);
	await other.goto(viewUrl);
	await ready(other);
	await expect(other.locator('[data-kpi=onTimeRate]')).toHaveAttribute('data-value', screenKpi!);
	await expect(other.getByTestId('filter-chips').locator(`[data-chip="item=${INCIDENT.item}"]`)).toBeVisible();
	await expect(other.getByTestId('breadcrumbs')).toContainText('广州市');
	await other.close();

	// Back and forward move through the views.
	await page.goBack();
	await expect(page.getByTestId('filter-chips').locator('[data-chip]')).toHaveCount(0);
	await page.goForward();
	await expect(page.getByTestId('filter-chips').locator(`[data-chip="item=${INCIDENT.item}"]`)).toBeVisible();
	await ready(page);

	// Excel and CSV of the table read back with the numbers on screen (one decimal on screen).
	const onScreen = new Map(screenRows.map(([k, v]) => [k, Number.parseFloat(v!)]));
	const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-table').locator('[data-format=xlsx]').click()]);
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.readFile(await xlsxDownload.path());
	const sheet = wb.getWorksheet('数据')!;
	expect(wb.getWorksheet('查询条件')).toBeDefined();
	const header = Array.from(sheet.getRow(1).values as unknown[], (v) => String(v ?? '')); // exceljs rows start at 1: index 0 is a hole
	const valueCol = header.findIndex((h) => h.startsWith('按时办结率（'));
	expect(valueCol).toBeGreaterThan(0);
	let compared = 0;
	sheet.eachRow((row, n) => {
		if (n === 1) return;
		const code = String(row.getCell(2).value);
		const v = row.getCell(valueCol).value;
		expect(typeof v, `row ${code} holds a number`).toBe('number');
		if (onScreen.has(code)) {
			expect(Number((v as number).toFixed(1)), code).toBe(onScreen.get(code));
			compared++;
		}
	});
	expect(compared).toBe(onScreen.size);
	const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-table').locator('[data-format=csv]').click()]);
	const csv = readFileSync(await csvDownload.path(), 'utf8').replace(/^\uFEFF/, '');
	const lines = csv.trim().split(/\r?\n/);
	const csvCol = lines[0]!.split(',').findIndex((h) => h.replace(/"/g, '').startsWith('按时办结率（'));
	for (const line of lines.slice(1)) {
		const cells = line.split(',');
		const code = cells[1]!.replace(/"/g, '');
		if (onScreen.has(code)) expect(Number(Number(cells[csvCol]).toFixed(1)), code).toBe(onScreen.get(code));
	}

	// Drill to detail: masked raw rows, keyset pages.
	await page.getByTestId('tab').getByRole('radio', { name: '明细数据' }).click();
	await expect(page.getByTestId('detail').locator('tbody tr[data-id]').first()).toBeVisible({ timeout: 30_000 });
	const firstPage = await page.getByTestId('detail').locator('tbody tr[data-id]').first().getAttribute('data-id');
	await page.getByTestId('detail-next').click();
	await expect(page.getByTestId('detail').locator('tbody tr[data-id]').first()).not.toHaveAttribute('data-id', firstPage!);
	await noSeriousAxe(page, 'detail');

	// Large type (×1.5) and high contrast, remembered by the browser.
	await page.getByTestId('toggle-large-type').click();
	await page.getByTestId('toggle-contrast').click();
	await expect(page.locator('html')).toHaveAttribute('data-type', 'large');
	expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('24px');
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('data-contrast', 'high');
	await shots(page, 'large-type', info);
	await noSeriousAxe(page, 'large type, high contrast');
	await page.getByTestId('toggle-large-type').click();
	await page.getByTestId('toggle-contrast').click();

	// The one-page brief for the leader.
	await page.setViewportSize(SIZES[0]!);
	await ready(page);
	await page.emulateMedia({ media: 'print' });
	const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
	const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
	expect(pages.length).toBe(1);
	await page.screenshot({ path: info.outputPath('analyze-brief-print.png'), fullPage: true });
});
