/** What the cockpit's browser tests share: the API, readiness of every panel, extra processes of the product. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const warehouseUrl = `http://127.0.0.1:${process.env.TIANSHU_E2E_WAREHOUSE_PORT}`;
/** The run's warehouse directory: its credentials file is how the processes below get the accounts (the web reads, the rest write). */
export const warehouseData = `${process.env.TIANSHU_E2E_DATA}/warehouse`;
export const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
export const CHARTS = ['hourly', 'channels', 'durations', 'satisfaction-gauge', 'economy-trend', 'map', 'kpis', 'rankings-list', 'ticker'];

export async function apiPanel(request: APIRequestContext, adcode: number, panel: string) {
	const res = await request.get(`/api/trpc/cockpit.panel?input=${input({ adcode, panel })}`);
	expect(res.status()).toBe(200);
	return (await res.json()).result.data.data;
}

/** Waits until the simulated history is in (the server starts before the feed is ingested): cases in the nation today. */
export async function untilDataToday(request: APIRequestContext) {
	await expect.poll(async () => (await apiPanel(request, 0, 'kpis')).kpis[0].value, { timeout: 90_000 }).toBeGreaterThan(0);
}

export async function allReady(page: Page) {
	for (const id of CHARTS) await expect(page.getByTestId(id).first()).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
}

/** Runs `tianshu <args>` against the run's warehouse; `line` resolves with the first stdout line matching. */
export function startProcess(args: string[], env: Record<string, string>): { child: ChildProcess; line: (pattern: RegExp) => Promise<string> } {
	const child = spawn(process.execPath, ['bin/tianshu.js', ...args], {
		env: { ...process.env, CLICKHOUSE_URL: warehouseUrl, TIANSHU_WAREHOUSE_DATA: warehouseData, ...env },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	const lines = createInterface({ input: child.stdout! });
	const seen: string[] = [];
	const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
	lines.on('line', (l) => {
		seen.push(l);
		for (const w of waiters.filter((w) => w.pattern.test(l))) w.resolve(l);
	});
	const line = (pattern: RegExp) =>
		new Promise<string>((resolve) => (seen.find((l) => pattern.test(l)) ? resolve(seen.find((l) => pattern.test(l))!) : waiters.push({ pattern, resolve })));
	return { child, line };
}
