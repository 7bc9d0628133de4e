/**
 * A wall outlives its server: killed, the freshness marker greys while the panels
 * keep their values; restarted, the stream resumes by itself. Last in the run (its
 * file sorts last): killing a server mid-query leaves the shared warehouse busy for
 * a while, which other tests must not see.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect, test, type Page } from '@playwright/test';

const warehouseUrl = `http://127.0.0.1:${process.env.TIANSHU_E2E_WAREHOUSE_PORT}`;
const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const CHARTS = ['hourly', 'channels', 'durations', 'satisfaction-gauge', 'economy-trend', 'map', 'kpis', 'rankings-list', 'ticker'];

async function untilDataToday(request: import('@playwright/test').APIRequestContext) {
	await expect
		.poll(async () => {
			const res = await request.get(`/api/trpc/cockpit.panel?input=${input({ adcode: 0, panel: 'kpis' })}`);
			return (await res.json()).result.data.data.kpis[0].value;
		}, { timeout: 90_000 })
		.toBeGreaterThan(0);
}

async function allReady(page: Page) {
	for (const id of CHARTS) await expect(page.getByTestId(id).first()).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
}

function startProcess(args: string[], env: Record<string, string>): { child: ChildProcess; line: (pattern: RegExp) => Promise<string> } {
	const child = spawn(process.execPath, ['bin/tianshu.js', ...args], { env: { ...process.env, CLICKHOUSE_URL: warehouseUrl, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
	const lines = createInterface({ input: child.stdout! });
	const seen: string[] = [];
	const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
	lines.on('line', (l) => {
		seen.push(l);
		for (const w of waiters.filter((w) => w.pattern.test(l))) w.resolve(l);
	});
	const line = (pattern: RegExp) => new Promise<string>((resolve) => (seen.find((l) => pattern.test(l)) ? resolve(seen.find((l) => pattern.test(l))!) : waiters.push({ pattern, resolve })));
	return { child, line };
}

test('a killed server greys the freshness marker; restarted, the wall resumes by itself', async ({ page, request }) => {
	test.setTimeout(180_000);
	await untilDataToday(request);
	const port = Number(process.env.TIANSHU_E2E_PORT ?? 4317) + 2;
	let web = startProcess(['web', '--port', String(port)], { ORIGIN: `http://127.0.0.1:${port}` });
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
		web = startProcess(['web', '--port', String(port)], { ORIGIN: `http://127.0.0.1:${port}` });
		await web.line(/Listening on/);
		await expect(fresh).toHaveAttribute('data-stale', 'false', { timeout: 90_000 });
		await expect(fresh).toContainText('数据更新');
	} finally {
		web.child.kill('SIGTERM');
	}
});

