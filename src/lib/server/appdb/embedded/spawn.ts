/** Starts `tianshu appdb` as a child process: for tests and benchmarks that need an app database of their own. */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { spawnPart } from '../../spawn-part.ts';
import { appDbFiles, embeddedUrl } from '../config.ts';

export interface RunningAppDb {
	/** Connection URL with the password. */
	url: string;
	port: number;
	pid: number;
	child: ChildProcess;
	stop(): Promise<number | null>;
}

/** Starts the embedded app database on a free port in `dir`; resolves once it logs that it is ready. */
export async function spawnAppDb(dir: string, options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunningAppDb> {
	const part = await spawnPart<{ port: number }>(['appdb', '--data', dir, '--port', '0'], 'appdb ready', {
		...options,
		env: { LOG_LEVEL: 'info', ...options.env }
	});
	const port = part.ready.port;
	const password = readFileSync(appDbFiles(dir).password, 'utf8').trim();
	return { url: embeddedUrl(port, password), port, pid: part.pid, child: part.child, stop: part.stop };
}
