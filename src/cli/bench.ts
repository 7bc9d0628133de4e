import type { Command } from './command.ts';
import { UsageError } from './command.ts';

export const benchCommand: Command = {
	name: 'bench',
	summary: 'benchmarks',
	usage: `Usage: tianshu bench [warehouse|ingest|indices|tiles|cockpit|load|first-start|evaluate|analyze]...

Runs the benchmarks in bench/ (all, or those named) and prints their figures as
Markdown tables.
Speed and memory goals live here, never in the test suite: these machines are
shared and noisy, so read the figures, do not assert on them.`,
	async run(args) {
		const benches: Record<string, () => Promise<void>> = {
			warehouse: async () => (await import('../../bench/warehouse.ts')).benchWarehouse(),
			ingest: async () => (await import('../../bench/ingest.ts')).benchIngest(),
			indices: async () => (await import('../../bench/indices.ts')).benchIndices(),
			tiles: async () => (await import('../../bench/tiles.ts')).benchTiles(),
			cockpit: async () => (await import('../../bench/cockpit.ts')).benchCockpit(),
			load: async () => (await import('../../bench/load.ts')).benchLoad(),
			'first-start': async () => (await import('../../bench/first-start.ts')).benchFirstStart(),
			analyze: async () => (await import('../../bench/analyze.ts')).benchAnalyze(),
			evaluate: async () => (await import('../../bench/evaluate.ts')).benchEvaluate()
		};
		const names = args.length ? args : Object.keys(benches);
		for (const name of names) if (!benches[name]) throw new UsageError(`unknown benchmark '${name}' (${Object.keys(benches).join(', ')})`);
		for (const name of names) await benches[name]!();
		return 0;
	}
};
