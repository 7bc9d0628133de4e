/**
 * Reference data in the real warehouse: complete, correct where we can check
 * against known facts, and idempotent.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/lib/server/migrate/migration-files.ts';
import { migrate } from '../../src/lib/server/migrate/migrator.ts';
import { seed } from '../../src/lib/server/seed/seed.ts';
import { freshDatabase } from '../helpers/warehouse.ts';
import { projectRoot } from '../../src/lib/server/warehouse/embedded/spawn.ts';

const referenceDir = path.join(projectRoot, 'ingest', 'reference');
let db: Awaited<ReturnType<typeof freshDatabase>>;

async function rows<T>(query: string, query_params?: Record<string, unknown>): Promise<T[]> {
	return (await db.warehouse.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
}

beforeAll(async () => {
	db = await freshDatabase('seed');
	await migrate({
		admin: db.admin,
		warehouse: db.warehouse,
		database: db.database,
		migrations: readMigrations(path.join(projectRoot, 'schema', 'migrations'))
	});
});
afterAll(async () => db.drop());

describe('tianshu seed', () => {
	it('loads every reference table, and a second run stores nothing new', async () => {
		const first = await seed(db.warehouse, referenceDir);
		expect(first.every((r) => r.rows > 0 && r.written === r.rows)).toBe(true);
		const second = await seed(db.warehouse, referenceDir);
		expect(second.map((r) => r.written)).toEqual(second.map(() => 0));
		const [raw] = await rows<{ n: number }>('SELECT count() AS n FROM regions');
		expect(raw!.n).toBe(first.find((r) => r.table === 'regions')!.rows);
	});

	it('has all provinces, prefecture cities and counties of GB/T 2260 with their hierarchy', async () => {
		const levels = await rows<{ level: string; n: number }>('SELECT level, count() AS n FROM regions FINAL GROUP BY level ORDER BY level');
		expect(levels).toEqual([
			{ level: 'province', n: 34 },
			{ level: 'city', n: 342 },
			{ level: 'county', n: 2975 }
		]);
		// Every county's parent is a city of the same province, every city's a province.
		const [orphans] = await rows<{ n: number }>(`
			SELECT count() AS n FROM regions AS r FINAL
			LEFT JOIN (SELECT adcode, province_code FROM regions FINAL) AS p ON r.parent_code = p.adcode
			WHERE r.level != 'province' AND (p.adcode = 0 OR p.province_code != r.province_code)`);
		expect(orphans!.n).toBe(0);
	});

	it.each([
		[440000, '广东省', '广东', 'province', 0],
		[440300, '深圳市', '深圳', 'city', 440000],
		[440305, '南山区', '南山区', 'county', 440300],
		[450000, '广西壮族自治区', '广西', 'province', 0],
		[522600, '黔东南苗族侗族自治州', '黔东南', 'city', 520000],
		[110100, '市辖区', '北京', 'city', 110000],
		[441900, '东莞市', '东莞', 'city', 440000],
		[810000, '香港特别行政区', '香港', 'province', 0]
	])('region %i is %s (%s, %s)', async (adcode, name, short, level, parent) => {
		const [r] = await rows<{ name: string; short_name: string; level: string; parent_code: number }>(
			'SELECT name, short_name, level, parent_code FROM regions FINAL WHERE adcode = {adcode:UInt32}',
			{ adcode }
		);
		expect(r).toEqual({ name, short_name: short, level, parent_code: parent });
	});

	it('keeps the source of every statistic', async () => {
		const [pop] = await rows<{ total: number; missing: number }>(
			"SELECT round(sum(value), 1) AS total, countIf(source_url = '') AS missing FROM region_statistics FINAL WHERE metric = 'population' AND year = 2020"
		);
		// Seventh census: 141177.87万 in all, less 200万 serving military not counted by province.
		expect(pop!.total).toBeCloseTo(140977.9, 0);
		expect(pop!.missing).toBe(0);
		const [gd] = await rows<{ value: number; unit: string }>(
			"SELECT value, unit FROM region_statistics FINAL WHERE metric = 'gdp' AND year = 2023 AND adcode = 440000"
		);
		expect(gd).toEqual({ value: 135673.16, unit: '亿元' });
	});

	it('loads the published indices as printed, faults included', async () => {
		const capability = await rows<{ adcode: number; overall_index: number | null; published_rank: number | null }>(
			'SELECT adcode, overall_index, published_rank FROM capability_index_published FINAL WHERE edition = 2020 ORDER BY adcode'
		);
		expect(capability).toHaveLength(32);
		expect(capability.find((r) => r.adcode === 330000)).toEqual({ adcode: 330000, overall_index: 96.73, published_rank: 1 });
		expect(capability.filter((r) => r.overall_index === null)).toHaveLength(1);
		const [egdi] = await rows<{ n: number; worst: number }>(
			'SELECT count() AS n, max(abs(egdi - (osi + hci + tii) / 3)) AS worst FROM egdi_published FINAL WHERE survey_year = 2018'
		);
		expect(egdi!.n).toBe(193);
		expect(egdi!.worst).toBeLessThan(1e-4);
	});
});
