/**
 * What /healthz reports: whether the warehouse answers and whether its schema
 * is the one this build expects.
 */
import type { Warehouse } from './warehouse/client.ts';
import { schemaVersion } from './migrate/migrator.ts';
import { warehouseVersion } from './queries/health/version.ts';

// The migrations this build was made with; the warehouse must have them all.
const migrationFiles = Object.keys(import.meta.glob('/schema/migrations/*.sql'));
export const expectedSchemaVersion = migrationFiles.length;

export interface Health {
	status: 'ok' | 'degraded' | 'down';
	warehouse: { reachable: boolean; url: string; version?: string; error?: string };
	schema: { version: number | null; expected: number };
	checkedAt: string;
}

/**
 * The warehouse URL as /healthz may show it: no user, no password (in the
 * authority or as URL parameters), nothing after the path.
 */
export function publicUrl(url: string): { url: string; secrets: string[] } {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return { url: '(not a valid URL)', secrets: [url] };
	}
	const secrets = [parsed.password, decodeURIComponent(parsed.password), parsed.searchParams.get('password') ?? ''].filter((s) => s.length > 0);
	return { url: `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`, secrets };
}

export async function checkHealth(warehouse: Warehouse, configuredUrl: string): Promise<Health> {
	const checkedAt = new Date().toISOString();
	const { url, secrets } = publicUrl(configuredUrl);
	// An error message may quote the URL it failed on.
	const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);
	const down = (error: string): Health => ({
		status: 'down',
		warehouse: { reachable: false, url, error: scrub(error) },
		schema: { version: null, expected: expectedSchemaVersion },
		checkedAt
	});
	const ping = await warehouse.ping();
	if (!ping.success) return down(String((ping as { error?: Error }).error?.message ?? 'no answer'));
	try {
		const serverVersion = await warehouseVersion({ warehouse });
		let version: number | null = null;
		try {
			version = await schemaVersion(warehouse);
		} catch {
			version = null; // not migrated yet: the table or database is missing
		}
		return {
			status: version === expectedSchemaVersion ? 'ok' : 'degraded',
			warehouse: { reachable: true, url, version: serverVersion },
			schema: { version, expected: expectedSchemaVersion },
			checkedAt
		};
	} catch (e) {
		return down((e as Error).message);
	}
}
