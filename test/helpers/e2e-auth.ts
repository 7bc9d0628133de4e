/**
 * Signing in for the browser tests: accounts and wall tokens made with the CLI
 * (`tianshu user add`, `tianshu wall issue`) against the run's app database, and
 * the sign-in itself through the /login form in Chromium.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

/** The app database of the product the run started (beside its warehouse directory). */
export const e2eAppDbDir = () => path.join(process.env.TIANSHU_E2E_DATA!, 'appdb');

/** `tianshu <args>` against an app database directory; fails the test on a non-zero exit. */
export function tianshu(args: string[], options: { input?: string; appdbDir?: string } = {}): string {
	const r = spawnSync(process.execPath, ['bin/tianshu.js', ...args], {
		env: { ...process.env, DATABASE_URL: '', TIANSHU_APPDB_DATA: options.appdbDir ?? e2eAppDbDir() },
		input: options.input ?? '',
		encoding: 'utf8'
	});
	expect(r.status, `tianshu ${args.join(' ')}: ${r.stderr}`).toBe(0);
	return r.stdout;
}

export interface E2eUser {
	name: string;
	password: string;
}

/** An account of `role` over `regions` (made once per name: a second call finds it). */
export function ensureUser(name: string, role: string, regions: string, appdbDir?: string): E2eUser {
	const password = `Tianshu-e2e-2026-${name.length}`;
	const listed = tianshu(['user', 'list'], { appdbDir });
	if (!listed.split('\n').some((l) => l.split(/\s+/)[0] === name))
		tianshu(['user', 'add', name, '--role', role, '--region', regions], { input: password, appdbDir });
	return { name, password };
}

/** A new wall token for a region (printed once by the CLI). */
export function issueWallToken(region: number, appdbDir?: string): string {
	return tianshu(['wall', 'issue', '--name', `e2e-${region}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`, '--region', String(region)], {
		appdbDir
	}).trim();
}

/** Signs in through the /login form (the real page, its form action and cookie). */
export async function signIn(page: Page, user: E2eUser, base = ''): Promise<void> {
	// Whoever was signed in on this host before (the browser sends a host's cookies to all its ports) is forgotten.
	await page.context().clearCookies();
	await page.goto(`${base}/login`);
	await page.locator('input[name=username]').fill(user.name);
	await page.locator('input[name=password]').fill(user.password);
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.getByRole('button', { name: '登录' }).click()]);
}
