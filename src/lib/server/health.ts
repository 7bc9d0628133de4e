/**
 * What /healthz reports: whether the warehouse answers and whether its schema
 * is the one this build expects.
 */
import type { Warehouse } from './warehouse/client.ts';
import { schemaVersion } from './migrate/migrator.ts';

// The migrations this build was made with; the warehouse must have them all.
const migrationFiles = Object.keys(import.meta.glob('/schema/migrations/*.sql'));
export const expectedSchemaVersion = migrationFiles.length;

export interface Health {
	status: 'ok' | 'degraded' | 'down';
	warehouse: { reachable: boolean; url: string; version?: string; error?: string };
	schema: { version: number | null; expected: number };
	checkedAt: string;
}

export async function checkHealth(warehouse: Warehouse, url: string): Promise<Health> {
	const checkedAt = new Date().toISOString();
	const down = (error: string): Health => ({
		status: 'down',
		warehouse: { reachable: false, url, error },
		schema: { version: null, expected: expectedSchemaVersion },
		checkedAt
	});
	const ping = await warehouse.ping();
	if (!ping.success) return down(String((ping as { error?: Error }).error?.message ?? 'no answer'));
	try {
		const [row] = await (await warehouse.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();
		let version: number | null = null;
		try {
			version = await schemaVersion(warehouse);
		} catch {
			version = null; // not migrated yet: the table or database is missing
		}
		return {
			status: version === expectedSchemaVersion ? 'ok' : 'degraded',
			warehouse: { reachable: true, url, version: row?.v },
			schema: { version, expected: expectedSchemaVersion },
			checkedAt
		};
	} catch (e) {
		return down((e as Error).message);
	}
}
