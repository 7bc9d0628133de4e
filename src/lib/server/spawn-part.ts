/**
 * Starts a `tianshu <part>` as a child process and waits for its JSON "ready" log
 * line: the one way tests and benchmarks get a warehouse or an app database of
 * their own (the supervisor in src/cli/start.ts has its own, with restarts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { processEnv } from './config.ts';

export const projectRoot = path.resolve(import.meta.dirname, '../../..');
export const tianshuBin = path.join(projectRoot, 'bin', 'tianshu.js');

export interface SpawnedPart<T> {
	/** The fields of its ready line. */
	ready: T;
	pid: number;
	child: ChildProcess;
	/** SIGTERM, then its exit code. */
	stop(): Promise<number | null>;
}

/** `tianshu <args>`; resolves with its `"<readyMsg>"` log line, rejects if it exits or times out first. */
export function spawnPart<T>(args: string[], readyMsg: string, options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<SpawnedPart<T>> {
	const timeoutMs = options.timeoutMs ?? 60_000;
	const name = args[0];
	const child = spawn(process.execPath, [tianshuBin, ...args], {
		cwd: projectRoot,
		env: { ...processEnv(), ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stderr = '';
	child.stderr!.on('data', (d) => (stderr += d));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${name} not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${name} exited with ${code} before it was ready: ${stderr}`));
		});
		createInterface({ input: child.stdout! }).on('line', (line) => {
			if (!line.includes(`"${readyMsg}"`)) return;
			clearTimeout(timer);
			resolve({
				ready: JSON.parse(line) as T,
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
