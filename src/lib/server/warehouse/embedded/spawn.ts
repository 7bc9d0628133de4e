/** Starts `tianshu warehouse` as a child process: for tests and benchmarks, which each need a warehouse of their own. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { processEnv } from '../../config.ts';

export const projectRoot = path.resolve(import.meta.dirname, '../../../../..');
export const tianshuBin = path.join(projectRoot, 'bin', 'tianshu.js');

export interface RunningWarehouse {
	url: string;
	/** Its data directory, which holds its credentials file. */
	dir: string;
	/**
	 * What a child process needs to reach it as the writer (or, with
	 * warehouseConfig(env, 'reader'), as the reader): its URL and the directory
	 * whose credentials file to use. No secret is in it.
	 */
	env: { CLICKHOUSE_URL: string; TIANSHU_WAREHOUSE_DATA: string };
	pid: number;
	child: ChildProcess;
	stop(): Promise<number | null>;
}

/** Starts `tianshu warehouse` on a free port and resolves once it logs that it is ready. */
export function spawnWarehouse(dir: string, options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunningWarehouse> {
	const timeoutMs = options.timeoutMs ?? 60_000;
	const child = spawn(process.execPath, [tianshuBin, 'warehouse', '--data', dir, '--port', '0'], {
		cwd: projectRoot,
		env: { ...processEnv(), ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stderr = '';
	child.stderr!.on('data', (d) => (stderr += d));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`warehouse not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`warehouse exited with ${code} before it was ready: ${stderr}`));
		});
		createInterface({ input: child.stdout! }).on('line', (line) => {
			if (!line.includes('"warehouse ready"')) return;
			clearTimeout(timer);
			const { url } = JSON.parse(line) as { url: string };
			resolve({
				url,
				dir: path.resolve(dir),
				env: { CLICKHOUSE_URL: url, TIANSHU_WAREHOUSE_DATA: path.resolve(dir) },
				pid: child.pid!,
				child,
				stop: () =>
					new Promise((done) => {
						if (child.exitCode !== null) return done(child.exitCode);
						child.removeAllListeners('exit');
						child.once('exit', (code) => done(code));
						child.kill('SIGTERM');
					})
			});
		});
	});
}
