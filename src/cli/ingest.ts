import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions, parsePort } from './args.ts';
import { configOrExit, connectOrExit } from './warehouse-connect.ts';
import { createLogger } from '../lib/server/log/logger.ts';
import { RegionIndex } from '../../ingest/pipeline/regions.ts';
import { IngestWorker } from '../../ingest/worker/worker.ts';
import { createPushServer } from '../../ingest/sources/http-push.ts';

/** Expands `dir/*.ndjson`-style patterns (wildcards in the last path segment). */
export function expandGlob(pattern: string): string[] {
	const dir = path.dirname(pattern);
	const base = path.basename(pattern);
	if (!/[*?[]/.test(base)) return [pattern];
	const re = new RegExp(
		`^${base
			.replace(/[.+^${}()|\\]/g, '\\$&')
			.replace(/\*/g, '[^/]*')
			.replace(/\?/g, '[^/]')}$`
	);
	let names: string[] = [];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	return names
		.filter((n) => re.test(n))
		.map((n) => path.join(dir, n))
		.filter((f) => statSync(f).isFile())
		.sort();
}

function progressBar(label: string) {
	const started = Date.now();
	let last = 0;
	return {
		update(position: number, size: number, lines: number) {
			const now = Date.now();
			if (now - last < 200 && position < size) return;
			last = now;
			const share = size > 0 ? Math.min(1, position / size) : 1;
			const width = 30;
			const filled = Math.round(share * width);
			const rate = Math.round((lines * 1000) / Math.max(1, now - started));
			process.stderr.write(
				`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${lines.toLocaleString('en')} lines  ${rate.toLocaleString('en')}/s `
			);
		},
		done() {
			process.stderr.write('\n');
		}
	};
}

export const ingestCommand: Command = {
	name: 'ingest',
	summary: 'the ingestion worker',
	usage: `Usage: tianshu ingest [--file PATH|GLOB]... [--once] [--dir DIR] [--stdin] [--http PORT]

Reads events (NDJSON, one per line; indicator tables also as CSV with the header
indicator,adcode,period,value,unit,release_ts), runs each line through
parse → validate → normalise → enrich → route, and stores them in the warehouse
exactly once. Refused lines go to ingest_dead_letter with their reason.

Sources (any number, together):
  --file PATH|GLOB  a file, or files matching a pattern in one directory
                    (e.g. data/feed/*.ndjson); followed as they grow and across
                    rotation, unless --once
  --once            read the files to their end, store everything, exit
  --dir DIR         a drop-box: each file that appears (written under a name
                    starting with '.', then renamed) is read once, then moved
                    to DIR/done
  --stdin           standard input, to its end
  --http PORT       POST /events (NDJSON, ≤ 8 MiB) on 127.0.0.1:PORT; replies
                    with accepted/rejected counts and each rejected line's reason;
                    GET /metrics. Each push needs Authorization: Bearer <token>
                    of a source (tianshu source add) and sends only its types
Options:
  --host HOST       address for --http (default 127.0.0.1)
  --progress        show a progress bar (default: when stderr is a terminal and --once)
  --batch-rows N    rows per batch (default 50000)

A restart resumes each file from its checkpoint: nothing lost, nothing doubled,
even after kill -9. Metrics go to the log and to the ingest_metrics table.`,
	async run(args) {
		const o = parseOptions(args, {
			file: { type: 'string', multiple: true, default: [] },
			once: { type: 'boolean', default: false },
			dir: { type: 'string' },
			stdin: { type: 'boolean', default: false },
			http: { type: 'string' },
			host: { type: 'string', default: '127.0.0.1' },
			progress: { type: 'boolean' },
			'batch-rows': { type: 'string' }
		});
		if (o.file.length === 0 && !o.dir && !o.stdin && o.http === undefined) throw new UsageError('name at least one source: --file, --dir, --stdin or --http');
		const batchRows = o['batch-rows'] === undefined ? undefined : Number(o['batch-rows']);
		if (batchRows !== undefined && !(Number.isInteger(batchRows) && batchRows > 0)) throw new UsageError('--batch-rows must be a positive integer');
		const logger = createLogger('ingest');
		const warehouse = await connectOrExit(configOrExit());
		const regions = await RegionIndex.load(warehouse);
		// --once reads as fast as it can: cuts by size only, so they depend on the content alone.
		const worker = new IngestWorker({ warehouse, regions, logger, maxBatchRows: batchRows, flushIntervalMs: o.once && !o.http ? 0 : 1000 });
		let stopped = false;
		const stop = () => {
			if (stopped) return;
			stopped = true;
			logger.info('stopping: storing what is buffered');
			void worker.stop();
			// A warehouse that is gone would keep the final flush retrying forever. Nothing is
			// lost by giving up: files resume from their checkpoint, pushed batches were not acknowledged.
			setTimeout(() => {
				logger.error('the warehouse did not take the last batch within 20 s; exiting (it is read again at the next start)');
				process.exit(3);
			}, 20_000).unref();
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);

		const tasks: Promise<void>[] = [];
		const showProgress = o.progress ?? (o.once && process.stderr.isTTY === true);
		for (const pattern of o.file) {
			const files = expandGlob(pattern);
			if (files.length === 0 && o.once) throw new UsageError(`no file matches ${pattern}`);
			const followNew = !o.once && /[*?[]/.test(path.basename(pattern));
			const seen = new Set<string>();
			const start = (file: string) => {
				seen.add(file);
				const bar = showProgress ? progressBar(path.basename(file)) : undefined;
				tasks.push(
					worker
						.ingestFile(file, { follow: !o.once, onProgress: bar && ((pos, size) => bar.update(pos, size, worker.snapshot.linesRead)) })
						.finally(() => bar?.done())
				);
			};
			(files.length ? files : [pattern]).forEach(start);
			if (followNew) {
				// New files matching the pattern join as they appear (e.g. after rotation to a dated name).
				const timer = setInterval(() => {
					if (stopped) return clearInterval(timer);
					for (const f of expandGlob(pattern)) if (!seen.has(f)) start(f);
				}, 1000);
			}
		}
		if (o.dir) tasks.push(worker.watchDropBox(o.dir));
		if (o.stdin) tasks.push(worker.ingestStream(process.stdin, `stdin:${new Date().toISOString()}`));
		if (o.http !== undefined) {
			// Push is authenticated: tokens of sources issued with `tianshu source add`, in the app database.
			const { connectAppDbOrExit } = await import('./appdb-connect.ts');
			const { SourceAuthenticator } = await import('../lib/server/appdb/sources.ts');
			const server = createPushServer({ worker, warehouse, logger, sources: new SourceAuthenticator(await connectAppDbOrExit()) });
			const port = parsePort(o.http, 0, '--http');
			await new Promise<void>((resolve) => server.listen(port, o.host, resolve));
			logger.info({ url: `http://${o.host}:${(server.address() as AddressInfo).port}/events` }, 'push endpoint ready');
			tasks.push(
				new Promise<void>((resolve) => process.once('SIGTERM', () => server.close(() => resolve())).once('SIGINT', () => server.close(() => resolve())))
			);
		}
		logger.info({ sources: { files: o.file, dir: o.dir, stdin: o.stdin, http: o.http }, regions: regions.size }, 'ingest worker started');
		await Promise.all(tasks);
		if (!stopped) {
			stopped = true;
			await worker.stop();
		}
		const s = worker.snapshot;
		logger.info({ read: s.linesRead, stored: s.stored, dropped: s.dropped, drops: s.dropsByReason, byTable: s.byTable }, 'ingest finished');
		await warehouse.close();
		return 0;
	}
};
