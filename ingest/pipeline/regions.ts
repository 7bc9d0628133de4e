/**
 * The region hierarchy the enrich step needs: for each GB/T 2260 code, its
 * province and prefecture city. Loaded once from the warehouse's `regions`
 * (through queries/regions, the one reader of that table).
 */
import { regionTree } from '../../src/lib/server/queries/regions/index.ts';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';

export interface RegionKeys {
	province_code: number;
	city_code: number;
}

export class RegionIndex {
	constructor(private readonly byCode: Map<number, RegionKeys>) {}

	static async load(warehouse: Warehouse): Promise<RegionIndex> {
		const tree = await regionTree({ warehouse });
		if (tree.size === 0) throw new Error('the regions table is empty: run `tianshu seed` before ingesting');
		return RegionIndex.of(tree.all());
	}

	/** For tests and tools that hold the rows already. */
	static of(rows: Array<{ adcode: number; province_code: number; city_code: number }>): RegionIndex {
		return new RegionIndex(new Map(rows.map((r) => [r.adcode, { province_code: r.province_code, city_code: r.city_code }])));
	}

	lookup(adcode: number): RegionKeys | undefined {
		return this.byCode.get(adcode);
	}

	get size(): number {
		return this.byCode.size;
	}
}
