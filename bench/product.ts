/**
 * The real product for the end-to-end benchmarks (cockpit, load): `tianshu start`
 * on its own ports and data directory with a day of simulated feed, its last
 * output kept for the failure message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot, tianshuBin } from '../src/lib/server/warehouse/embedded/spawn.ts';

export interface Product {
	process: ChildProcess;
	/** The last 4 000 characters the product printed. */
	log(): string;
	stop(): Promise<void>;
}

export function startProduct(dir: string, port: number, simulateRate: number, env: Record<string, string>): Product {
	const child = spawn(
		process.execPath,
		[
			tianshuBin,
			'start',
			'--data',
			path.join(dir, 'warehouse'),
			'--warehouse-port',
			String(port + 1),
			'--port',
			String(port),
			'--simulate-days',
			'1',
			'--simulate-rate',
			String(simulateRate),
			'--history-days',
			'0'
		],
		{ cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] }
	);
	let log = '';
	child.stdout!.on('data', (d) => (log = (log + d).slice(-4000)));
	child.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
	return {
		process: child,
		log: () => log,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await exited;
		}
	};
}
