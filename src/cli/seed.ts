import type { Command } from './command.ts';
import { parseOptions } from './args.ts';
import { referenceDir } from './paths.ts';
import { configOrExit, connectOrExit } from './warehouse-connect.ts';
import { createLogger } from '../lib/server/log/logger.ts';
import { seed } from '../lib/server/seed/seed.ts';

export const seedCommand: Command = {
	name: 'seed',
	summary: 'load reference data',
	usage: `Usage: tianshu seed

Loads the reference data in ingest/reference into the warehouse named by
CLICKHOUSE_URL: GB/T 2260 regions (provinces, prefecture cities, counties), and
published statistics and indices with their sources. Idempotent: an unchanged
file loads nothing new. Run \`tianshu migrate\` first.`,
	async run(args) {
		parseOptions(args, {});
		const logger = createLogger('seed');
		const warehouse = await connectOrExit(configOrExit());
		try {
			await seed(warehouse, referenceDir, logger);
			return 0;
		} finally {
			await warehouse.close();
		}
	}
};
