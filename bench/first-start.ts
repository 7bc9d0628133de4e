/**
 * First start with history (`tianshu start` on an empty data directory, the
 * simulator at TIANSHU_SIMULATE_RATE, 400 days of history):
 * - time to a usable cockpit: the web server ready and today's cases stored;
 * - time to the full history: the history written, and stored up to its last day
 *   (what ends the cockpit's 历史数据加载中 banner, src/lib/server/cockpit/history.ts);
 * - lines written, and the feed directory's size.
 * TIANSHU_BENCH_HISTORY_DAYS shortens the history (default 400).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { historyEnd, historyLoading } from '../src/lib/server/cockpit/history.ts';
import { historyFrontier } from '../src/lib/server/queries/cockpit/history.ts';
import { setting } from '../src/lib/server/config.ts';
import { createWarehouse } from '../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../src/lib/server/warehouse/config.ts';
import { rows } from '../src/lib/server/queries/statement.ts';
import { projectRoot, tianshuBin } from '../src/lib/server/warehouse/embedded/spawn.ts';
import { beijingDate as beijingDay } from '../src/lib/time/working-days.ts';

export async function benchFirstStart(): Promise<void> {
	const port = Number(process.env.TIANSHU_BENCH_PORT ?? 4417);
	const days = process.env.TIANSHU_BENCH_HISTORY_DAYS ?? '400';
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-bench-first-start-'));
	const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
	for (const k of ['CLICKHOUSE_URL', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'DATABASE_URL', 'PORT', 'TIANSHU_WAREHOUSE_DATA', 'TIANSHU_APPDB_DATA'])
		delete env[k];
	const t0 = performance.now();
	const args = [
		'start',
		'--no-build',
		'--data',
		path.join(dir, 'warehouse'),
		'--warehouse-port',
		String(port + 1),
		'--port',
		String(port),
		'--history-days',
		days
	];
	const product = spawn(process.execPath, [tianshuBin, ...args], { cwd: projectRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
	const at: Record<string, number> = {};
	createInterface({ input: product.stdout! }).on('line', (l) => {
		if (l.includes('天枢已就绪')) at.ready ??= performance.now() - t0;
		if (l.includes('历史数据已写完')) at.written ??= performance.now() - t0;
	});
	const until = async (what: string, timeoutMs: number, check: () => Promise<boolean>) => {
		const end = Date.now() + timeoutMs;
		while (Date.now() < end) {
			if (await check().catch(() => false)) return performance.now() - t0;
			await new Promise((r) => setTimeout(r, 1000));
		}
		throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
	};
	try {
		await until('the web server', 600_000, async () => at.ready !== undefined);
		const warehouse = createWarehouse(warehouseConfig({ TIANSHU_WAREHOUSE_DATA: path.join(dir, 'warehouse'), TIANSHU_WAREHOUSE_PORT: String(port + 1) }));
		const ctx = { warehouse };
		const today = beijingDay(Date.now());
		const usable = await until('today’s cases', 600_000, async () => (await historyFrontier(ctx, today, '2100-01-01')) === today);
		const progressFile = path.join(dir, 'feed', 'history.json');
		const full = await until('the full history', 7_200_000, async () => {
			if (!existsSync(progressFile)) return false;
			const progress = JSON.parse(readFileSync(progressFile, 'utf8')) as { from: string; to: string; done: boolean };
			return historyLoading(progress, await historyFrontier(ctx, beijingDay(Date.parse(progress.from)), historyEnd(progress))) === null;
		});
		const [stored] = await rows<{ n: number }>(
			ctx,
			'SELECT (SELECT count() FROM case_events) + (SELECT count() FROM reviews) + (SELECT count() FROM review_actions) + (SELECT count() FROM hotline_events) AS n',
			{}
		);
		await warehouse.close();
		const feed = path.join(dir, 'feed');
		const bytes = readdirSync(feed).reduce((s, f) => s + statSync(path.join(feed, f)).size, 0);
		const rate = process.env.TIANSHU_SIMULATE_RATE ? Number(process.env.TIANSHU_SIMULATE_RATE) : setting('TIANSHU_SIMULATE_RATE', {});
		console.log(`\n## First start (${days} days of history at ${rate} events/s)\n`);
		console.log('| measure | figure |');
		console.log('|---|---|');
		console.log(`| web server ready (天枢已就绪) | ${(at.ready! / 1000).toFixed(0)} s |`);
		console.log(`| usable cockpit: today's cases stored | ${(usable / 1000).toFixed(0)} s |`);
		if (at.written !== undefined) console.log(`| history written by the simulator | ${(at.written / 1000).toFixed(0)} s |`);
		console.log(`| full history stored (banner gone) | ${(full / 1000).toFixed(0)} s |`);
		console.log(`| service events stored | ${Number(stored?.n ?? 0).toLocaleString('en')} |`);
		console.log(`| feed directory | ${(bytes / 2 ** 20).toFixed(0)} MiB |`);
	} finally {
		product.kill('SIGTERM');
		await new Promise((r) => (product.exitCode !== null ? r(null) : product.once('exit', r)));
		rmSync(dir, { recursive: true, force: true });
	}
}
