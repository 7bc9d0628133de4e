/**
 * Inserts rows already serialised as JSON lines, under an insert deduplication
 * token: the write path of ingestion. `table` is one of Tianshu's own table names,
 * never input.
 */
import { Readable } from 'node:stream';
import type { Warehouse } from './client.ts';

export async function insertJsonLines(warehouse: Warehouse, table: string, lines: string[], dedupToken: string): Promise<void> {
	const result = await warehouse.exec({
		query: `INSERT INTO ${table} FORMAT JSONEachRow`,
		values: Readable.from([lines.join('\n')], { objectMode: false }),
		clickhouse_settings: { insert_deduplication_token: dedupToken }
	});
	// The reply body is empty; consume it so the socket returns to the pool.
	for await (const _ of result.stream) {
		// drain
	}
}
