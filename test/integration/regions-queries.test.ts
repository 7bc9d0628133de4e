/**
 * The region tree read from a real warehouse: one row per code after FINAL,
 * children by parent, names, and the per-process cache (kept, refreshed after
 * its TTL, never kept empty).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	childRegions,
	REGION_TREE_TTL_MS,
	regionByCode,
	regionName,
	regionsByCode,
	regionTree,
	shortNames
} from '../../src/lib/server/queries/regions/index.ts';
import { migratedDatabase } from '../helpers/ingest.ts';

let db: Awaited<ReturnType<typeof migratedDatabase>>;

type Row = [adcode: number, name: string, short_name: string, level: string, parent: number, province: number, city: number];
const ROWS: Row[] = [
	[440000, '广东省', '广东', 'province', 0, 440000, 0],
	[440100, '广州市', '广州', 'city', 440000, 440000, 440100],
	[440106, '天河区', '天河', 'county', 440100, 440000, 440100],
	[440103, '荔湾区', '荔湾', 'county', 440100, 440000, 440100],
	[110000, '北京市', '北京', 'province', 0, 110000, 0],
	[110100, '市辖区', '北京', 'city', 110000, 110000, 110100],
	[110101, '东城区', '东城', 'county', 110100, 110000, 110100],
	[420000, '湖北省', '湖北', 'province', 0, 420000, 0],
	[429000, '省直辖县级行政区划', '省直辖', 'city', 420000, 420000, 429000],
	[429004, '仙桃市', '仙桃', 'county', 429000, 420000, 429000]
];

async function insert(rows: Row[], loadedAt: string): Promise<void> {
	await db.warehouse.insert({
		table: 'regions',
		values: rows.map(([adcode, name, short_name, level, parent_code, province_code, city_code]) => ({
			adcode,
			name,
			short_name,
			level,
			parent_code,
			province_code,
			city_code,
			source: 'test',
			loaded_at: loadedAt
		})),
		format: 'JSONEachRow'
	});
}

beforeAll(async () => {
	db = await migratedDatabase('regions_q');
}, 120_000);
afterAll(async () => db.drop());

describe('the region tree', () => {
	it('does not keep an empty table: rows seeded afterwards show at once', async () => {
		const ctx = { warehouse: db.warehouse };
		expect((await regionTree(ctx)).size).toBe(0);
		await insert(ROWS, '2026-01-01 00:00:00.000');
		// An older name loaded later must lose to the newer one under FINAL.
		await insert([[440100, '广州旧名', '旧', 'city', 440000, 440000, 440100]], '2025-01-01 00:00:00.000');
		expect((await regionTree(ctx)).size).toBe(10);
	});

	it('answers a region, its children in code order, and names', async () => {
		const ctx = { warehouse: db.warehouse };
		expect(await regionByCode(ctx, 429004)).toEqual({
			adcode: 429004,
			name: '仙桃市',
			short_name: '仙桃',
			level: 'county',
			parent_code: 429000,
			province_code: 420000,
			city_code: 429000
		});
		expect(await regionByCode(ctx, 330000)).toBeUndefined();
		expect((await childRegions(ctx, 0)).map((r) => r.adcode)).toEqual([110000, 420000, 440000]);
		expect((await childRegions(ctx, 440100)).map((r) => r.adcode)).toEqual([440103, 440106]);
		expect(await childRegions(ctx, 440106)).toEqual([]);
		expect(await regionName(ctx, 440100)).toBe('广州市');
		expect((await regionsByCode(ctx, [440106, 999999, 110101, 440106])).map((r) => r.adcode)).toEqual([110101, 440106]);
		expect(await shortNames(ctx, [440000, 429004, 330000])).toEqual(
			new Map([
				[440000, '广东'],
				[429004, '仙桃']
			])
		);
	});

	it('keeps the tree per process, and reads it again after its TTL', async () => {
		const ctx = { warehouse: db.warehouse };
		const now = Date.now();
		const before = await regionTree(ctx, now);
		await insert([[440300, '深圳市', '深圳', 'city', 440000, 440000, 440300]], '2026-01-01 00:00:00.000');
		expect(await regionTree(ctx, now)).toBe(before);
		expect((await regionTree(ctx, now)).get(440300)).toBeUndefined();
		const after = await regionTree(ctx, now + REGION_TREE_TTL_MS + 1);
		expect(after.get(440300)?.name).toBe('深圳市');
		expect(after.children(440000).map((r) => r.adcode)).toEqual([440100, 440300]);
	});
});
