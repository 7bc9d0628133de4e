/**
 * The evaluators' workbench (/evaluate, issue 16) in Chromium, signed in as a national
 * evaluator: the live provincial capability index; 10 000 Monte Carlo draws in the Web
 * Worker with a progress bar, and a second run cancelled; target seeking for a province
 * below 90 whose plan, applied in what-if, reaches 非常高; the UN EGDI 2018 file uploaded
 * → Denmark first and every published rank; a what-if edit ranks the unit as worked by hand
 * from the published file; a broken CSV → a clear error and the previous result stays; the
 * Excel export reads back with the numbers on screen; axe; screenshots; a PDF report.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { expect, test, type Page } from '@playwright/test';
import { ensureUser, signIn } from '../helpers/e2e-auth.ts';

const EGDI_FILE = path.resolve('../shared/data/egdi_2018.csv');

test.use({ viewport: { width: 1920, height: 1080 }, storageState: { cookies: [], origins: [] } });

async function noSeriousAxe(page: Page, what: string) {
	const r = await new AxeBuilder({ page }).analyze();
	const serious = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
		what
	).toEqual([]);
}

async function view(page: Page, name: string) {
	await page.getByTestId('views').getByRole('radio', { name }).click();
}

/** The results table's rows as [unit, rank text, score text]. */
async function tableRows(page: Page) {
	return page
		.getByTestId('results-table')
		.locator('tbody tr[data-row]')
		.evaluateAll((rows) =>
			rows.map((r) => [r.getAttribute('data-row')!, (r.children[1] as HTMLElement).innerText.trim(), (r.children[2] as HTMLElement).innerText.trim()])
		);
}

test('evaluators’ workbench: live index, uncertainty, target seeking, EGDI upload, what-if, export', async ({ page }, info) => {
	test.setTimeout(120_000);
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	await signIn(page, ensureUser('e2e-evaluator', 'evaluator', '0'));
	await page.goto('/evaluate');

	// The live provincial capability index, on a map by grade.
	const table = page.getByTestId('results-table');
	await expect(table.locator('tbody tr[data-row]').first(), errors.join('\n')).toBeVisible({ timeout: 30_000 });
	expect(await table.locator('tbody tr[data-row]').count()).toBeGreaterThanOrEqual(31);
	await expect(page.getByTestId('grade-map').locator('[data-ready]')).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('radar')).toHaveAttribute('data-ready', 'true');
	await page.screenshot({ path: info.outputPath('evaluate-results-live.png') });
	await noSeriousAxe(page, 'results');

	const provinces = await table.locator('tbody tr[data-row]').count();
	const liveRows = await tableRows(page);
	const tableRowsOf = async (_: Page) => liveRows;

	// Uncertainty: 10 000 draws in the worker; the bar moves, then intervals for every province.
	await view(page, '不确定性');
	await page.getByTestId('mc-draws').fill('10000');
	await page.getByTestId('mc-run').click();
	const progress = page.getByTestId('mc-progress');
	await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 30_000 }).toBeGreaterThan(0);
	await expect(page.getByTestId('mc-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
	await expect(page.getByTestId('mc-table').locator('tbody tr')).toHaveCount(provinces);
	const intervals = await page.getByTestId('mc-interval').allInnerTexts();
	// Every province with a score has an interval (台湾, 香港 and 澳门 have no platform data: —).
	const scored = (await tableRowsOf(page)).filter(([, rank]) => rank !== '—').length;
	expect(intervals.filter((t) => /^\d+–\d+$/.test(t)).length).toBe(scored);
	expect(scored).toBeGreaterThanOrEqual(31);
	expect(intervals.every((t) => /^\d+–\d+$/.test(t) || t === '—')).toBe(true);
	await expect(page.getByTestId('mc-intervals')).toHaveAttribute('data-ready', 'true');
	await page.screenshot({ path: info.outputPath('evaluate-uncertainty.png'), fullPage: true });
	await noSeriousAxe(page, 'uncertainty');
	// A second run, cancelled: the worker stops and no result appears.
	await page.getByTestId('mc-run').click();
	await expect(page.getByTestId('mc-status')).toHaveAttribute('data-status', 'running');
	await page.getByTestId('mc-cancel').click();
	await expect(page.getByTestId('mc-status')).toHaveAttribute('data-status', 'cancelled');
	await expect(page.getByTestId('mc-table')).toHaveCount(0);
	await page.waitForTimeout(1500); // a worker that kept going would report 'done' by now
	await expect(page.getByTestId('mc-status')).toHaveAttribute('data-status', 'cancelled');

	// Target seeking: a province below 90 → 非常高; the plan applied in what-if reaches it.
	await view(page, '结果');
	const live = await tableRows(page);
	const below = live.find(([, , score]) => Number(score) < 90 && Number(score) > 0);
	expect(below, 'a province scoring below 90').toBeDefined();
	await view(page, '目标测算');
	await page.getByTestId('target-unit').selectOption(below![0]!);
	await page.getByTestId('target-grade').selectOption({ label: '非常高' });
	await page.getByTestId('target-seek').click();
	const plan = page.getByTestId('target-plan').locator('li');
	await expect(plan.first()).toBeVisible();
	expect(await plan.count()).toBeGreaterThan(0);
	await page.screenshot({ path: info.outputPath('evaluate-target.png'), fullPage: true });
	await noSeriousAxe(page, 'target');
	await page.getByTestId('target-apply').click();
	await expect(page.getByTestId('whatif-summary')).toBeVisible();
	await expect(page.getByTestId('whatif-grade')).toHaveText('非常高');
	await page.screenshot({ path: info.outputPath('evaluate-whatif-live.png'), fullPage: true });
	await noSeriousAxe(page, 'what-if');

	// The UN EGDI 2018 file: Denmark first and every rank as published.
	await view(page, '结果');
	await page.getByTestId('table-file').setInputFiles(EGDI_FILE);
	await expect(table.locator('tbody tr[data-row]')).toHaveCount(193, { timeout: 30_000 });
	const published = parse(readFileSync(EGDI_FILE), { columns: true, bom: true }) as Array<Record<string, string>>;
	const shown = await tableRows(page);
	expect(shown[0]![0]).toBe('Denmark');
	expect(new Map(shown.map(([unit, rank]) => [unit, Number(rank)]))).toEqual(new Map(published.map((r) => [r.country!, Number(r.rank)])));
	await expect(page.getByTestId('bars')).toHaveAttribute('data-ready', 'true');
	await page.screenshot({ path: info.outputPath('evaluate-results-egdi.png') });

	// A broken CSV: a clear error, and the EGDI result stays.
	await page
		.getByTestId('table-file')
		.setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('country,osi,hci,tii\nDenmark,abc,0.9,0.8\n') });
	await expect(page.getByTestId('error')).toContainText('broken.csv');
	await expect(page.getByTestId('error')).toContainText('osi');
	await expect(table.locator('tbody tr[data-row]')).toHaveCount(193);
	expect((await tableRows(page))[0]![0]).toBe('Denmark');

	// What-if on the uploaded table, worked by hand from the published file (not by the engine's whatIf):
	// EGDI is the mean of OSI, HCI and TII. Japan (10th, 0.8783) with OSI 0.97 and TII 0.90 and its HCI 0.8428:
	// (0.97 + 0.8428 + 0.90) / 3 = 0.9043 — below Australia's 0.9053, above the Republic of Korea's 0.9010: 3rd.
	// Either edit alone falls short: TII alone (0.9514 + 0.8428 + 0.90) / 3 = 0.8981, 5th; OSI alone (0.97 + 0.8428 + 0.8406) / 3 = 0.8845, 6th.
	await view(page, '假设分析');
	const unit = 'Japan';
	const edit = { osi: 0.97, tii: 0.9 };
	await page.getByTestId('whatif-unit').selectOption(unit);
	for (const [id, value] of Object.entries(edit)) await page.getByTestId(`whatif-input-${id}`).fill(String(value));
	await page.getByTestId(`whatif-input-tii`).press('Tab');
	expect(published.find((r) => r.country === unit)).toMatchObject({ rank: '10', osi: '0.95140', hci: '0.84280', tii: '0.84060' });
	await expect(page.getByTestId('whatif-rank')).toHaveText('3');
	await page.screenshot({ path: info.outputPath('evaluate-whatif-egdi.png'), fullPage: true });

	// Excel: the results sheet reads back with the numbers on screen.
	await view(page, '结果');
	const onScreen = (await tableRows(page)).slice(0, 10);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
	const sheet = book.getWorksheet('结果')!;
	expect(sheet).toBeDefined();
	// The header is the first row naming 单位 (a caption may sit above it).
	const start = [1, 2, 3, 4].find((r) => (sheet.getRow(r).values as unknown[]).includes('单位'))!;
	const head = (sheet.getRow(start).values as unknown[]).map(String);
	const col = (name: string) => head.indexOf(name);
	const fromExcel = Array.from({ length: 10 }, (_, i) => {
		const r = sheet.getRow(start + 1 + i);
		return [String(r.getCell(col('单位')).value), String(r.getCell(col('名次')).value), Number(r.getCell(col('得分')).value).toFixed(4)];
	});
	expect(fromExcel).toEqual(onScreen);
	expect(book.worksheets.map((w) => w.name)).toContain('情景模拟');

	// Large type, and the printable report.
	await page.getByTestId('toggle-large-type').click();
	await expect(page.locator('html')).toHaveAttribute('data-type', 'large');
	await page.screenshot({ path: info.outputPath('evaluate-large-type.png') });
	await noSeriousAxe(page, 'large type');
	await page.getByTestId('toggle-large-type').click();
	await page.emulateMedia({ media: 'print' });
	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	await page.emulateMedia({ media: 'screen' });
});
