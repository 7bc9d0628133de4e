/**
 * The ingest worker's checkpoint read (ingest/worker/checkpoints.ts): where a
 * source is, from the latest version recorded for it. Ingest's own bookkeeping,
 * no scope.
 */
import type { Warehouse } from '../../warehouse/client.ts';
import { rows } from '../statement.ts';

/** The latest committed offset and pending end of `source`, or undefined when none is recorded. */
export async function latestCheckpoint(ctx: { warehouse: Warehouse }, source: string): Promise<{ committed: number; pending_end: number } | undefined> {
	const [row] = await rows<{ committed: number; pending_end: number }>(
		ctx,
		`SELECT argMax(committed, version) AS committed, argMax(pending_end, version) AS pending_end
		 FROM ingest_checkpoints WHERE source = {source:String} GROUP BY source`,
		{ source }
	);
	return row;
}
