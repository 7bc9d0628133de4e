/** Starts `tianshu appdb` as a child process: for tests and benchmarks that need an app database of their own. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { projectRoot, tianshuBin } from '../../warehouse/embedded/spawn.ts';
import { processEnv } from '../../config.ts';
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
export function spawnAppDb(dir: string, options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunningAppDb> {
	const timeoutMs = options.timeoutMs ?? 60_000;
	const child = spawn(process.execPath, [tianshuBin, 'appdb', '--data', dir, '--port', '0'], {
		cwd: projectRoot,
		env: { ...processEnv(), LOG_LEVEL: 'info', ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stderr = '';
	child.stderr!.on('data', (d) => (stderr += d));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`appdb not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`appdb exited with ${code} before it was ready: ${stderr}`));
		});
		createInterface({ input: child.stdout! }).on('line', (line) => {
			if (!line.includes('"appdb ready"')) return;
			clearTimeout(timer);
			const { port } = JSON.parse(line) as { port: number };
			const password = readFileSync(appDbFiles(dir).password, 'utf8').trim();
			resolve({
				url: embeddedUrl(port, password),
				port,
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
