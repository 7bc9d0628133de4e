/** Starts `tianshu warehouse` as a child process: for tests and benchmarks, which each need a warehouse of their own. */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { spawnPart } from '../../spawn-part.ts';

export { projectRoot, tianshuBin } from '../../spawn-part.ts';

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
export async function spawnWarehouse(dir: string, options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunningWarehouse> {
	const part = await spawnPart<{ url: string }>(['warehouse', '--data', dir, '--port', '0'], 'warehouse ready', options);
	const url = part.ready.url;
	return {
		url,
		dir: path.resolve(dir),
		env: { CLICKHOUSE_URL: url, TIANSHU_WAREHOUSE_DATA: path.resolve(dir) },
		pid: part.pid,
		child: part.child,
		stop: part.stop
	};
}
