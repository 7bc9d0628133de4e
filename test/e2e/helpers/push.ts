/**
 * A push source of the run's product, as a feed would use it: a new source with its token
 * (`tianshu source add`), an ingest worker with its HTTP push endpoint, and a way to post
 * NDJSON lines to it. The caller stops the worker.
 */
import { spawnSync } from 'node:child_process';
import { expect } from '@playwright/test';
import { startProcess } from '../cockpit-helpers.ts';

export interface PushSource {
	/** Posts the lines (one event each) and answers the endpoint's reply. */
	post(lines: string[]): Promise<{ accepted: number; rejected: number }>;
	stop(): void;
}

export async function openPushSource(name: string, types: string): Promise<PushSource> {
	const appdb = { TIANSHU_APPDB_DATA: `${process.env.TIANSHU_E2E_DATA}/appdb` };
	const issued = spawnSync(process.execPath, ['bin/tianshu.js', 'source', 'add', name, '--types', types], {
		env: { ...process.env, ...appdb },
		encoding: 'utf8'
	});
	expect(issued.status, issued.stderr).toBe(0);
	const worker = startProcess(['ingest', '--http', '0'], appdb);
	try {
		const endpoint = JSON.parse(await worker.line(/push endpoint ready/)).url as string;
		const token = issued.stdout.trim();
		return {
			post: async (lines) => (await fetch(endpoint, { method: 'POST', body: lines.join('\n'), headers: { Authorization: `Bearer ${token}` } })).json(),
			stop: () => worker.child.kill('SIGTERM')
		};
	} catch (e) {
		worker.child.kill('SIGTERM');
		throw e;
	}
}
