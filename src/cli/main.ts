import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { ConfigError, processEnv } from '../lib/server/config.ts';

// Loaded on demand so `tianshu web` never pays for chDB and `--help` is instant.
const commands: Record<string, () => Promise<Command>> = {
	start: async () => (await import('./start.ts')).startCommand,
	warehouse: async () => (await import('./warehouse.ts')).warehouseCommand,
	migrate: async () => (await import('./migrate.ts')).migrateCommand,
	seed: async () => (await import('./seed.ts')).seedCommand,
	web: async () => (await import('./web.ts')).webCommand,
	simulate: async () => (await import('./simulate.ts')).simulateCommand,
	ingest: async () => (await import('./ingest.ts')).ingestCommand,
	index: async () => (await import('./index-command.ts')).indexCommand,
	bench: async () => (await import('./bench.ts')).benchCommand,
	appdb: async () => (await import('./appdb.ts')).appdbCommand,
	source: async () => (await import('./source.ts')).sourceCommand,
	user: async () => (await import('./user.ts')).userCommand,
	wall: async () => (await import('./wall.ts')).wallCommand,
	rollups: async () => (await import('./rollups.ts')).rollupsCommand,
	deadlines: async () => (await import('./deadlines.ts')).deadlinesCommand,
	verify: async () => (await import('./verify.ts')).verifyCommand
};

const summaries: Record<string, string> = {
	start: 'everything: warehouse, migrations, reference data, web server (npm start)',
	warehouse: 'the embedded ClickHouse warehouse (chDB) on loopback',
	migrate: 'apply schema migrations to the warehouse; render them for a cluster',
	seed: 'load reference data (regions, published indices, statistics)',
	web: 'the web server (built SvelteKit app)',
	simulate: 'a realistic simulated feed (NDJSON), deterministic under a seed',
	ingest: 'the ingestion worker: files, drop-box, stdin, HTTP push → warehouse',
	index: 'composite indices: compute, simulate (Monte Carlo), seek a rank or grade',
	bench: 'benchmarks that print figures (npm run bench)',
	appdb: 'the app database (embedded PGlite on loopback, or DATABASE_URL); appdb migrate',
	source: 'ingest sources allowed to push: add (prints a token once), list, revoke',
	user: 'accounts: add (password from stdin), list, disable, enable, reset, set role or regions',
	wall: 'wall-screen tokens: issue (prints a token once), list, revoke',
	rollups: 'rebuild the rollups from the raw tables, each event id once',
	deadlines: 'reapply the deadline rule to stored cases and 差评, then rebuild the rollups',
	verify: 'recount the cockpit figures from the raw events and compare (数据核验)'
};

function help(): string {
	const width = Math.max(...Object.keys(summaries).map((k) => k.length));
	return [
		'天枢 Tianshu — digital-government decision cockpit',
		'',
		'Usage: tianshu <command> [options]    (tianshu <command> --help for its options)',
		'',
		'Commands:',
		...Object.entries(summaries).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
		'',
		'Every command talks to the warehouse named by CLICKHOUSE_URL; without it, the',
		'embedded warehouse at http://127.0.0.1:8123 (see README).'
	].join('\n');
}

/**
 * Under `tianshu start`, stdin is a pipe from the supervisor: when it closes, the
 * supervisor is gone (even by kill -9) and this part stops instead of lingering.
 */
function followSupervisor(): void {
	if (processEnv().TIANSHU_SUPERVISED !== '1' || process.stdin.isTTY) return;
	process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
	process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
	process.stdin.resume();
	(process.stdin as unknown as { unref?: () => void }).unref?.();
}

export async function main(argv: string[]): Promise<number> {
	followSupervisor();
	const [name, ...args] = argv;
	if (!name || name === '--help' || name === '-h' || name === 'help') {
		console.log(help());
		return name ? 0 : 2;
	}
	const load = commands[name];
	if (!load) {
		console.error(`tianshu: unknown command '${name}'\n\n${help()}`);
		return 2;
	}
	const command = await load();
	if (args.includes('--help') || args.includes('-h')) {
		console.log(command.usage);
		return 0;
	}
	try {
		return await command.run(args);
	} catch (e) {
		if (e instanceof UsageError) {
			console.error(`tianshu ${name}: ${e.message}\n\n${command.usage}`);
			return 2;
		}
		// A bad environment variable stops the part at start with the variable's name, not a stack trace.
		if (e instanceof ConfigError) {
			console.error(`tianshu ${name}: ${e.message}`);
			return 1;
		}
		throw e;
	}
}
