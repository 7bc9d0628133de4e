/**
 * The ingest watermark: the newest version any worker recorded after storing data
 * (a tiny table). The live hub recomputes its topics when it moves. The whole
 * feed's progress, no region's data: no scope applies.
 */
import type { Warehouse } from '../../warehouse/client.ts';
import { rows } from '../statement.ts';

/** The newest recorded version, as text. */
export async function ingestWatermark(ctx: { warehouse: Warehouse }): Promise<string> {
	const [r] = await rows<{ v: string }>(ctx, 'SELECT toString(max(version)) AS v FROM ingest_watermark', {});
	return r?.v ?? '';
}
