/**
 * A wall outlives its server: killed, the freshness marker greys while the panels
 * keep their values; restarted, the stream resumes by itself. Last in the run (its
 * file sorts last): killing a server mid-query leaves the shared warehouse busy for
 * a while, which other tests must not see.
 */
import { expect, test } from '@playwright/test';
import { allReady, startProcess, untilDataToday } from './cockpit-helpers.ts';
import { e2eAppDbDir } from '../helpers/e2e-auth.ts';

test('a killed server greys the freshness marker; restarted, the wall resumes by itself', async ({ page, request }) => {
	test.setTimeout(180_000);
	await untilDataToday(request);
	const port = Number(process.env.TIANSHU_E2E_PORT ?? 4317) + 2;
	let web = startProcess(['web', '--port', String(port)], { ORIGIN: `http://127.0.0.1:${port}`, TIANSHU_APPDB_DATA: e2eAppDbDir() });
	try {
		await web.line(/Listening on/);
		await page.setViewportSize({ width: 1920, height: 1080 });
		await page.goto(`http://127.0.0.1:${port}/cockpit?adcode=440000`);
		await allReady(page);
		const fresh = page.getByTestId('freshness');
		await expect(fresh).toHaveAttribute('data-stale', 'false');
		web.child.kill('SIGKILL');
		await expect(fresh).toHaveAttribute('data-stale', 'true', { timeout: 60_000 });
		await expect(fresh).toContainText('连接中断');
		// The panels keep their last values: nothing blanks.
		await expect(page.locator('[data-kpi=caseVolume]')).not.toHaveAttribute('data-value', '');
		web = startProcess(['web', '--port', String(port)], { ORIGIN: `http://127.0.0.1:${port}`, TIANSHU_APPDB_DATA: e2eAppDbDir() });
		await web.line(/Listening on/);
		await expect(fresh).toHaveAttribute('data-stale', 'false', { timeout: 90_000 });
		await expect(fresh).toContainText('数据更新');
	} finally {
		web.child.kill('SIGTERM');
	}
});
