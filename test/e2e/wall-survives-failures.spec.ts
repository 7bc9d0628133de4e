/**
 * Chaos under a live wall: a whole product of its own (`tianshu start` on its own
 * data directory and ports, so the shared server of the other tests is untouched)
 * has each part killed in turn with SIGKILL. The supervisor restarts each; the
 * wall resumes by itself every time (new data reaches its KPIs without a reload);
 * afterwards every event of the feed is counted exactly once in the raw tables and
 * in every rollup, and the API agrees. Last in the run (its file sorts last).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test, type Page } from '@playwright/test';
import { allReady, input } from './cockpit-helpers.ts';
import { ensureUser, issueWallToken, signIn } from '../helpers/e2e-auth.ts';
import { createWarehouse } from '../../src/lib/server/warehouse/client.ts';
import { warehouseConfig } from '../../src/lib/server/warehouse/config.ts';

const base = Number(process.env.TIANSHU_E2E_PORT ?? 4317) + 20;
const webPort = base;
const warehousePort = base + 1;

interface LogLine {
	msg?: string;
	service?: string;
	pid?: number;
	[k: string]: unknown;
}

/** `tianshu start` with its own data directory; its JSON log lines, and a wait for one. */
function startProduct(dir: string) {
	const env = { ...process.env };
	// Its own embedded warehouse and app database, whatever the run's environment names.
	for (const k of ['CLICKHOUSE_URL', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'DATABASE_URL', 'PORT', 'TIANSHU_WAREHOUSE_DATA', 'TIANSHU_APPDB_DATA'])
		delete env[k];
	const child = spawn(
		process.execPath,
		[
			'bin/tianshu.js',
			'start',
			'--no-build',
			'--data',
			path.join(dir, 'warehouse'),
			'--warehouse-port',
			String(warehousePort),
			'--port',
			String(webPort),
			'--simulate-days',
			'0.05',
			'--simulate-rate',
			'20',
			'--history-days',
			'0'
		],
		{ env: { ...env, LOG_LEVEL: 'info' }, stdio: ['pipe', 'pipe', 'pipe'] }
	);
	const seen: LogLine[] = [];
	const waiters: Array<{ test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
	createInterface({ input: child.stdout! }).on('line', (raw) => {
		if (!raw.startsWith('{')) return;
		let line: LogLine;
		try {
			line = JSON.parse(raw) as LogLine;
		} catch {
			return;
		}
		seen.push(line);
		for (const w of waiters.filter((w) => w.test(line))) {
			waiters.splice(waiters.indexOf(w), 1);
			w.resolve(line);
		}
	});
	const next = (match: (l: LogLine) => boolean, after = seen.length) =>
		new Promise<LogLine>((resolve) => {
			const found = seen.slice(after).find(match);
			if (found) resolve(found);
			else waiters.push({ test: match, resolve });
		});
	/** The pid of the newest start of a service. */
	const pidOf = (service: string) => [...seen].reverse().find((l) => l.service === service && typeof l.pid === 'number')?.pid;
	return { child, seen, next, pidOf };
}

async function kpi(page: Page, code: string): Promise<number> {
	return Number(await page.locator(`[data-kpi=${code}]`).getAttribute('data-value'));
}

/** Distinct event ids of one type in the feed file (the simulator's ground truth, not the product's), with a field of each. */
function feedIds(file: string, type: string, idField: string, field = 'type'): Map<string, string> {
	const ids = new Map<string, string>();
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (!line.includes(`"type":"${type}"`)) continue;
		const event = JSON.parse(line) as Record<string, unknown>;
		ids.set(String(event[idField]), String(event[field]));
	}
	return ids;
}

const countOf = (ids: Map<string, string>, value: string) => [...ids.values()].filter((v) => v === value).length;

function exitOf(child: ChildProcess): Promise<number | null> {
	return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

test('each part killed in turn under a live wall: the wall resumes by itself, no event lost or doubled', async ({ page, browser }) => {
	test.setTimeout(900_000);
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-chaos-'));
	const product = startProduct(dir);
	// The API is asked as a leader of this product's own app database, signed in through /login in a context of its own.
	const leader = await browser.newContext({ storageState: { cookies: [], origins: [] } });
	try {
		await product.next((l) => typeof l.msg === 'string' && l.msg.startsWith('天枢已就绪'));
		const url = `http://127.0.0.1:${webPort}`;
		const leaderPage = await leader.newPage();
		await signIn(leaderPage, ensureUser('chaos-leader', 'leader', '0', path.join(dir, 'appdb')), url);
		const api = leaderPage.request;
		await expect
			.poll(
				async () => {
					const res = await api.get(`${url}/api/trpc/cockpit.panel?input=${input({ adcode: 0, panel: 'kpis' })}`);
					return res.ok() ? (await res.json()).result.data.data.kpis[0].value : 0;
				},
				{ timeout: 180_000 }
			)
			.toBeGreaterThan(0);
		await page.setViewportSize({ width: 1920, height: 1080 });
		// This product has its own app database: a wall token of its own opens the nation's cockpit.
		await page.goto(`${url}/wall/${issueWallToken(0, path.join(dir, 'appdb'))}`);
		await page.goto(`${url}/cockpit?adcode=0&rotate=0`);
		await allReady(page);
		const fresh = page.getByTestId('freshness');

		for (const service of ['ingest', 'simulate', 'web', 'warehouse']) {
			const pid = product.pidOf(service);
			expect(pid, `${service} is running`).toBeGreaterThan(0);
			const before = await kpi(page, 'caseVolume');
			const mark = product.seen.length;
			process.kill(pid!, 'SIGKILL');
			await product.next((l) => l.service === service && l.msg === `${service} restarted`, mark);
			// The wall comes back by itself: new cases reach the KPI, and nothing says stale.
			await expect.poll(() => kpi(page, 'caseVolume'), { timeout: 180_000, message: `after ${service} was killed` }).toBeGreaterThan(before);
			await expect(fresh).toHaveAttribute('data-stale', 'false', { timeout: 120_000 });
			await expect(fresh).toHaveAttribute('data-unavailable', 'false', { timeout: 180_000 });
		}

		// Freeze the feed, let ingest catch up, then count.
		process.kill(product.pidOf('simulate')!, 'SIGSTOP');
		const feed = path.join(dir, 'feed', 'simulated.ndjson');
		const cases = feedIds(feed, 'case', 'event_id', 'status');
		const reviews = feedIds(feed, 'review', 'review_id');
		const tickets = feedIds(feed, 'ticket', 'event_id');
		const config = warehouseConfig({ TIANSHU_WAREHOUSE_DATA: path.join(dir, 'warehouse'), TIANSHU_WAREHOUSE_PORT: String(warehousePort) });
		const warehouse = createWarehouse(config);
		const one = async (sql: string) => Number((await (await warehouse.query({ query: sql, format: 'JSONEachRow' })).json<{ n: number }>())[0]!.n);
		try {
			await expect.poll(() => one('SELECT uniqExact(event_id) AS n FROM case_events'), { timeout: 180_000 }).toBe(cases.size);
			await expect.poll(() => one('SELECT uniqExact(review_id) AS n FROM reviews'), { timeout: 60_000 }).toBe(reviews.size);
			await expect.poll(() => one('SELECT uniqExact(event_id) AS n FROM hotline_events'), { timeout: 60_000 }).toBe(tickets.size);
			// Raw tables hold each id once, and every rollup counts each once, status by status.
			expect(await one('SELECT count() AS n FROM case_events')).toBe(cases.size);
			for (const status of ['submitted', 'completed']) {
				const expected = countOf(cases, status);
				expect(expected, `the feed has ${status} cases`).toBeGreaterThan(0);
				expect(await one(`SELECT countIf(status = '${status}') AS n FROM case_events`), `raw ${status}`).toBe(expected);
				for (const t of [
					'case_stats_day',
					'case_stats_hour',
					'case_stats_minute',
					'case_region_stats_day',
					'case_region_stats_hour',
					'case_city_stats_day',
					'case_city_stats_hour'
				]) {
					expect(await one(`SELECT sum(${status}) AS n FROM ${t}`), `${t}.${status}`).toBe(expected);
				}
			}
			// The API agrees: 办件量 (submitted cases) over everything the feed holds.
			const from = '2020-01-01';
			const to = new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10);
			const res = await api.get(
				`${url}/api/trpc/indicators.query?input=${input({ indicators: ['caseVolume'], from, to, grain: 'total', region: { adcode: 0 } })}`
			);
			expect(res.status()).toBe(200);
			expect((await res.json()).result.data.series[0].total.caseVolume).toBe(countOf(cases, 'submitted'));
		} finally {
			await warehouse.close();
			process.kill(product.pidOf('simulate')!, 'SIGCONT');
		}
	} finally {
		await leader.close();
		product.child.kill('SIGTERM');
		await exitOf(product.child);
	}
});
