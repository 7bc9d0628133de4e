import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// One warehouse directory for the run, made once here and inherited by workers.
process.env.TIANSHU_E2E_DATA ??= mkdtempSync(path.join(tmpdir(), 'tianshu-e2e-'));
const port = Number(process.env.TIANSHU_E2E_PORT ?? 4317);
// A known warehouse port, so tests can start their own worker or a second web server against it.
process.env.TIANSHU_E2E_WAREHOUSE_PORT ??= String(port + 1);

export default defineConfig({
	testDir: 'test/e2e',
	outputDir: 'test-results/e2e',
	timeout: 60_000,
	workers: 1,
	reporter: [['list']],
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		launchOptions: {
			// Debian's Chromium: nothing is downloaded. Flags measured in ../shared/stack-notes.md.
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--enable-unsafe-swiftshader',
				'--use-angle=swiftshader',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	// Every spec starts signed in as a national leader (auth.setup.ts signs in through /login); specs of other roles sign in themselves.
	projects: [
		{ name: 'setup', testMatch: /auth\.setup\.ts$/ },
		{ name: 'e2e', dependencies: ['setup'], use: { storageState: path.join(process.env.TIANSHU_E2E_DATA, 'leader.json') } }
	],
	webServer: {
		// The real product start path against the already built app.
		command: `node bin/tianshu.js start --no-build --data ${process.env.TIANSHU_E2E_DATA}/warehouse --warehouse-port ${process.env.TIANSHU_E2E_WAREHOUSE_PORT} --port ${port} --simulate-days 1 --simulate-rate 5 --history-days 0`,
		url: `http://127.0.0.1:${port}/healthz`,
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'ignore',
		stderr: 'pipe',
		gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 }
	}
});
