/**
 * Loads the reference data into the warehouse. Idempotent: each table is a
 * ReplacingMergeTree keyed on the natural key, and each load carries an insert
 * deduplication token derived from the rows, so loading unchanged data again
 * stores nothing new.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Warehouse } from '../warehouse/client.ts';
import { checksumOf } from '../migrate/migration-files.ts';
import { storedRows } from '../queries/seed/stored-rows.ts';
import {
	capabilityRows,
	egdiRows,
	nationalMonthlyRows,
	platformTotalRows,
	regionRows,
	regionStatisticRows
} from '../../../../ingest/reference/reference-data.ts';

interface Load {
	table: string;
	/** The source files, for messages. */
	files: string[];
	rows: () => object[];
}

export function referenceLoads(referenceDir: string): Load[] {
	const regions = path.join(referenceDir, 'regions');
	const stats = (f: string) => path.join(referenceDir, 'statistics', f);
	return [
		{ table: 'regions', files: ['provinces.csv', 'cities.csv', 'areas.csv'].map((f) => path.join(regions, f)), rows: () => regionRows(regions) },
		{ table: 'region_statistics', files: [stats('provinces.csv')], rows: () => regionStatisticRows(stats('provinces.csv')) },
		{ table: 'national_monthly_statistics', files: [stats('national_monthly.csv')], rows: () => nationalMonthlyRows(stats('national_monthly.csv')) },
		{ table: 'platform_totals', files: [stats('platform_totals.csv')], rows: () => platformTotalRows(stats('platform_totals.csv')) },
		{ table: 'capability_index_published', files: [stats('capability_2020.csv')], rows: () => capabilityRows(stats('capability_2020.csv')) },
		{ table: 'egdi_published', files: [stats('egdi_2018.csv')], rows: () => egdiRows(stats('egdi_2018.csv')) }
	];
}

export interface SeedResult {
	table: string;
	rows: number;
	written: number;
}

export async function seed(warehouse: Warehouse, referenceDir: string, logger?: Logger): Promise<SeedResult[]> {
	const results: SeedResult[] = [];
	const loadedAt = Date.now();
	for (const load of referenceLoads(referenceDir)) {
		const content = load.rows();
		// The token follows the rows themselves, so a changed file or a changed reading of it loads again.
		const token = `seed:${load.table}:${checksumOf(JSON.stringify(content))}`;
		const rows = content.map((r) => ({ ...r, loaded_at: loadedAt }));
		const before = await storedRows({ warehouse }, load.table);
		await warehouse.insert({
			table: load.table,
			values: rows,
			format: 'JSONEachRow',
			clickhouse_settings: { insert_deduplication_token: token }
		});
		const written = (await storedRows({ warehouse }, load.table)) - before;
		results.push({ table: load.table, rows: rows.length, written });
		logger?.info({ table: load.table, rows: rows.length, written }, written ? 'reference data loaded' : 'reference data unchanged');
	}
	return results;
}
