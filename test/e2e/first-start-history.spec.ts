/**
 * A first start with history: a product of its own (`tianshu start` on its own data
 * directory and ports) simulating one county (南山区) at a tiny volume, with 400 days
 * of history behind the recent week. Once the header's 历史数据加载中 banner is gone,
 * the cockpit at 1920×1080 for the nation, the province and the county shows a 同比
 * and a 环比 on each of the five KPIs that have both (今日预警 is left out: its 环比 is a
 * percentage of yesterday's count), a movement (not 新) for every ranked unit, and the economy
 * panel a 1–2月 point. Screenshots are kept in the test's output directory.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test } from '@playwright/test';
import { allReady, input } from './cockpit-helpers.ts';

const webPort = Number(process.env.TIANSHU_E2E_PORT ?? 4317) + 40;
const COUNTY = 440305;

/** A wall token for a region of the product in `dir` (the cockpit is behind the door; a wall token opens one region's). */
function wallToken(dir: string, adcode: number): string {
	const r = spawnSync(process.execPath, ['bin/tianshu.js', 'wall', 'issue', '--name', `history-${adcode}`, '--region', String(adcode)], {
		env: { ...process.env, DATABASE_URL: '', TIANSHU_APPDB_DATA: path.join(dir, 'appdb') },
		encoding: 'utf8'
	});
	expect(r.status, r.stderr).toBe(0);
	return r.stdout.trim();
}

test('after the first start’s history, every comparison on the cockpit is filled', async ({ page }, info) => {
	test.setTimeout(900_000);
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-history-'));
	const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
	for (const k of ['CLICKHOUSE_URL', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'DATABASE_URL', 'PORT', 'TIANSHU_WAREHOUSE_DATA', 'TIANSHU_APPDB_DATA'])
		delete env[k];
	const args = ['--data', path.join(dir, 'warehouse'), '--warehouse-port', String(webPort + 1), '--port', String(webPort)];
	// One county, ≈ 860 lines a day: 400 days are ≈ 350 000 lines.
	args.push('--simulate-scope', String(COUNTY), '--simulate-rate', '0.01', '--simulate-days', '7', '--history-days', '400');
	const child = spawn(process.execPath, ['bin/tianshu.js', 'start', '--no-build', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
	const ready = new Promise<void>((resolve) =>
		createInterface({ input: child.stdout! }).on('line', (l) => {
			if (l.includes('天枢已就绪')) resolve();
		})
	);
	const url = `http://127.0.0.1:${webPort}`;
	// The wall's cookie lets the page's API calls in too.
	const panel = async (adcode: number, name: string) => {
		const res = await page.request.get(`${url}/api/trpc/cockpit.panel?input=${input({ adcode, panel: name })}`);
		return res.ok() ? ((await res.json()) as { result: { data: { data: { history?: unknown } } } }).result.data.data : null;
	};
	try {
		await ready;
		await page.setViewportSize({ width: 1920, height: 1080 });
		await page.goto(`${url}/wall/${wallToken(dir, 0)}`);
		// The documented wait: the banner says 历史数据加载中 until the history is stored.
		const loading = async () => {
			const header = await panel(0, 'header');
			return header === null ? 'no answer' : (header.history ?? null);
		};
		await expect.poll(loading, { timeout: 600_000, intervals: [1000] }).toBeNull();
		for (const adcode of [0, 440000, COUNTY]) {
			// The county's wall is its city's: a county is ranked among its city's counties, which a county-bound wall may not see.
			if (adcode !== 0) await page.goto(`${url}/wall/${wallToken(dir, adcode === COUNTY ? 440300 : adcode)}`);
			await page.goto(`${url}/cockpit?adcode=${adcode}&rotate=0`);
			await allReady(page);
			await expect(page.getByTestId('history-loading')).toHaveCount(0);
			// The five KPIs with both comparisons; 今日预警 against yesterday as a difference in 条 (0 → 2 has no percentage).
			const changes = await page.locator('[data-testid=kpis] .tile:not([data-kpi=warnings]) .change').allInnerTexts();
			expect(changes.length, `KPIs of ${adcode}`).toBe(10);
			await expect(page.getByTestId('warnings-vs-yesterday')).toHaveText(/^较昨日 (持平|[▲▼]\d+条)$/);
			expect(
				changes.filter((t) => t.includes('—')),
				`同比/环比 of ${adcode}`
			).toEqual([]);
			const moves = await page.locator('[data-testid=rankings-list] .move').allInnerTexts();
			expect(moves.length, `rankings of ${adcode}`).toBeGreaterThan(0);
			expect(moves.filter((t) => t === '新')).toEqual([]);
			// The province's statistics (the nation's are not simulated for one county): 1–2月 is the first point.
			if (adcode !== 0) await expect(page.getByTestId('economy-trend-title')).toHaveAttribute('data-points', /^1–2月,1–3月/);
			await page.screenshot({ path: info.outputPath(`first-start-history-${adcode}.png`) });
		}
	} finally {
		child.kill('SIGTERM');
		await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
		rmSync(dir, { recursive: true, force: true });
	}
});
