import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readSync, renameSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions } from './args.ts';
import { referenceDir } from './paths.ts';
import { createLogger } from '../lib/server/log/logger.ts';
import { parseTimestamp } from '../lib/time/timestamps.ts';
import { DAY_MS } from '../lib/time/beijing-time.ts';
import { Simulator } from '../../ingest/simulator/simulator.ts';
import { loadScope } from '../../ingest/simulator/sim-regions.ts';

/** What a history backfill records for `tianshu start` and the cockpit's 历史数据加载中 banner (../lib/server/cockpit/history.ts). */
export interface HistoryProgress {
	/** The range being written, ISO 8601. */
	from: string;
	to: string;
	/** Events are written up to here. */
	writtenTo: string;
	done: boolean;
	rate: number;
}

/** Written beside, then renamed: a reader never sees half a file. */
export function writeProgress(file: string, progress: HistoryProgress): void {
	writeFileSync(`${file}.tmp`, `${JSON.stringify(progress)}\n`);
	renameSync(`${file}.tmp`, file);
}

/** The time of the last event in an NDJSON file (reads its tail only). */
export function lastEventTime(file: string): number | undefined {
	if (!existsSync(file)) return undefined;
	const size = statSync(file).size;
	if (size === 0) return undefined;
	const fd = openSync(file, 'r');
	try {
		const length = Math.min(size, 64 * 1024);
		const buf = Buffer.alloc(length);
		readSync(fd, buf, 0, length, size - length);
		const lines = buf.toString('utf8').trimEnd().split('\n').reverse();
		for (const line of lines) {
			try {
				const e = JSON.parse(line) as { ts?: string; release_ts?: string };
				const t = parseTimestamp(e.ts ?? e.release_ts ?? '');
				if (!Number.isNaN(t)) return t;
			} catch {
				// a partial first line of the tail
			}
		}
	} finally {
		closeSync(fd);
	}
	return undefined;
}

export const simulateCommand: Command = {
	name: 'simulate',
	summary: 'a realistic simulated feed',
	usage: `Usage: tianshu simulate [--seed N] [--rate R] [--scope ADCODE] [--days D | --from T --to T]
                         [--out FILE] [--live] [--rotate-mb N] [--no-incidents]
                         [--no-releases] [--progress FILE]

Writes a realistic feed of cases, reviews and their handling, 12345 tickets,
statistics releases and risk warnings as NDJSON (the ingest contract),
deterministic under --seed for the same scope and time range.

Options:
  --seed N        random seed (default 1)
  --rate R        mean events per second over a week (default 20)
  --scope ADCODE  a province or city (default 0: all 31 provinces)
  --days D        backfill the D days before now (default 0)
  --from T --to T backfill this range instead (ISO 8601; no offset = Beijing time)
  --out FILE      append to FILE (default: standard output)
  --history-months N  first, the statistics releases of the N months before the start
  --resume        with --out: start after the last event in FILE (no backfill
                  of what it holds), with a seed of its own so ids never repeat
  --live          after the backfill, keep writing events as their time comes
  --rotate-mb N   with --out and --live: rename FILE to FILE.<time> past N MB (default 64)
  --no-incidents  no simulated incidents (slowdowns, complaint surges)
  --no-releases   no statistics releases or targets (a service-history backfill
                  beside a feed that releases them)
  --progress FILE record the backfill's range and how far it is written (JSON,
                  every simulated day; done: true at the end)`,
	async run(args) {
		const o = parseOptions(args, {
			seed: { type: 'string', default: '1' },
			rate: { type: 'string', default: '20' },
			scope: { type: 'string', default: '0' },
			days: { type: 'string' },
			from: { type: 'string' },
			to: { type: 'string' },
			out: { type: 'string' },
			live: { type: 'boolean', default: false },
			'history-months': { type: 'string', default: '0' },
			resume: { type: 'boolean', default: false },
			'rotate-mb': { type: 'string', default: '64' },
			'no-incidents': { type: 'boolean', default: false },
			'no-releases': { type: 'boolean', default: false },
			progress: { type: 'string' }
		});
		let seed = Number(o.seed);
		const rate = Number(o.rate);
		const scope = Number(o.scope);
		if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
		if (!(rate > 0)) throw new UsageError('--rate must be a positive number of events per second');
		if (!Number.isInteger(scope)) throw new UsageError('--scope must be a GB/T 2260 code');
		const now = Date.now();
		let from = now;
		let to = now;
		if (o.from !== undefined || o.to !== undefined) {
			if (o.from === undefined || o.to === undefined || o.days !== undefined) throw new UsageError('give --from and --to together, or --days');
			from = parseTimestamp(o.from);
			to = parseTimestamp(o.to);
			if (!(from < to)) throw new UsageError('--from must be an ISO 8601 time before --to');
		} else if (o.days !== undefined) {
			const days = Number(o.days);
			if (!(days >= 0)) throw new UsageError('--days must be a number of days');
			from = now - days * DAY_MS;
		}
		// Events on standard output: the log goes to standard error.
		const logger = createLogger('simulate', { toStderr: !o.out });
		let historyMonths = Number(o['history-months']);
		if (!(Number.isInteger(historyMonths) && historyMonths >= 0)) throw new UsageError('--history-months must be a whole number');
		if (o.resume) {
			if (!o.out) throw new UsageError('--resume needs --out');
			const last = lastEventTime(o.out);
			if (last !== undefined) {
				// Continue after what the file holds; a new seed keeps ids unique.
				from = Math.max(last + 1, Math.min(from, now));
				to = Math.max(to, from);
				seed = (seed * 1_000_003 + Math.floor(now / 1000)) >>> 0;
				historyMonths = 0;
				logger.info({ after: new Date(last).toISOString(), seed }, 'resuming the feed');
			}
		}
		const { regions, economies } = loadScope(referenceDir, scope, seed);
		const simulator = new Simulator({ seed, rate, incidents: !o['no-incidents'], releases: !o['no-releases'] }, regions, economies, from);
		const rangeFrom = o.from !== undefined ? parseTimestamp(o.from) : from;
		const progress = (writtenTo: number, done: boolean) => {
			if (o.progress)
				writeProgress(o.progress, {
					from: new Date(rangeFrom).toISOString(),
					to: new Date(to).toISOString(),
					writtenTo: new Date(writtenTo).toISOString(),
					done,
					rate
				});
		};

		const rotateBytes = Number(o['rotate-mb']) * 1024 * 1024;
		let out: NodeJS.WritableStream;
		let file: WriteStream | undefined;
		const open = () => {
			mkdirSync(path.dirname(path.resolve(o.out!)), { recursive: true });
			file = createWriteStream(o.out!, { flags: 'a' });
			return file;
		};
		out = o.out ? open() : process.stdout;
		let written = 0;
		const write = async (lines: string[]) => {
			if (lines.length === 0) return;
			written += lines.length;
			if (!out.write(lines.join(''))) await new Promise((r) => out.once('drain', r));
		};
		const drain = async (until: number) => {
			let lines: string[] = [];
			for (const e of simulator.advance(until)) {
				lines.push(`${JSON.stringify(e)}\n`);
				if (lines.length >= 5000) {
					await write(lines);
					lines = [];
				}
			}
			await write(lines);
		};
		if (historyMonths > 0) {
			const lines = [...simulator.history(historyMonths)].map((e) => `${JSON.stringify(e)}\n`);
			await write(lines);
		}
		// A day at a time, so the progress file (and the cockpit's banner) moves as the days are written.
		for (let t = Math.min(from + DAY_MS, to); ; t = Math.min(t + DAY_MS, to)) {
			await drain(t);
			progress(t, false);
			if (t >= to) break;
		}
		logger.info({ events: written, from: new Date(from).toISOString(), to: new Date(to).toISOString(), regions: regions.length }, 'backfill written');
		if (!o.live) {
			await new Promise<void>((r) => (file ? file.end(r) : r()));
			progress(to, true);
			return 0;
		}
		let stopping = false;
		const stop = () => (stopping = true);
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
		let reported = Date.now();
		while (!stopping) {
			await new Promise((r) => setTimeout(r, 1000));
			await drain(Date.now());
			if (file && o.out && existsSync(o.out) && statSync(o.out).size > rotateBytes) {
				// Rotate like a logging system would: the ingest worker follows the new file.
				await new Promise<void>((r) => file!.end(r));
				renameSync(o.out, `${o.out}.${new Date().toISOString().replace(/[:.]/g, '-')}`);
				out = open();
			}
			if (Date.now() - reported > 60_000) {
				logger.info({ events: written, pending: simulator.pending }, 'simulating');
				reported = Date.now();
			}
		}
		await new Promise<void>((r) => (file ? file.end(r) : r()));
		logger.info({ events: written }, 'simulator stopped');
		return 0;
	}
};
