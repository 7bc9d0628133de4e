import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Command } from './command.ts';
import { parseOptions, parsePort } from './args.ts';
import { buildDir, projectRoot } from './paths.ts';
import { DEFAULT_WEB_PORT } from './web.ts';
import { DEFAULT_WAREHOUSE_DATA, DEFAULT_WAREHOUSE_PORT } from '../lib/server/warehouse/config.ts';
import { configOrExit } from './warehouse-connect.ts';
import { readFileSync } from 'node:fs';
import { appDbFiles, embeddedUrl } from '../lib/server/appdb/config.ts';
import { processEnv, setting } from '../lib/server/config.ts';
import { lastEventTime, type HistoryProgress } from './simulate.ts';
import { DAY_MS } from '../lib/time/beijing-time.ts';

/** The volume setting's default, for the usage text. */
const DEFAULT_RATE = setting('TIANSHU_SIMULATE_RATE', {});

const bin = path.join(projectRoot, 'bin', 'tianshu.js');

export const startCommand: Command = {
	name: 'start',
	summary: 'everything',
	usage: `Usage: tianshu start [--data DIR] [--warehouse-port N] [--port N] [--host HOST] [--no-build]
                    [--ingest-file GLOB]... [--ingest-http PORT] [--no-simulate]
                    [--simulate-rate R] [--simulate-days D] [--history-days N]
                    [--simulate-scope ADCODE]

Brings up Tianshu in order, each part checked ready before the next:
  1. the embedded warehouse (skipped when CLICKHOUSE_URL is set), then the
     embedded app database beside it (skipped when DATABASE_URL is set; its
     directory TIANSHU_APPDB_DATA, port TIANSHU_APPDB_PORT or a free one) and
     its migrations
  2. schema migrations   3. reference data
  4. the ingest worker, fed by the simulator unless real sources are named
  5. the web server (built when stale)
and prints the URL. Logs of all parts go to one stream, each line tagged with
its part (pretty on a terminal, JSON lines otherwise). Ctrl-C stops everything;
a part that dies is restarted with back-off (1 s doubling to 30 s), and
the log says which, why and when; one that cannot stay up 8 times in a row stops everything.

Options:
  --data DIR           warehouse data directory (default ${DEFAULT_WAREHOUSE_DATA})
  --warehouse-port N   embedded warehouse port (default ${DEFAULT_WAREHOUSE_PORT}; 0 picks a free one)
  --port N             web port (default ${DEFAULT_WEB_PORT}, or PORT)
  --host HOST          web listen address (default 127.0.0.1; 0.0.0.0 for wall screens elsewhere)
  --no-build           use build/ as it is
  --ingest-file GLOB   ingest these files (followed; repeatable); turns the simulator off
  --ingest-http PORT   accept pushed events on 127.0.0.1:PORT/events; turns the simulator off
  --no-simulate        no simulated feed
  --simulate-rate R    simulated events per second on average, history and live feed
                       alike (default TIANSHU_SIMULATE_RATE, ${DEFAULT_RATE})
  --simulate-days D    recent days simulated before the web server opens on first
                       start (default 7), plus 36 months of statistics releases;
                       later starts resume the feed
  --history-days N     on first start, then N days of service history before those,
                       written in the background while the cockpit is usable
                       (default 400: 13 months and more; 0 = none); later starts
                       finish an unfinished history and never make it again
  --simulate-scope ADCODE  simulate one province, city or county (default: the nation)
  --feed DIR           where the simulated feed is written (default: beside the data directory)`,
	async run(args) {
		const o = parseOptions(args, {
			data: { type: 'string' },
			'warehouse-port': { type: 'string' },
			port: { type: 'string' },
			host: { type: 'string' },
			'no-build': { type: 'boolean', default: false },
			'ingest-file': { type: 'string', multiple: true, default: [] },
			'ingest-http': { type: 'string' },
			'no-simulate': { type: 'boolean', default: false },
			'simulate-rate': { type: 'string', default: String(setting('TIANSHU_SIMULATE_RATE')) },
			'simulate-days': { type: 'string', default: '7' },
			'history-days': { type: 'string', default: '400' },
			'simulate-scope': { type: 'string', default: '0' },
			feed: { type: 'string' }
		});
		const realSources = o['ingest-file'].length > 0 || o['ingest-http'] !== undefined;
		const simulate = !o['no-simulate'] && !realSources;
		const config = configOrExit();
		const out = logDestination();
		const supervisor = new Supervisor(out);
		const logger = supervisor.loggerOf('start');
		const stop = (signal: string) => {
			logger.info({ signal }, '正在停止 stopping');
			void supervisor.stopAll(0);
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);

		let history: ReturnType<typeof historyPlan> = null;
		try {
			if (!o['no-build'] && buildIsStale()) {
				logger.info('building the web app (vite build)');
				await supervisor.runToEnd(
					'build',
					process.execPath,
					[path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
					{}
				);
			}
			const env: Record<string, string> = {};
			if (config.embedded) {
				const dir = path.resolve(o.data ?? processEnv().TIANSHU_WAREHOUSE_DATA ?? DEFAULT_WAREHOUSE_DATA);
				mkdirSync(dir, { recursive: true });
				const port = parsePort(o['warehouse-port'] ?? processEnv().TIANSHU_WAREHOUSE_PORT, DEFAULT_WAREHOUSE_PORT, '--warehouse-port');
				// The supervisor learns the URL from the warehouse's "ready" line, so that part always logs at info
				// (lines are re-logged here at the level LOG_LEVEL asks for).
				const child = supervisor.spawnPart('warehouse', ['warehouse', '--data', dir, '--port', String(port)], { LOG_LEVEL: 'info' });
				const line = await supervisor.waitForLog(child, 'warehouse', 'warehouse ready');
				env.CLICKHOUSE_URL = String(line.url);
				// The parts find the warehouse's accounts in its credentials file there (the web reads, the rest write).
				env.TIANSHU_WAREHOUSE_DATA = dir;
				// A restarted warehouse must come back where the others look for it.
				supervisor.pinRestartArgs('warehouse', ['warehouse', '--data', dir, '--port', new URL(env.CLICKHOUSE_URL).port]);
			} else {
				logger.info({ url: config.url }, 'using the warehouse at CLICKHOUSE_URL');
			}
			if (processEnv().DATABASE_URL) logger.info('using the app database at DATABASE_URL');
			else {
				// The app database (Tianshu's own state) beside the warehouse's directory; the parts get its URL.
				const appdbDir = path.resolve(
					processEnv().TIANSHU_APPDB_DATA ??
						path.join(path.dirname(path.resolve(o.data ?? processEnv().TIANSHU_WAREHOUSE_DATA ?? DEFAULT_WAREHOUSE_DATA)), 'appdb')
				);
				const appdbPort = parsePort(processEnv().TIANSHU_APPDB_PORT, 0, 'TIANSHU_APPDB_PORT');
				const appdb = supervisor.spawnPart('appdb', ['appdb', '--data', appdbDir, '--port', String(appdbPort)], { LOG_LEVEL: 'info' });
				const ready = await supervisor.waitForLog(appdb, 'appdb', 'appdb ready');
				env.TIANSHU_APPDB_DATA = appdbDir;
				env.DATABASE_URL = embeddedUrl(Number(ready.port), readFileSync(appDbFiles(appdbDir).password, 'utf8').trim());
				supervisor.pinRestartArgs('appdb', ['appdb', '--data', appdbDir, '--port', String(ready.port)]);
			}
			await supervisor.runToEnd('appdb-migrate', process.execPath, [bin, 'appdb', 'migrate'], env);
			await supervisor.runToEnd('migrate', process.execPath, [bin, 'migrate'], env);
			await supervisor.runToEnd('seed', process.execPath, [bin, 'seed'], env);
			const ingestArgs = ['ingest', ...o['ingest-file'].flatMap((f) => ['--file', f])];
			if (o['ingest-http'] !== undefined) ingestArgs.push('--http', o['ingest-http']);
			if (simulate) {
				const feedDir = path.resolve(
					o.feed ?? path.join(path.dirname(path.resolve(o.data ?? processEnv().TIANSHU_WAREHOUSE_DATA ?? DEFAULT_WAREHOUSE_DATA)), 'feed')
				);
				mkdirSync(feedDir, { recursive: true });
				const feed = path.join(feedDir, 'simulated.ndjson');
				history = historyPlan(feedDir, feed, Number(o['history-days']), Number(o['simulate-days']), Number(o['simulate-rate']), logger);
				supervisor.spawnPart(
					'simulate',
					[
						'simulate',
						'--live',
						'--resume',
						'--out',
						feed,
						'--rate',
						o['simulate-rate'],
						'--days',
						o['simulate-days'],
						'--history-months',
						'36',
						'--scope',
						o['simulate-scope']
					],
					env
				);
				ingestArgs.push('--file', feed);
				if (history) {
					// The ingest worker follows the history file from the start; the cockpit's banner reads the progress file.
					if (!existsSync(history.feed)) writeFileSync(history.feed, '');
					ingestArgs.push('--file', history.feed);
					env.TIANSHU_HISTORY_PROGRESS = history.progressFile;
				}
			}
			// 差评 handling done on /reviews reaches the warehouse through this drop-box: the worker's path, as every feed's.
			const actionsDir = path.resolve(
				processEnv().TIANSHU_REVIEW_ACTIONS_DIR ??
					path.join(path.dirname(path.resolve(o.data ?? processEnv().TIANSHU_WAREHOUSE_DATA ?? DEFAULT_WAREHOUSE_DATA)), 'review-actions')
			);
			mkdirSync(actionsDir, { recursive: true });
			env.TIANSHU_REVIEW_ACTIONS_DIR = actionsDir;
			ingestArgs.push('--dir', actionsDir);
			if (ingestArgs.length > 1) supervisor.spawnPart('ingest', ingestArgs, env);
			else logger.info('no ingest sources: the worker is not started');
			const webPort = parsePort(o.port ?? processEnv().PORT, DEFAULT_WEB_PORT);
			const host = o.host ?? processEnv().HOST ?? '127.0.0.1';
			supervisor.spawnPart('web', ['web', '--port', String(webPort), '--host', host], env);
			const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
			const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${webPort}`;
			await supervisor.waitForHttp('web', `${url}/healthz`);
			logger.info({ url }, `天枢已就绪 Tianshu is ready: ${url}`);
			if (history && !history.progress.done) {
				// Older history after the web server is up: the recent days are in and the cockpit is usable meanwhile.
				const h = history;
				logger.info({ from: h.progress.from, to: h.progress.to }, '正在生成历史数据 writing the service history in the background');
				const historyArgs = ['simulate', '--out', h.feed, '--resume', '--seed', '2', '--rate', String(h.progress.rate), '--scope', o['simulate-scope']];
				historyArgs.push('--from', h.progress.from, '--to', h.progress.to, '--no-releases', '--progress', h.progressFile);
				supervisor.runToEnd('history', process.execPath, [bin, ...historyArgs], env).then(
					() => logger.info('历史数据已写完 the service history is written (the ingest worker stores the rest)'),
					(e: Error) => {
						if (!supervisor.stopping) logger.warn({ err: e.message }, 'the history backfill stopped; the next start continues it');
					}
				);
			}
			return await supervisor.exited;
		} catch (e) {
			if (!supervisor.stopping) logger.fatal({ err: (e as Error).message }, 'start failed; stopping');
			return supervisor.stopAll(1);
		}
	}
};

/**
 * The service history of a first start: N days before the recent days, at the live feed's rate (so 同比
 * compares like with like), written by a second simulator into its own file. Its progress file is the
 * marker: done → never again; present but unfinished (stopped midway) → continued. A feed that
 * already holds events without a progress file was started before history existed: left alone.
 */
export function historyPlan(
	feedDir: string,
	liveFeed: string,
	historyDays: number,
	recentDays: number,
	rate: number,
	logger: Logger
): { feed: string; progressFile: string; progress: HistoryProgress } | null {
	if (!(historyDays > 0)) return null;
	const feed = path.join(feedDir, 'history.ndjson');
	const progressFile = path.join(feedDir, 'history.json');
	if (existsSync(progressFile)) {
		const progress = JSON.parse(readFileSync(progressFile, 'utf8')) as HistoryProgress;
		if (!progress.done) logger.info({ writtenTo: progress.writtenTo, to: progress.to }, 'continuing the unfinished service history');
		return { feed, progressFile, progress };
	}
	if (lastEventTime(liveFeed) !== undefined) {
		logger.info('the feed predates first-start history: no history is made (remove the feed directory for a fresh start)');
		return null;
	}
	const now = Date.now();
	const from = new Date(now - historyDays * DAY_MS).toISOString();
	const to = new Date(now - Math.max(0, recentDays) * DAY_MS).toISOString();
	if (!(from < to)) return null;
	const progress: HistoryProgress = { from, to, writtenTo: from, done: false, rate };
	writeFileSync(progressFile, `${JSON.stringify(progress)}\n`);
	return { feed, progressFile, progress };
}

/** Pretty, colourful lines on a terminal; JSON lines for files and log shippers. */
function logDestination(): NodeJS.WritableStream {
	if (!process.stdout.isTTY) return process.stdout;
	return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,part', messageFormat: '[{part}] {msg}' });
}

/** True when build/ is missing or older than any source it is made from. */
function buildIsStale(): boolean {
	const entry = path.join(buildDir, 'handler.js');
	if (!existsSync(entry)) return true;
	const built = statSync(entry).mtimeMs;
	const newest = (p: string): number => {
		const st = statSync(p);
		if (!st.isDirectory()) return st.mtimeMs;
		return readdirSync(p).reduce((m, f) => Math.max(m, newest(path.join(p, f))), st.mtimeMs);
	};
	const sources = ['src', 'static', 'schema/migrations', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
	return sources.some((s) => existsSync(path.join(projectRoot, s)) && newest(path.join(projectRoot, s)) > built);
}

interface Part {
	name: string;
	child: ChildProcess;
}

/** A long-running part and how it has been failing. */
interface Service {
	name: string;
	args: string[];
	env: Record<string, string>;
	/** Exits in a row, each within STABLE_AFTER_MS of its start. */
	failures: number;
	startedAt?: number;
	timer?: NodeJS.Timeout;
}

const STABLE_AFTER_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;
/** A part that cannot stay up this many times in a row is broken (a taken port, a bad configuration): stop with its reason. */
const MAX_QUICK_FAILURES = 8;

/** Runs the parts as child processes, merges their logs, and stops them together. */
class Supervisor {
	private readonly parts: Part[] = [];
	private readonly services = new Map<string, Service>();
	private readonly partLoggers = new Map<string, Logger>();
	/** A logger whose lines carry `part`, into the one merged stream. */
	loggerOf(part: string): Logger {
		let logger = this.partLoggers.get(part);
		if (!logger) {
			logger = pino({ base: { part }, timestamp: pino.stdTimeFunctions.isoTime }, this.out);
			this.partLoggers.set(part, logger);
		}
		return logger;
	}
	private readonly logWatchers: Array<{ part: string; msg: string; resolve: (line: Record<string, unknown>) => void }> = [];
	stopping = false;
	private resolveExited!: (code: number) => void;
	readonly exited = new Promise<number>((r) => (this.resolveExited = r));

	private readonly logger: Logger;

	constructor(private readonly out: NodeJS.WritableStream) {
		this.logger = this.loggerOf('start');
	}

	/**
	 * A long-running part. When it exits unexpectedly it is started again after a
	 * back-off (1 s doubling to 30 s; reset once it has stayed up a minute), so one
	 * failing part does not take the others down. `restartArgs` replaces the
	 * arguments for restarts (e.g. the warehouse on the port it first chose).
	 */
	spawnPart(name: string, args: string[], env: Record<string, string>): ChildProcess {
		const service: Service = { name, args, env, failures: 0 };
		this.services.set(name, service);
		return this.startService(service);
	}

	/** Arguments for later restarts of a part (its first start may have chosen values, like a free port). */
	pinRestartArgs(name: string, args: string[]): void {
		const service = this.services.get(name);
		if (service) service.args = args;
	}

	private startService(service: Service): ChildProcess {
		const child = this.spawn(service.name, process.execPath, [bin, ...service.args], service.env, true);
		service.startedAt = Date.now();
		this.logger.info({ service: service.name, pid: child.pid }, `${service.name} started`);
		child.once('exit', (code, signal) => {
			if (this.stopping) return;
			// A part that stayed up for a while starts again quickly; one that keeps failing waits longer each time.
			if (Date.now() - (service.startedAt ?? 0) >= STABLE_AFTER_MS) service.failures = 0;
			service.failures++;
			if (service.failures > MAX_QUICK_FAILURES) {
				this.logger.fatal(
					{ failed: service.name, code, signal, failures: service.failures - 1 },
					`${service.name} failed ${service.failures - 1} times in a row without staying up; stopping everything`
				);
				void this.stopAll(1);
				return;
			}
			const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (service.failures - 1));
			this.logger.error(
				{ failed: service.name, code, signal, restartInMs: delay, attempt: service.failures },
				`${service.name} exited unexpectedly (${signal ?? `exit code ${code}`}); restarting in ${delay / 1000} s`
			);
			service.timer = setTimeout(() => {
				service.timer = undefined;
				if (this.stopping) return;
				const next = this.startService(service);
				this.logger.info({ service: service.name, pid: next.pid, attempt: service.failures }, `${service.name} restarted`);
			}, delay);
		});
		return child;
	}

	/** Runs a one-shot step; rejects when it fails. */
	runToEnd(name: string, command: string, args: string[], env: Record<string, string>): Promise<void> {
		const child = this.spawn(name, command, args, env, false);
		return new Promise((resolve, reject) => {
			child.once('exit', (code, signal) => {
				if (code === 0) resolve();
				else reject(new Error(`${name} failed (${signal ?? `exit code ${code}`})`));
			});
		});
	}

	/** `service`: a long-running part (restarted by `startService`), not a one-shot step. */
	private spawn(name: string, command: string, args: string[], env: Record<string, string>, service: boolean): ChildProcess {
		const child = spawn(command, args, {
			cwd: projectRoot,
			// stdin stays open as a lifeline: a part whose supervisor vanished sees EOF and stops.
			stdio: ['pipe', 'pipe', 'pipe'],
			// Its own process group: a terminal's Ctrl-C reaches the supervisor only, which then
			// stops the parts in order (web and ingest before the warehouse they write to).
			detached: true,
			env: { ...processEnv(), ...env, TIANSHU_SUPERVISED: '1', FORCE_COLOR: '0', NO_COLOR: '1' }
		});
		const part: Part = { name, child };
		this.parts.push(part);
		this.pipeLines(name, child.stdout!, 'info');
		this.pipeLines(name, child.stderr!, 'warn');
		child.once('exit', () => {
			this.parts.splice(this.parts.indexOf(part), 1);
		});
		return child;
	}

	private pipeLines(name: string, stream: NodeJS.ReadableStream, level: 'info' | 'warn'): void {
		createInterface({ input: stream }).on('line', (line) => {
			if (!line.trim()) return;
			let parsed: Record<string, unknown> | undefined;
			if (line.startsWith('{')) {
				try {
					parsed = JSON.parse(line) as Record<string, unknown>;
				} catch {
					parsed = undefined;
				}
			}
			if (parsed) {
				this.out.write(`${line}\n`);
				for (const w of this.logWatchers.filter((w) => w.part === name && w.msg === parsed!.msg)) {
					this.logWatchers.splice(this.logWatchers.indexOf(w), 1);
					w.resolve(parsed);
				}
			} else {
				// Plain output (adapter-node, vite, chDB's stderr) joins the stream tagged with its part.
				this.loggerOf(name)[level](stripVTControlCharacters(line));
			}
		});
	}

	/** Resolves with the first JSON log line of `part` whose msg is `msg`; rejects if the part exits first. */
	waitForLog(child: ChildProcess, part: string, msg: string): Promise<Record<string, unknown>> {
		return new Promise((resolve, reject) => {
			const onExit = (code: number | null, signal: string | null) =>
				reject(new Error(`${part} stopped before it was ready (${signal ?? `exit code ${code}`})`));
			child.once('exit', onExit);
			this.logWatchers.push({
				part,
				msg,
				resolve: (line) => {
					child.off('exit', onExit);
					resolve(line);
				}
			});
		});
	}

	async waitForHttp(part: string, url: string, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.stopping) throw new Error(`stopped while waiting for ${part}`);
			try {
				const res = await fetch(url);
				if (res.ok) return;
				this.logger.debug({ status: res.status }, `${part} not ready yet`);
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 200));
		}
		throw new Error(`${part} did not become ready at ${url} within ${timeoutMs / 1000} s`);
	}

	/** Stops services in reverse order of start (web before warehouse), then exits with `code`. */
	async stopAll(code: number): Promise<number> {
		if (this.stopping) return this.exited;
		this.stopping = true;
		for (const s of this.services.values()) if (s.timer) clearTimeout(s.timer);
		for (const part of [...this.parts].reverse()) {
			await new Promise<void>((resolve) => {
				if (part.child.exitCode !== null || part.child.signalCode !== null) return resolve();
				const kill = setTimeout(() => {
					this.logger.warn({ part: part.name }, 'did not stop within 10 s; killing');
					part.child.kill('SIGKILL');
				}, 10_000);
				part.child.once('exit', () => {
					clearTimeout(kill);
					resolve();
				});
				part.child.kill('SIGTERM');
			});
		}
		this.logger.info('已停止 stopped');
		this.resolveExited(code);
		return code;
	}
}
