/**
 * The 好差评 workbench in Chromium against the real product, as a service manager of
 * one quiet county: 差评 pushed through the product's ingest path show in the queue;
 * handling them on screen changes the queue, the overview's figures and the
 * cockpit's 待整改 without a reload; a disallowed action shows the server's message and
 * changes nothing; an upheld appeal takes the 差评 out of the 好评率's denominator.
 * Axe finds nothing serious; screenshots at 1920×1080 (and in large type).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ensureUser, signIn } from '../helpers/e2e-auth.ts';
import { startProcess } from './cockpit-helpers.ts';

const COUNTY = 632724; // 治多县: quiet in the simulated feed, so our reviews are what changes
const appdb = { TIANSHU_APPDB_DATA: `${process.env.TIANSHU_E2E_DATA}/appdb` };

/** A Beijing-time timestamp `minutesAgo` before now, as the contract takes it. */
const beijingTs = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000 + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';

const value = async (tile: Locator) => Number(await tile.getAttribute('data-value'));
const row = (page: Page, id: string) => page.locator(`[data-testid=queue-row][data-review="${id}"]`);
/** Opens a review's timeline from its queue row; a click that lands while the queue refreshes after an action is tried again. */
async function openReview(page: Page, id: string) {
	await expect(async () => {
		await row(page, id).getByRole('link').click();
		await expect(page.getByTestId('review-detail')).toHaveAttribute('data-review', id, { timeout: 5_000 });
	}).toPass({ timeout: 45_000 });
}

async function act(page: Page, action: string, note: string, choice?: string) {
	const form = page.getByTestId('act-form');
	await form.getByRole('radio', { name: action, exact: true }).check();
	if (choice) await form.getByRole('radio', { name: choice }).check();
	await form.getByLabel('说明').fill(note);
	await form.getByRole('button', { name: '提交' }).click();
}

async function axeClean(page: Page) {
	const r = await new AxeBuilder({ page }).analyze();
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
		'axe serious/critical'
	).toEqual([]);
}

test('a 差评 handled on screen shows in the queue, the figures and the cockpit without a reload', async ({ page, browser }, info) => {
	test.setTimeout(150_000);
	const run = Date.now().toString(36);
	const ids = { good: `e2e-rv-good-${run}`, late: `e2e-rv-a-${run}`, appeal: `e2e-rv-b-${run}` };

	// Reviews come in through the product's own push endpoint, as a feed's would.
	const issued = spawnSync(process.execPath, ['bin/tianshu.js', 'source', 'add', `e2e-reviews-${run}`, '--types', 'review,review_action'], {
		env: { ...process.env, ...appdb },
		encoding: 'utf8'
	});
	expect(issued.status, issued.stderr).toBe(0);
	const worker = startProcess(['ingest', '--http', '0'], appdb);
	const leaderPage = await browser.newContext({
		storageState: path.join(process.env.TIANSHU_E2E_DATA!, 'leader.json'),
		viewport: { width: 1920, height: 1080 }
	});
	try {
		const endpoint = JSON.parse(await worker.line(/push endpoint ready/)).url as string;
		const review = (id: string, rating: number, minutesAgo: number, tags: string[], comment: string) => ({
			type: 'review',
			review_id: id,
			case_id: `case-${id}`,
			ts: beijingTs(minutesAgo),
			adcode: COUNTY,
			department: '县政务服务中心',
			item_code: 'E2E-RV',
			channel: 'counter',
			rating,
			named: true,
			tags,
			comment
		});
		const batch = [
			review(ids.good, 5, 90, [], '办事很快'),
			review(ids.late, 1, 80, ['等候时间长'], '排队时间太长，等了两个小时，电话13812345678'),
			review(ids.appeal, 2, 70, ['系统故障'], '系统总是卡')
		];
		const res = await fetch(endpoint, {
			method: 'POST',
			body: batch.map((e) => JSON.stringify(e)).join('\n'),
			headers: { Authorization: `Bearer ${issued.stdout.trim()}` }
		});
		expect((await res.json()).accepted).toBe(3);

		const manager = ensureUser('e2e-reviews-manager', 'service_manager', String(COUNTY));
		await signIn(page, manager);
		await page.setViewportSize({ width: 1920, height: 1080 });
		await page.goto(`/reviews?adcode=${COUNTY}&period=7`);
		// The batch reaches the warehouse within the freshness goal; until then the page shows what it has.
		await expect
			.poll(
				async () => {
					if (await row(page, ids.appeal).count()) return true;
					await page.reload();
					return false;
				},
				{ timeout: 45_000, intervals: [1000] }
			)
			.toBe(true);
		// Personal data masked in the queue.
		await expect(row(page, ids.late)).toContainText('138****5678');
		await expect(row(page, ids.late)).toHaveAttribute('data-state', 'new');
		await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1)); // gone if the page reloads

		const cockpit = await leaderPage.newPage();
		await cockpit.goto(`/cockpit?adcode=${COUNTY}`);
		const waiting = cockpit.getByTestId('negative-waiting');
		const readWaiting = async () => Number((await waiting.textContent())!.replace(/\D/g, ''));
		// Our two 差评 are waiting (the number rolls up from 0 when the page opens): read it once it counts them and holds still.
		await expect.poll(readWaiting, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
		await expect
			.poll(
				async () => {
					const a = await readWaiting();
					await cockpit.waitForTimeout(1000);
					return a === (await readWaiting());
				},
				{ timeout: 30_000 }
			)
			.toBe(true);
		const waitingBefore = await readWaiting();

		const rectifiedTile = page.locator('[data-kpi=rectifiedRate]');
		const positiveTile = page.locator('[data-kpi=positiveRate]');
		const negativeTile = page.locator('[data-kpi=negativeCount]');
		const rectifiedBefore = await value(rectifiedTile);

		// Open the review: its timeline, then a disallowed action (rectify before verify).
		const detail = page.getByTestId('review-detail');
		await openReview(page, ids.late);
		const stepsBefore = await page.getByTestId('review-timeline').locator('li').count();
		await act(page, '整改', '增开两个窗口');
		await expect(page.getByTestId('act-error')).toContainText('核实');
		await expect(row(page, ids.late)).toHaveAttribute('data-state', 'new');
		await expect(page.getByTestId('review-timeline').locator('li')).toHaveCount(stepsBefore);

		await act(page, '核实', '情况属实');
		await expect(row(page, ids.late)).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
		await act(page, '整改', '增开两个窗口，高峰期引导分流');
		await expect(row(page, ids.late)).toHaveAttribute('data-state', 'rectified', { timeout: 30_000 });
		await expect(page.getByTestId('review-timeline').locator('li')).toHaveCount(stepsBefore + 2);
		// The rollups: the overview's 整改率 moves; the cockpit's 待整改 falls by one.
		await expect.poll(() => value(rectifiedTile), { timeout: 30_000 }).toBeGreaterThan(rectifiedBefore);
		await expect.poll(async () => Number((await waiting.textContent())!.replace(/\D/g, '')), { timeout: 60_000, intervals: [1000] }).toBe(waitingBefore - 1);

		await page.screenshot({ path: info.outputPath('reviews-timeline-1920x1080.png') });

		// An upheld appeal takes the 差评 out of the figures: one 差评 fewer, 好评率 over one review fewer.
		const positiveBefore = await value(positiveTile);
		const negativeBefore = await value(negativeTile);
		await openReview(page, ids.appeal);
		await act(page, '申诉', '评价人所述与事实不符，系恶意差评');
		await expect(row(page, ids.appeal)).toHaveAttribute('data-state', 'appealed', { timeout: 30_000 });
		await act(page, '申诉裁定', '经核查申诉成立', '申诉成立');
		await expect(page.getByTestId('detail-state')).toHaveText('申诉成立', { timeout: 30_000 });
		await expect.poll(() => value(negativeTile), { timeout: 30_000 }).toBe(negativeBefore - 1);
		expect(await value(positiveTile)).toBeGreaterThan(positiveBefore);
		// A second decision is refused: the server's message, nothing changes.
		await act(page, '申诉裁定', '再次裁定', '申诉驳回');
		await expect(page.getByTestId('act-error')).toBeVisible();
		await expect(page.getByTestId('detail-state')).toHaveText('申诉成立');

		expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
		await axeClean(page);

		// Screenshots: the overview, the queue, and the page in large type.
		await page.goto(`/reviews?adcode=${COUNTY}&period=7`);
		await page.screenshot({ path: info.outputPath('reviews-overview-1920x1080.png') });
		await page.getByTestId('queue-section').scrollIntoViewIfNeeded();
		await page.getByTestId('queue-section').screenshot({ path: info.outputPath('reviews-queue-1920x1080.png') });
		await page.getByTestId('toggle-large-type').click();
		await expect(page.locator('html')).toHaveAttribute('data-type', 'large');
		await page.screenshot({ path: info.outputPath('reviews-large-type-1920x1080.png') });
		await axeClean(page);
		await page.getByTestId('toggle-large-type').click();
	} finally {
		await leaderPage.close();
		worker.child.kill('SIGTERM');
	}
});
