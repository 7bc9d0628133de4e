import type { Command } from './command.ts';
import { parseOptions } from './args.ts';

export const benchCommand: Command = {
	name: 'bench',
	summary: 'benchmarks',
	usage: `Usage: tianshu bench

Runs the benchmarks in bench/ and prints their figures as Markdown tables.
Speed and memory goals live here, never in the test suite: these machines are
shared and noisy, so read the figures, do not assert on them.`,
	async run(args) {
		parseOptions(args, {});
		const { benchWarehouse } = await import('../../bench/warehouse.ts');
		await benchWarehouse();
		return 0;
	}
};
