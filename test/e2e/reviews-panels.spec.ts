/**
 * The 好差评 workbench when one of its parts fails: the part says so in its own place,
 * in Chinese, and the rest of the page — above all the queue of 差评 to handle —
 * still shows. The failure is real: a county has no sub-regions, so the ranking by
 * 地区 is refused by the server (the planner's childColumn) while every other part
 * of the same request answers. Before, that one refusal was the whole page's 400.
 */
import { expect, test, type Page } from '@playwright/test';
import { ensureUser, signIn } from '../helpers/e2e-auth.ts';
import { openPushSource } from './helpers/push.ts';

const COUNTY = 632724; // 治多县: quiet in the simulated feed
const beijingTs = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000 + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
const row = (page: Page, id: string) => page.locator(`[data-testid=queue-row][data-review="${id}"]`);

test('a part that fails says so in its place; the queue still shows its 差评', async ({ page }, info) => {
	test.setTimeout(120_000);
	const run = Date.now().toString(36);
	const id = `e2e-rv-panel-${run}`;

	// A 差评 through the product's own push endpoint, as a feed's would come.
	const push = await openPushSource(`e2e-reviews-panels-${run}`, 'review,review_action');
	try {
		const review = {
			type: 'review',
			review_id: id,
			case_id: `case-${id}`,
			ts: beijingTs(60),
			adcode: COUNTY,
			department: '县政务服务中心',
			item_code: 'E2E-RV',
			channel: 'counter',
			rating: 1,
			named: true,
			tags: ['等候时间长'],
			comment: '排队太久'
		};
		expect((await push.post([JSON.stringify(review)])).accepted).toBe(1);

		const manager = ensureUser('e2e-reviews-panels', 'service_manager', String(COUNTY));
		await signIn(page, manager);
		await page.setViewportSize({ width: 1920, height: 1080 });
		await page.goto(`/reviews?adcode=${COUNTY}&period=7&by=region`);
		// The review reaches the warehouse within the freshness goal; until then the page shows what it has.
		await expect
			.poll(
				async () => {
					if (await row(page, id).count()) return true;
					await page.reload();
					return false;
				},
				{ timeout: 45_000, intervals: [1000] }
			)
			.toBe(true);
		await expect(row(page, id)).toContainText('排队太久');

		// The ranking says why in its own place, in Chinese; the overview, the alerts and the causes show.
		const failed = page.getByTestId('rankings-section').getByTestId('panel-error');
		await expect(failed).toHaveAttribute('data-panel', 'rankings');
		await expect(failed).toContainText('区县没有下级地区');
		await expect(page.getByTestId('panel-error')).toHaveCount(1);
		await expect(page.locator('[data-kpi=negativeCount]')).toBeVisible();
		await expect(page.getByTestId('review-alerts')).toBeVisible();
		await expect(page.getByTestId('alert-gaps')).toHaveCount(0);
		await page.screenshot({ path: info.outputPath('reviews-failed-panel-1920x1080.png') });

		// Another unit of the same panel answers, without a reload of the rest.
		await page.getByTestId('rank-by').getByRole('radio', { name: '部门' }).click();
		await expect(page.getByTestId('panel-error')).toHaveCount(0);
		await expect(page.getByTestId('rankings-section')).toContainText('按办理部门');
		await expect(row(page, id)).toBeVisible();
	} finally {
		push.stop();
	}
});
