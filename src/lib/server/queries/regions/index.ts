/**
 * Region names and the region tree, read from the warehouse's `regions` in one
 * statement and kept per process: about 3 500 rows of reference data that change
 * once a year, asked for on every cockpit picture, breadcrumb and sub-region
 * label. Names are published (no scope here); callers filter what they show by
 * scope (scope.ts visibleRegions / assertInScope).
 */
import type { Warehouse } from '../../warehouse/client.ts';

export interface Region {
	adcode: number;
	name: string;
	short_name: string;
	level: 'province' | 'city' | 'county';
	/** 0 for provinces. */
	parent_code: number;
	province_code: number;
	/** 0 for provinces. */
	city_code: number;
}

/** What a region read needs of the caller: only the warehouse (a tRPC context or a worker's client both fit). */
export type RegionsCtx = { warehouse: Warehouse };

/** The only statement over `regions` outside schema/ and the seed. */
const ALL_REGIONS = 'SELECT adcode, name, short_name, toString(level) AS level, parent_code, province_code, city_code FROM regions FINAL ORDER BY adcode';

/** A re-seed shows within this long without a restart; a read of the whole tree is a few milliseconds. */
export const REGION_TREE_TTL_MS = 10 * 60_000;

/** The regions by code and by parent, from one read. */
export class RegionTree {
	private readonly byCode: Map<number, Region>;
	private readonly byParent = new Map<number, Region[]>();

	constructor(regions: Region[]) {
		this.byCode = new Map(regions.map((r) => [r.adcode, r]));
		for (const r of [...regions].sort((a, b) => a.adcode - b.adcode)) {
			const siblings = this.byParent.get(r.parent_code);
			if (siblings) siblings.push(r);
			else this.byParent.set(r.parent_code, [r]);
		}
	}

	get size(): number {
		return this.byCode.size;
	}

	get(adcode: number): Region | undefined {
		return this.byCode.get(adcode);
	}

	/** The regions whose parent_code is `parent`, by code (provinces for 0). */
	children(parent: number): Region[] {
		return this.byParent.get(parent) ?? [];
	}

	/** Every region, by code. */
	all(): Region[] {
		return [...this.byCode.values()].sort((a, b) => a.adcode - b.adcode);
	}
}

const trees = new WeakMap<Warehouse, { value: Promise<RegionTree>; loadedAt: number }>();

/** The region tree of this warehouse, read once and kept for REGION_TREE_TTL_MS; an empty table or a failed read is not kept. */
export function regionTree(ctx: RegionsCtx, now = Date.now()): Promise<RegionTree> {
	const cached = trees.get(ctx.warehouse);
	if (cached && now - cached.loadedAt < REGION_TREE_TTL_MS) return cached.value;
	const entry = { value: loadTree(ctx.warehouse), loadedAt: now };
	trees.set(ctx.warehouse, entry);
	entry.value.then(
		(tree) => tree.size === 0 && trees.get(ctx.warehouse) === entry && trees.delete(ctx.warehouse),
		// The caller that waited sees the error; the next one reads again.
		() => trees.get(ctx.warehouse) === entry && trees.delete(ctx.warehouse)
	);
	return entry.value;
}

async function loadTree(warehouse: Warehouse): Promise<RegionTree> {
	const rs = await warehouse.query({ query: ALL_REGIONS, format: 'JSONEachRow' });
	return new RegionTree(await rs.json<Region>());
}

/** One region, or undefined when there is none. */
export async function regionByCode(ctx: RegionsCtx, adcode: number): Promise<Region | undefined> {
	return (await regionTree(ctx)).get(adcode);
}

/** The regions with these codes (those that exist), by code. */
export async function regionsByCode(ctx: RegionsCtx, codes: readonly number[]): Promise<Region[]> {
	const tree = await regionTree(ctx);
	return [...new Set(codes)]
		.sort((a, b) => a - b)
		.map((c) => tree.get(c))
		.filter((r): r is Region => r !== undefined);
}

/** The regions directly below `parent` (parent_code), by code. */
export async function childRegions(ctx: RegionsCtx, parent: number): Promise<Region[]> {
	return (await regionTree(ctx)).children(parent);
}

/** The full name of one region (广东省), or undefined when there is none. */
export async function regionName(ctx: RegionsCtx, adcode: number): Promise<string | undefined> {
	return (await regionByCode(ctx, adcode))?.name;
}

/** Short names (广东, 广州) of the codes that exist. */
export async function shortNames(ctx: RegionsCtx, codes: readonly number[]): Promise<Map<number, string>> {
	return new Map((await regionsByCode(ctx, codes)).map((r) => [r.adcode, r.short_name]));
}
