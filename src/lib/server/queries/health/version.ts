/** /healthz's one statement of its own: the warehouse's server version (the schema version is the migrator's). */
import type { Warehouse } from '../../warehouse/client.ts';
import { rows } from '../statement.ts';

/** The warehouse's version string, e.g. `25.8.1.1`. */
export async function warehouseVersion(ctx: { warehouse: Warehouse }): Promise<string | undefined> {
	const [row] = await rows<{ v: string }>(ctx, 'SELECT version() AS v', {});
	return row?.v;
}
