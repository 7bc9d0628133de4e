/**
 * The service item catalogue (事项目录) as reference data: public, no scope.
 */
import type { Warehouse } from '../../warehouse/client.ts';
import { rows } from '../statement.ts';

/** How many distinct items and departments the catalogue holds (the planner's work estimate sizes groups by them). */
export async function itemCatalogueSize(ctx: { warehouse: Warehouse }): Promise<{ items: number; departments: number }> {
	const [r] = await rows<{ items: number; departments: number }>(
		ctx,
		'SELECT uniqExact(item_code) AS items, uniqExact(department) AS departments FROM service_items FINAL',
		{}
	);
	return { items: Number(r?.items ?? 0), departments: Number(r?.departments ?? 0) };
}
