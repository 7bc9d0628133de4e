/** Names of service items (事项目录, reference data: public, no scope) for the rows of /analyze. */
import { rows, type QueryCtx } from '../statement.ts';

export async function selectItemNames(ctx: Pick<QueryCtx, 'warehouse'>, codes: string[]): Promise<Map<string, string>> {
	if (!codes.length) return new Map();
	const found = await rows<{ item_code: string; item_name: string }>(
		ctx,
		'SELECT item_code, argMax(item_name, last_seen) AS item_name FROM service_items WHERE has({codes:Array(String)}, item_code) GROUP BY item_code',
		{ codes }
	);
	return new Map(found.map((r) => [r.item_code, r.item_name]));
}
