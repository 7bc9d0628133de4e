/**
 * Load benchmark, on loopback against the real product (`tianshu start` with a
 * simulated feed, started here):
 * - `cockpit.panel` (national KPIs) at 100 connections for 30 s, beside a
 *   `/healthz` run with the same settings as the floor of the same machine, and
 *   a procedure that reads nothing (the cost of SvelteKit + tRPC alone);
 * - the heavy `indicators.query` of issue 10 (13 indicators by hour over two
 *   months, every province by item and channel, compared), once and three at
 *   once: its fate, and /healthz latency while it runs;
 * - 30 heavy requests within the cap at once (they queue, the rest are told
 *   the server is busy), with /healthz latency meanwhile.
 * Every request is signed in (a national leader's session; ingest.health as an
 * admin), and cockpit.panel is run again with a wall token's cookie: sign-in must
 * cost the cockpit nothing measurable (issue 13).
 * Goals: cockpit.panel ≥ 1 000 req/s, p99 < 100 ms, no errors; /healthz < 1 s
 * while heavy queries run. TIANSHU_BENCH_LOAD_SECONDS (default 30) sets the
 * length of each autocannon run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot, tianshuBin } from '../src/lib/server/warehouse/embedded/spawn.ts';
import { startProduct } from './product.ts';
import { percentile } from './measure.ts';
import { PANELS } from '../src/lib/cockpit/model.ts';
import { DAY_MS } from '../src/lib/time/beijing-time.ts';
import { beijingDate as beijingDateOf } from '../src/lib/time/working-days.ts';

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		if (await check().catch(() => false)) return;
		await new Promise((r) => setTimeout(r, 1000));
	}
	throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

const trpcUrl = (base: string, procedure: string, input: unknown) => `${base}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

/** `tianshu <args>` against the bench's app database; its standard output. */
function tianshu(appdbDir: string, args: string[], input = ''): string {
	const r = spawnSync(process.execPath, [tianshuBin, ...args], {
		cwd: projectRoot,
		env: { ...process.env, DATABASE_URL: '', TIANSHU_APPDB_DATA: appdbDir },
		input,
		encoding: 'utf8'
	});
	if (r.status !== 0) throw new Error(`tianshu ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

/** An account made with the CLI, signed in through the /login form: the session's Cookie header. */
async function signedIn(base: string, appdbDir: string, name: string, role: string): Promise<string> {
	const password = `Tianshu-bench-${Date.now()}`;
	tianshu(appdbDir, ['user', 'add', name, '--role', role, '--region', '0'], password);
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		// As a browser's form post (accept: text/html): SvelteKit answers other posts to an action with JSON.
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: base },
		body: new URLSearchParams({ username: name, password })
	});
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tianshu_session='));
	if (res.status !== 303 || !cookie) throw new Error(`sign-in of ${name} failed: ${res.status}`);
	return cookie.split(';')[0]!;
}

/** Beijing date `days` from today, YYYY-MM-DD. */
/** The Beijing date `days` from today. */
const beijingDate = (days: number) => beijingDateOf(Date.now() + days * DAY_MS);

/** The web part's process (`tianshu web --port N`), found in /proc (Linux); undefined elsewhere. */
function webPid(port: number): number | undefined {
	try {
		for (const entry of readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			const i = args.indexOf('web');
			if (i > 0 && args[i - 1]!.endsWith('tianshu.js') && args.includes(String(port))) return Number(entry);
		}
	} catch {
		// Not Linux: no CPU figures.
	}
	return undefined;
}

/** CPU time (user + system, ms) a process has used: /proc/<pid>/stat fields 14 and 15, in 100 Hz ticks. */
function cpuMs(pid: number | undefined): number {
	if (pid === undefined) return Number.NaN;
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

function row(name: string, r: autocannon.Result & { cpuPerRequestMs: number }, goal: string): string {
	const errors = r.errors + r.timeouts + r.non2xx;
	const cpu = Number.isNaN(r.cpuPerRequestMs) ? '—' : `${r.cpuPerRequestMs.toFixed(2)} ms`;
	return `| ${name} | ${r.requests.average.toFixed(0)} req/s | ${r.latency.p50} / ${r.latency.p99} / ${r.latency.max} ms | ${errors} (${r.non2xx} non-2xx, ${r.timeouts} timeouts) | ${cpu} | ${goal} |`;
}

/** Fires `n` requests at once while /healthz is asked every 100 ms; each request's status, time, size and message. */
async function underHeavyLoad(base: string, url: string, n: number, cookie: string) {
	const health: number[] = [];
	let polling = true;
	const poll = (async () => {
		while (polling) {
			const t = performance.now();
			const ok = await fetch(`${base}/healthz`).then(
				(r) => r.ok,
				() => false
			);
			health.push(ok ? performance.now() - t : Number.POSITIVE_INFINITY);
			await new Promise((r) => setTimeout(r, 100));
		}
	})();
	const replies = await Promise.all(
		Array.from({ length: n }, async () => {
			const t = performance.now();
			const res = await fetch(url, { headers: { cookie } });
			const text = await res.text();
			let message = '';
			try {
				message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '';
			} catch {
				message = 'unparsable reply';
			}
			return { status: res.status, ms: performance.now() - t, bytes: Buffer.byteLength(text), message };
		})
	);
	// A few more polls after the last reply, so a stall at the end shows too.
	await new Promise((r) => setTimeout(r, 300));
	polling = false;
	await poll;
	health.sort((a, b) => a - b);
	return { replies, health: { n: health.length, p50: percentile(health, 0.5), max: health.at(-1) ?? Number.NaN } };
}

export async function benchLoad(): Promise<void> {
	const seconds = Number(process.env.TIANSHU_BENCH_LOAD_SECONDS ?? 30);
	const port = Number(process.env.TIANSHU_BENCH_PORT ?? 4427);
	const base = `http://127.0.0.1:${port}`;
	const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-bench-load-'));
	const product = startProduct(dir, port, 3, { LOG_LEVEL: 'warn', NODE_ENV: 'production' });
	const kpis = trpcUrl(base, 'cockpit.panel', { adcode: 0, panel: 'kpis' });
	const appdbDir = path.join(dir, 'appdb');
	try {
		await until('the product', 600_000, async () => (await fetch(`${base}/healthz`)).ok);
		const leader = await signedIn(base, appdbDir, 'bench-leader', 'leader');
		const admin = await signedIn(base, appdbDir, 'bench-admin', 'admin');
		const wall = `tianshu_wall=${tianshu(appdbDir, ['wall', 'issue', '--name', 'bench-wall', '--region', '0']).trim()}`;
		const get = (url: string, cookie = leader) => fetch(url, { headers: { cookie } });
		await until('today’s data', 300_000, async () => (await (await get(kpis)).json()).result.data.data.kpis[0].value > 0);
		// Measure a running product, not its first start-up: wait until the worker has caught up with the backfill.
		await until('the backfill ingested', 900_000, async () => {
			const workers = (await (await get(`${base}/api/trpc/ingest.health`, admin)).json()).result.data.workers as Array<{ lag_s: number }>;
			return workers.some((w) => Number(w.lag_s) < 30);
		});

		const pid = webPid(port);
		// The web process's CPU per request as well: what the figures would be on a machine not shared with the load generator and others.
		const run = async (url: string, cookie = leader) => {
			const before = cpuMs(pid);
			const r = await autocannon({ url, connections: 100, duration: seconds, headers: { cookie } });
			return { ...r, cpuPerRequestMs: (cpuMs(pid) - before) / r.requests.total };
		};
		await autocannon({ url: kpis, connections: 10, duration: 3, headers: { cookie: leader } }); // warm-up
		const loadBefore = loadavg()
			.map((l) => l.toFixed(1))
			.join(' ');
		const floor = await run(`${base}/healthz`);
		// The web stack's own cost: a procedure that reads nothing (SvelteKit + tRPC, no warehouse, no hub).
		const stack = await run(`${base}/api/trpc/indicators.catalogue`);
		const panel = await run(kpis);
		const wallPanel = await run(kpis, wall);

		const heavy = {
			indicators: [
				'caseVolume',
				'acceptedVolume',
				'completedVolume',
				'onTimeRate',
				'earlyRate',
				'avgDuration',
				'p90Duration',
				'fullyOnlineRate',
				'zeroTripRate',
				'crossProvinceVolume',
				'positiveRate',
				'negativeCount',
				'reviewRate'
			],
			from: beijingDate(-60),
			to: beijingDate(0),
			grain: 'hour',
			region: { adcode: 0, by: 'children' },
			groupBy: ['item', 'channel'],
			compare: 'previousPeriod'
		};
		const within = {
			indicators: ['caseVolume', 'onTimeRate'],
			from: beijingDate(-13),
			to: beijingDate(1),
			grain: 'hour',
			region: { adcode: 0, by: 'children' },
			compare: 'previousPeriod'
		};
		// A wall's first picture, batched (the API takes at most 20 calls a batch): every panel of the nation and of
		// 广东, and the map of four provinces. Once cold (nothing computed yet for most) and once right after.
		const calls = [0, 440000]
			.flatMap((adcode) => PANELS.map((panel) => ({ adcode, panel })))
			.concat([110000, 310000, 510000, 650000].map((adcode) => ({ adcode, panel: 'map' as const })));
		const batchUrl = `${base}/api/trpc/${calls.map(() => 'cockpit.panel').join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(calls.map((c, i) => [i, c]))))}`;
		const batch = async () => {
			const t = performance.now();
			const res = await get(batchUrl);
			await res.arrayBuffer();
			return { status: res.status, ms: performance.now() - t };
		};
		const cold = await batch();
		const warm = await batch();

		const one = await underHeavyLoad(base, trpcUrl(base, 'indicators.query', heavy), 1, leader);
		const three = await underHeavyLoad(base, trpcUrl(base, 'indicators.query', heavy), 3, leader);
		const queued = await underHeavyLoad(base, trpcUrl(base, 'indicators.query', within), 30, leader);

		const meets = (r: autocannon.Result) => r.requests.average >= 1000 && r.latency.p99 < 100 && r.errors + r.timeouts + r.non2xx === 0;
		console.log(`\n## Load (autocannon on loopback, 100 connections, ${seconds} s each; load average before: ${loadBefore})\n`);
		console.log('| run | throughput (mean) | latency p50 / p99 / max | errors | web CPU per request | goal |');
		console.log('|---|---|---|---|---|---|');
		console.log(row('/healthz (the floor: one warehouse round trip per request)', floor, '—'));
		console.log(row('indicators.catalogue (the web stack alone: no warehouse, no hub)', stack, '—'));
		console.log(row('cockpit.panel · 全国 KPIs (a signed-in leader)', panel, `≥ 1000 req/s, p99 < 100 ms, no errors ${meets(panel) ? '✓' : '✗'}`));
		console.log(row('cockpit.panel · 全国 KPIs (a wall token)', wallPanel, `≥ 1000 req/s, p99 < 100 ms, no errors ${meets(wallPanel) ? '✓' : '✗'}`));

		const fate = (r: { replies: Array<{ status: number; ms: number; bytes: number; message: string }> }) => {
			const byStatus = new Map<number, number>();
			for (const x of r.replies) byStatus.set(x.status, (byStatus.get(x.status) ?? 0) + 1);
			const slowest = Math.max(...r.replies.map((x) => x.ms));
			const biggest = Math.max(...r.replies.map((x) => x.bytes));
			return `${[...byStatus].map(([s, n]) => `${n}× ${s}`).join(', ')}; slowest ${slowest.toFixed(0)} ms, largest reply ${(biggest / 1024).toFixed(1)} kB`;
		};
		console.log(
			`\nA batched GET of ${calls.length} panels (was 8.6 s for 120): ${cold.status}, ${cold.ms.toFixed(0)} ms cold; ${warm.status}, ${warm.ms.toFixed(0)} ms right after.`
		);
		console.log('\n| heavy work | fate | /healthz while it runs (p50 / max, polls) | goal |');
		console.log('|---|---|---|---|');
		for (const [name, r] of [
			['the heavy query of issue 10, once', one],
			['the same, three at once', three],
			['30 heavy requests within the cap at once (各省 by hour, 2 weeks, compared)', queued]
		] as const) {
			const h = r.health;
			console.log(`| ${name} | ${fate(r)} | ${h.p50.toFixed(0)} / ${h.max.toFixed(0)} ms (${h.n}) | /healthz < 1000 ms ${h.max < 1000 ? '✓' : '✗'} |`);
		}
		console.log(`\nRefusal of the heavy query: ${one.replies[0]!.message}`);
		const busy = queued.replies.find((r) => r.status !== 200);
		if (busy) console.log(`Refusal of a queued request: ${busy.status} ${busy.message}`);
	} catch (e) {
		console.error(`load bench failed; the product's last output:\n${product.log()}`);
		throw e;
	} finally {
		await product.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
