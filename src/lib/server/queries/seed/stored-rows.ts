/**
 * The seed's one read: how many rows a reference table stores. Reference data is
 * public (no scope); the table name is bound as an Identifier, never spliced.
 */
import type { Warehouse } from '../../warehouse/client.ts';
import { rows } from '../statement.ts';

/** Rows stored, merged or not: a deduplicated insert leaves it unchanged. */
export async function storedRows(ctx: { warehouse: Warehouse }, table: string): Promise<number> {
	const [row] = await rows<{ n: number }>(ctx, 'SELECT count() AS n FROM {table:Identifier}', { table });
	return row?.n ?? 0;
}
