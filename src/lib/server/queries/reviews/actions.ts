/** The actions stored for 差评: what the ingest worker's check and reviews.act fold into a review's state. */
import type { Warehouse } from '../../warehouse/client.ts';
import { rows } from '../statement.ts';
import type { ReviewAction } from '../../../reviews/state.ts';

export interface StoredAction {
	review_id: string;
	action_id: string;
	action: ReviewAction;
	/** Epoch ms. */
	ms: number;
	satisfaction: number | null;
}

/** Every stored action of these reviews (each action id once), in time order. Not scoped: the worker's own read; callers check the region. */
export async function storedActions(ctx: { warehouse: Warehouse }, reviewIds: readonly string[]): Promise<StoredAction[]> {
	if (reviewIds.length === 0) return [];
	const r = await rows<{ review_id: string; action_id: string; action: ReviewAction; ms: string | number; satisfaction: number | null }>(
		ctx,
		`SELECT review_id, action_id, action, toUnixTimestamp64Milli(ts) AS ms, satisfaction FROM review_actions
		 WHERE review_id IN {ids:Array(String)} ORDER BY review_id, ts, action_id LIMIT 1 BY action_id`,
		{ ids: [...new Set(reviewIds)] }
	);
	return r.map((x) => ({ ...x, ms: Number(x.ms), satisfaction: x.satisfaction === null ? null : Number(x.satisfaction) }));
}
