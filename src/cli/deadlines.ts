/**
 * `tianshu deadlines reapply`: gives stored cases (due_date, on_time) and 差评
 * (rectify_due_date) the deadlines the one rule gives them now — after an upgrade
 * of the rule, a change of ingest/config/deadlines.json or of the official calendar
 * (chinese-days) — then rebuilds the rollups from the raw tables. Ingest stores new
 * rows with the rule of the day; stored rows change only through this command.
 * 12345 承办时限 (due_ts) is the platform's and is not touched.
 */
import type { Logger } from 'pino';
import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions } from './args.ts';
import { configOrExit, connectOrExit } from './warehouse-connect.ts';
import { rebuildRollups } from './rollups.ts';
import { createLogger } from '../lib/server/log/logger.ts';
import type { Warehouse } from '../lib/server/warehouse/client.ts';
import { DeadlinePolicy } from '../../ingest/pipeline/deadlines.ts';
import { dueDateOn } from '../lib/time/deadlines.ts';
import { DAY_MS } from '../lib/time/beijing-time.ts';
import {
	createCalendar,
	deadlineSpan,
	dropWorkTables,
	fillCalendar,
	partitionsToRewrite,
	recentIngestBatches,
	rewritePartition,
	storedCounties,
	type DeadlineTable,
	type RegionSetting
} from '../lib/server/queries/deadlines/reapply.ts';

const INGEST_QUIET_S = 30;

export class ReapplyRefused extends Error {}

export interface ReapplyOptions {
	database: string;
	policy?: DeadlinePolicy;
	force?: boolean;
	/** Count what would change, change nothing. */
	dryRun?: boolean;
	logger?: Logger;
}

export interface ReapplyResult {
	changed: Record<DeadlineTable, number>;
	rollups: string[];
}

/** Each stored county's setting, listing only those that differ from the default. */
function regionSetting(counties: Awaited<ReturnType<typeof storedCounties>>, of: (c: (typeof counties)[number]) => number, fallback: number): RegionSetting {
	const codes: number[] = [];
	const values: number[] = [];
	for (const c of counties) {
		const v = of(c);
		if (v !== fallback) (codes.push(c.adcode), values.push(v));
	}
	return { codes, values, fallback };
}

export async function reapplyDeadlines(warehouse: Warehouse, options: ReapplyOptions): Promise<ReapplyResult> {
	const ctx = { warehouse };
	const policy = options.policy ?? DeadlinePolicy.load();
	if (!options.force && (await recentIngestBatches(ctx, INGEST_QUIET_S)) > 0)
		throw new ReapplyRefused(
			`ingest stored data in the last ${INGEST_QUIET_S} s: stop the ingest worker first (rows stored during the rewrite would be lost), or pass --force`
		);
	const changed: Record<DeadlineTable, number> = { case_events: 0, reviews: 0 };
	const span = await deadlineSpan(ctx);
	if (span.first === null || span.last === null) return { changed, rollups: [] };

	const counties = await storedCounties(ctx);
	const cutoff = regionSetting(counties, (c) => policy.receiptCutoff(c.adcode, c.city_code, c.province_code) ?? -1, policy.receiptCutoff(0, 0, 0) ?? -1);
	const rectify = regionSetting(counties, (c) => policy.rectifyDays(c.adcode, c.city_code, c.province_code), policy.rectifyDays(0, 0, 0));
	const days = [...new Set([...span.days, rectify.fallback, ...rectify.values])];
	const entries: Array<{ day: string; working_days: number; after_cutoff: number; due: string }> = [];
	for (let t = Date.parse(`${span.first}T00:00:00Z`); t <= Date.parse(`${span.last}T00:00:00Z`); t += DAY_MS) {
		const day = new Date(t).toISOString().slice(0, 10);
		for (const n of days) for (const after of [0, 1]) entries.push({ day, working_days: n, after_cutoff: after, due: dueDateOn(day, after === 1, n) });
	}
	try {
		await createCalendar(ctx);
		await fillCalendar(ctx, entries);
		for (const table of ['case_events', 'reviews'] as const) {
			for (const { partition, changed: n } of await partitionsToRewrite(ctx, table, cutoff, rectify)) {
				if (!options.dryRun) await rewritePartition(ctx, table, partition, cutoff, rectify);
				changed[table] += n;
				options.logger?.info({ table, partition, changed: n }, options.dryRun ? 'deadlines would change' : 'deadlines reapplied');
			}
		}
	} finally {
		await dropWorkTables(ctx);
	}
	if (options.dryRun || changed.case_events + changed.reviews === 0) return { changed, rollups: [] };
	// The rewrite fired no view: every rollup is recomputed from the raw tables (ingest is quiet, checked above).
	const { rollups } = await rebuildRollups(warehouse, { database: options.database, force: true, logger: options.logger });
	return { changed, rollups };
}

export const deadlinesCommand: Command = {
	name: 'deadlines',
	summary: 'reapply the deadline rule to stored cases and 差评, then rebuild the rollups',
	usage: `Usage: tianshu deadlines reapply [--dry-run] [--force]

Gives stored cases (due_date, on_time) and negative reviews (rectify_due_date)
the deadlines the rule gives them now: N working days on the official calendar,
receipt on a non-working day or after the region's cut-off counting from the next
working day (ingest/config/deadlines.json, or TIANSHU_DEADLINES). Partitions with
a changed row are rewritten and swapped in whole; the rollups are then rebuilt
from the raw tables. 12345 承办时限 (due_ts) is the platform's and stays as sent.

Stop ingestion first: the command refuses when ingest stored a batch in the last
${INGEST_QUIET_S} s.

Options:
  --dry-run  count the rows that would change, change nothing
  --force    run even though ingest looks active`,
	async run(args) {
		const [sub, ...rest] = args;
		if (sub !== 'reapply') throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'name a subcommand: reapply');
		const o = parseOptions(rest, { 'dry-run': { type: 'boolean', default: false }, force: { type: 'boolean', default: false } });
		const logger = createLogger('cli').child({ command: 'deadlines' });
		const config = configOrExit();
		const warehouse = await connectOrExit(config);
		try {
			const r = await reapplyDeadlines(warehouse, { database: config.database, force: o.force, dryRun: o['dry-run'], logger });
			const verb = o['dry-run'] ? 'would change' : 'changed';
			console.log(`${verb}: ${r.changed.case_events} case events, ${r.changed.reviews} reviews; rollups rebuilt: ${r.rollups.length}`);
			return 0;
		} catch (e) {
			if (e instanceof ReapplyRefused) {
				console.error(`tianshu deadlines: ${e.message}`);
				return 1;
			}
			throw e;
		} finally {
			await warehouse.close();
		}
	}
};
