/** Before the specs: a national leader signs in through /login; the specs start from that browser state. */
import path from 'node:path';
import { test as setup } from '@playwright/test';
import { ensureUser, signIn } from '../helpers/e2e-auth.ts';

export const LEADER_STATE = path.join(process.env.TIANSHU_E2E_DATA!, 'leader.json');

setup('a national leader signs in', async ({ page }) => {
	await signIn(page, ensureUser('e2e-leader', 'leader', '0'));
	await page.context().storageState({ path: LEADER_STATE });
});
