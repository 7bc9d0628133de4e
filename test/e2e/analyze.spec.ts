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
import { INCIDENT, beijingDay, plantIncident, plantIncidentWithHistory, rawOnTimeRate } from './helpers/analyze.ts';

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

test('a pivot of counties × items shows the planted cell as the raw events give it, survives a reopened link and exports the cells on screen', async ({
	page,
	browser
}, info) => {
	test.setTimeout(150_000);
	// The raw-table oracle (imported here: the spec's import line is shared with the other tests).
	const { raw } = await import('./helpers/analyze.ts');
	const from = beijingDay(-4);
	const to = beijingDay(-1);
	// The incident is planted once per run (the test above may have done it).
	const [planted] = await raw<{ n: string }>(`SELECT count() AS n FROM case_events WHERE item_code = {item:String}`, { item: INCIDENT.item });
	if (!Number(planted?.n)) await plantIncident();
	const analyst = ensureUser('e2e-analyst-gd', 'analyst', String(INCIDENT.province));
	await signIn(page, analyst);
	await page.setViewportSize(SIZES[0]!);
	await page.goto(`/analyze?r=${INCIDENT.city}&from=${from}&to=${to}&by=region&tab=pivot`);
	await ready(page);

	// Columns by keyboard: the labelled select, then 事项; rows stay the view's 区县 (by=region).
	const columns = page.getByRole('combobox', { name: '列', exact: true });
	await columns.focus();
	await columns.selectOption('item');
	await expect(page).toHaveURL(/pc=item/);
	const table = page.getByTestId('pivot-table');
	const cell = table.locator(`tbody tr[data-row="${INCIDENT.county}"] td[data-col="${INCIDENT.item}"]`);
	await expect(cell).toBeVisible({ timeout: 30_000 });

	// The planted cell against the test's own count over the raw events (each event once): 10 of 40 a day on time.
	const [c] = await raw<{ hits: string; total: string }>(
		`SELECT countIf(on_time) AS hits, count() AS total FROM (
		   SELECT event_id, any(on_time) AS on_time FROM case_events
		   WHERE status = 'completed' AND adcode = {county:UInt32} AND item_code = {item:String}
		     AND ts >= toDateTime64({from:String}, 3, 'Asia/Shanghai') AND ts < toDateTime64({to:String}, 3, 'Asia/Shanghai')
		   GROUP BY event_id)`,
		{ county: INCIDENT.county, item: INCIDENT.item, from: `${from} 00:00:00`, to: `${to} 00:00:00` }
	);
	const expected = (100 * Number(c!.hits)) / Number(c!.total);
	expect(expected).toBeCloseTo(25, 6);
	expect(Number(await cell.getAttribute('data-value'))).toBeCloseTo(expected, 9);
	await expect(cell).toHaveText('25.0%');
	// The grand total is the city's rate over the period (a ratio of sums, every item), from the raw events too.
	const [city] = await raw<{ hits: string; total: string }>(
		`SELECT countIf(on_time) AS hits, count() AS total FROM (
		   SELECT event_id, any(on_time) AS on_time FROM case_events
		   WHERE status = 'completed' AND intDiv(adcode, 100) = {city:UInt32}
		     AND ts >= toDateTime64({from:String}, 3, 'Asia/Shanghai') AND ts < toDateTime64({to:String}, 3, 'Asia/Shanghai')
		   GROUP BY event_id)`,
		{ city: INCIDENT.city / 100, from: `${from} 00:00:00`, to: `${to} 00:00:00` }
	);
	expect(Number(await table.locator('tfoot td[data-col=total]').getAttribute('data-value'))).toBeCloseTo((100 * Number(city!.hits)) / Number(city!.total), 9);

	// Sorting by the item's column puts its highest value first (其他 would stay last).
	await table.locator(`thead th[data-col="${INCIDENT.item}"] button`).click();
	const sorted = await table.locator(`tbody tr td[data-col="${INCIDENT.item}"]`).evaluateAll((tds) =>
		tds
			.map((td) => td.getAttribute('data-value'))
			.filter((v) => v !== '')
			.map(Number)
	);
	expect(sorted).toEqual([...sorted].sort((a, b) => b - a));

	// What is on screen: every cell and total by row and column key.
	const onScreen = async (p: Page) =>
		p
			.getByTestId('pivot-table')
			.locator('tbody tr[data-row], tfoot tr[data-row]')
			.evaluateAll((rows) =>
				rows.flatMap((r) =>
					[...r.querySelectorAll('td[data-col]')].map((td): [string, string] => [
						`${r.getAttribute('data-row')}|${td.getAttribute('data-col')}`,
						td.getAttribute('data-value') ?? ''
					])
				)
			);
	const cells = new Map(await onScreen(page));
	expect(cells.size).toBeGreaterThan(3);
	await shots(page, 'pivot', info);
	await page.getByTestId('pivot').screenshot({ path: info.outputPath('analyze-pivot-panel-1920.png') });
	await noSeriousAxe(page, 'pivot');

	// The link reopened: the same pivot, the same figures.
	const viewUrl = page.url();
	const other = await browser.newPage({ storageState: await page.context().storageState() });
	await other.setViewportSize(SIZES[0]!);
	await other.goto(viewUrl);
	await expect(other.getByTestId('pivot-table').locator(`tbody tr[data-row="${INCIDENT.county}"] td[data-col="${INCIDENT.item}"]`)).toHaveText('25.0%', {
		timeout: 30_000
	});
	expect(new Map(await onScreen(other))).toEqual(cells);
	await expect(other.getByRole('combobox', { name: '列', exact: true })).toHaveValue('item');
	await other.close();

	// Excel: the 透视表 sheet holds every cell on screen as a number (columns matched by their header label).
	const headers = await table
		.locator('thead th[data-col]')
		.evaluateAll((ths) => ths.map((th) => [th.getAttribute('data-col')!, (th.textContent ?? '').replace(/[⇅▲▼]/g, '').trim()]));
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-table').locator('[data-format=xlsx]').click()]);
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.readFile(await download.path());
	const sheet = wb.getWorksheet('透视表')!;
	expect(sheet, 'a 透视表 sheet').toBeDefined();
	expect(wb.getWorksheet('查询条件')).toBeDefined();
	const header = Array.from(sheet.getRow(1).values as unknown[], (v) => String(v ?? ''));
	const colOf = new Map(headers.map(([key, label]) => [key, header.indexOf(`${label}（%）`)]));
	colOf.set('total', header.indexOf('合计（%）'));
	for (const idx of colOf.values()) expect(idx).toBeGreaterThan(2);
	let compared = 0;
	sheet.eachRow((row, n) => {
		if (n === 1 || compared >= cells.size) return;
		const key = row.getCell(1).value === '合计' ? 'total' : String(row.getCell(2).value);
		for (const [col, idx] of colOf) {
			const want = cells.get(`${key}|${col}`);
			if (want === undefined) continue;
			const got = row.getCell(idx).value;
			if (want === '') expect(got ?? null, `${key}|${col}`).toBeNull();
			else expect(got as number, `${key}|${col}`).toBeCloseTo(Number(want), 9);
			compared++;
		}
	});
	expect(compared).toBe(cells.size);

	// A click on the planted cell applies both: the county (drill) and the item (a chip). A county has no child
	// regions, so the rows fall back to 部门 (事项 is the columns) and the panel says so; the item's column is the planted 25 %.
	const rowsSelect = page.getByRole('combobox', { name: '行', exact: true });
	const columnsSelect = page.getByRole('combobox', { name: '列', exact: true });
	await cell.locator('button').click();
	await expect(page).toHaveURL(new RegExp(`r=${INCIDENT.county}.*&pr=department`));
	await expect(page.getByTestId('filter-chips').locator(`[data-chip="item=${INCIDENT.item}"]`)).toBeVisible();
	await expect(page.getByTestId('pivot-fallback')).toHaveText('区县没有下级地区，透视表的行已由“地区”改为“部门”。');
	await expect(rowsSelect).toHaveValue('department');
	await expect(table.locator('caption')).toContainText('部门 × 事项', { timeout: 30_000 });
	await expect(table.locator(`tfoot td[data-col="${INCIDENT.item}"]`)).toHaveText('25.0%');
	await expect(page.getByTestId('pivot').getByRole('alert')).toHaveCount(0);
	// Back: exactly the previous view — its URL, its axes, no chip, no note, and every cell on screen as before.
	await page.goBack();
	await expect(page).toHaveURL(viewUrl);
	await expect(rowsSelect).toHaveValue('region');
	await expect(columnsSelect).toHaveValue('item');
	await expect(page.getByTestId('filter-chips').locator(`[data-chip="item=${INCIDENT.item}"]`)).toHaveCount(0);
	await expect(page.getByTestId('pivot-fallback')).toHaveCount(0);
	await expect(table.locator('caption')).toContainText('区县 × 事项', { timeout: 30_000 });
	await expect.poll(async () => new Map(await onScreen(page)), { timeout: 30_000 }).toEqual(cells);

	// Time as columns at a day grain: the view's three days in order (the grain in the URL too).
	await page.getByRole('combobox', { name: '列', exact: true }).selectOption('time');
	await expect(page).toHaveURL(/pc=time/);
	await page.getByRole('combobox', { name: '时间粒度', exact: true }).selectOption('day');
	await expect(page).toHaveURL(/pg=day/);
	const dayColumns = page.getByTestId('pivot-table').locator('thead th[data-col]');
	await expect(dayColumns).toHaveCount(3, { timeout: 30_000 });
	expect(await dayColumns.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-col')))).toEqual([beijingDay(-4), beijingDay(-3), beijingDay(-2)]);

	// Large type (×1.5), then dark with high contrast: the table still reads; back to the defaults.
	await page.getByTestId('toggle-large-type').click();
	await shots(page, 'pivot-large-type', info);
	await page.getByTestId('pivot').screenshot({ path: info.outputPath('analyze-pivot-panel-large.png') });
	await page.getByTestId('toggle-large-type').click();
	await page.getByTestId('toggle-dark').click();
	await page.getByTestId('toggle-contrast').click();
	await page.getByTestId('pivot').screenshot({ path: info.outputPath('analyze-pivot-panel-dark-contrast.png') });
	await noSeriousAxe(page, 'pivot, dark, high contrast');
	await page.getByTestId('toggle-dark').click();
	await page.getByTestId('toggle-contrast').click();

	// A drill to the county (the region contributor: the same navigation as the map's click) while the rows are
	// the city's 区县 and the columns its three days: the rows fall back to 事项 by themselves, the URL follows, no
	// 400 — the planted item's row reads 10 of 40 on time (25.0 %) each day and over the period, as the raw events above.
	await page.getByTestId('contributions').locator(`li[data-dimension=region][data-key="${INCIDENT.county}"]`).getByTestId('contributor').click();
	await expect(page).toHaveURL(new RegExp(`r=${INCIDENT.county}`));
	expect(new URL(page.url()).searchParams.get('pr')).toBeNull(); // rows = by = 事项
	expect(new URL(page.url()).searchParams.get('by')).toBe('item');
	await expect(page.getByTestId('pivot-fallback')).toHaveText('区县没有下级地区，透视表的行已由“地区”改为“事项”。');
	await expect(rowsSelect).toHaveValue('item');
	await expect(columnsSelect).toHaveValue('time');
	const itemRow = table.locator(`tbody tr[data-row="${INCIDENT.item}"]`);
	await expect(itemRow.locator('td[data-col]')).toHaveText(['25.0%', '25.0%', '25.0%', '25.0%'], { timeout: 30_000 });
	expect(await itemRow.locator('td[data-col]').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-col')))).toEqual([
		beijingDay(-4),
		beijingDay(-3),
		beijingDay(-2),
		'total'
	]);
	await expect(page.getByTestId('pivot').getByRole('alert')).toHaveCount(0);
	await page.getByTestId('pivot').screenshot({ path: info.outputPath('analyze-pivot-county-fallback.png') });
});

/** The ISO week of a date, 'YYYY-Www' (the test's own arithmetic, not the product's calendar). */
function isoWeekLabel(date: string): string {
	const d = Date.parse(`${date}T00:00:00Z`);
	const monday0 = (new Date(d).getUTCDay() + 6) % 7;
	const thursday = new Date(d + (3 - monday0) * 86_400_000);
	const year = thursday.getUTCFullYear();
	const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
	return `${year}-W${String(week).padStart(2, '0')}`;
}

test('anomaly flags name the planted days at day grain and the incident week at week grain, with the rate and its baseline in words', async ({
	page
}, info) => {
	test.setTimeout(150_000);
	// The incident (10 of 40 on time on days −4, −3, −2; all 40 on days −7 … −5) and the item's steady history before it (10 a day, all on time).
	await plantIncidentWithHistory();
	await signIn(page, ensureUser('e2e-analyst-gd', 'analyst', String(INCIDENT.province)));
	await page.setViewportSize(SIZES[0]!);
	const chartReady = () => expect(page.getByTestId('series-chart')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
	const flagged = () =>
		page
			.getByTestId('anomalies')
			.locator('li[data-bucket]')
			.evaluateAll((els) => els.map((e) => e.getAttribute('data-bucket')));
	const view = `/analyze?r=${INCIDENT.county}&ind=onTimeRate&item=${INCIDENT.item}&to=${beijingDay(-1)}`;
	const incident = [beijingDay(-4), beijingDay(-3), beijingDay(-2)];

	// Day grain over two weeks: exactly the three planted days, each 25.0 % against a baseline of 100.0 %.
	await page.goto(`${view}&from=${beijingDay(-14)}&g=day`);
	await chartReady();
	await expect.poll(flagged, { timeout: 30_000 }).toEqual(incident);
	for (const li of await page.getByTestId('anomalies').locator('li[data-bucket]').all()) {
		await expect(li).toContainText('按时办结率 25.0%，低于同期基线 100.0%（−75.0 个百分点，样本 40 件');
	}
	await page.screenshot({ path: info.outputPath('analyze-anomalies-day-1920.png'), fullPage: true });
	await page.getByTestId('toggle-large-type').click();
	await expect(page.locator('html')).toHaveAttribute('data-type', 'large');
	await chartReady();
	await page.screenshot({ path: info.outputPath('analyze-anomalies-day-large.png'), fullPage: true });
	await page.getByTestId('toggle-large-type').click();
	await expect(page.locator('html')).not.toHaveAttribute('data-type', 'large');

	// Week grain over ten weeks: the week(s) holding the incident days, and no week of the steady history.
	await page.goto(`${view}&from=${beijingDay(-70)}&g=week`);
	await chartReady();
	await expect.poll(flagged, { timeout: 30_000 }).toEqual([...new Set(incident.map(isoWeekLabel))]);
	await expect(page.getByTestId('anomalies')).toContainText('低于同期基线 100.0%');
	await page.screenshot({ path: info.outputPath('analyze-anomalies-week-1920.png'), fullPage: true });
});
