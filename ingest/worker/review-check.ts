/**
 * The state check of 差评 handling actions, the step after routing: before a batch
 * of `review_actions` rows is stored, each action is folded into its review's
 * state (src/lib/reviews/state.ts) — the actions stored already, then the batch's
 * own, both in time order (a batch's equal times keep their line order). An action
 * the state does not allow (rectify before verify, a second follow-up, anything
 * after an upheld appeal) goes to `ingest_dead_letter` with the machine's Chinese
 * reason; the batch's other rows are kept.
 *
 * Feeds may deliver out of order (the same events re-sent shuffled, two workers on
 * overlapping files): an action whose id is stored already is a duplicate, not a
 * second action, and is left to the exactly-once path. The check is deterministic
 * for a batch and the stored actions, so a retried batch refuses the same lines.
 * The screen (reviews.act) writes its actions through this same path.
 */
import { clickhouseDateTime64 as chTime } from '../../src/lib/time/clickhouse-params.ts';
import { fold, INITIAL, inOrder, type ReviewAction } from '../../src/lib/reviews/state.ts';
import { storedActions, type StoredAction } from '../../src/lib/server/queries/reviews/actions.ts';
import type { Warehouse } from '../../src/lib/server/warehouse/client.ts';

export const ACTION_REFUSED = 'action_not_allowed';

interface BatchAction {
	line: string;
	action_id: string;
	review_id: string;
	action: ReviewAction;
	ts: number;
	satisfaction: number | null;
}

/** 'YYYY-MM-DD HH:MM:SS.mmm' (UTC, as the rows carry it) → epoch ms. */
const rowTime = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);

/** Which of a batch's action rows the states allow: the refused ones with their reasons. Pure. */
export function judgeActions(
	stored: readonly StoredAction[],
	batch: readonly string[]
): { kept: string[]; refused: Array<{ line: string; message: string; action: BatchAction }> } {
	const known = new Set(stored.map((s) => s.action_id));
	const byReview = new Map<string, Array<{ action: ReviewAction; ts: number; satisfaction: number | null; own?: BatchAction }>>();
	for (const s of stored) {
		let list = byReview.get(s.review_id);
		if (!list) byReview.set(s.review_id, (list = []));
		list.push({ action: s.action, ts: s.ms, satisfaction: s.satisfaction });
	}
	const own = new Set<string>();
	for (const line of batch) {
		const r = JSON.parse(line) as { action_id: string; review_id: string; action: ReviewAction; ts: string; satisfaction?: number | null };
		// Stored already (a replay, or another worker's copy) or repeated in this batch: the exactly-once path drops it.
		if (known.has(r.action_id) || own.has(r.action_id)) continue;
		own.add(r.action_id);
		const a: BatchAction = { line, action_id: r.action_id, review_id: r.review_id, action: r.action, ts: rowTime(r.ts), satisfaction: r.satisfaction ?? null };
		let list = byReview.get(a.review_id);
		if (!list) byReview.set(a.review_id, (list = []));
		list.push({ action: a.action, ts: a.ts, satisfaction: a.satisfaction, own: a });
	}
	const refusedLines = new Map<string, { message: string; action: BatchAction }>();
	for (const list of byReview.values()) {
		if (!list.some((x) => x.own)) continue;
		// Stored actions first among equal times: they were there before this batch.
		const ordered = inOrder(list);
		const { refused } = fold(ordered, INITIAL);
		for (const r of refused) {
			// A stored action the machine would refuse (stored before the check existed) stays; only the batch's own are refused.
			if (r.action.own) refusedLines.set(r.action.own.line, { message: r.message, action: r.action.own });
		}
	}
	const kept: string[] = [];
	const refused: Array<{ line: string; message: string; action: BatchAction }> = [];
	for (const line of batch) {
		const r = refusedLines.get(line);
		if (r) refused.push({ line, ...r });
		else kept.push(line);
	}
	return { kept, refused };
}

/** The dead letter of a refused action, in the form the worker writes refusals. */
export function refusedRow(source: string, position: number, line: string, message: string, action: { action_id: string; review_id: string }): string {
	return JSON.stringify({
		ingested_at: chTime(Date.now()),
		source,
		position,
		step: 'check',
		reason: ACTION_REFUSED,
		detail: `${message}（差评 ${action.review_id}，动作 ${action.action_id}）`,
		type_hint: 'review_action',
		raw: line.slice(0, 4096),
		raw_bytes: Buffer.byteLength(line)
	});
}

/**
 * Checks the `review_actions` rows of batches (tables by name, as the writer and the push source hold them) in place:
 * refused rows leave `review_actions` and join the batch's `ingest_dead_letter`. Returns the refusals per batch.
 */
export async function checkReviewActions(
	warehouse: Warehouse,
	batches: ReadonlyArray<{ source: string; position: number; tables: Map<string, string[]> }>
): Promise<Array<Array<{ line: string; message: string }>>> {
	const all = batches.flatMap((b) => b.tables.get('review_actions') ?? []);
	if (all.length === 0) return batches.map(() => []);
	const ids = all.map((line) => (JSON.parse(line) as { review_id: string }).review_id);
	const stored = await storedActions({ warehouse }, ids);
	// One judgement over every batch of the cut, in their order: two sources' actions on one review are judged together.
	const { refused } = judgeActions(stored, all);
	const out: Array<Array<{ line: string; message: string }>> = batches.map(() => []);
	if (refused.length === 0) return out;
	const byLine = new Map(refused.map((r) => [r.line, r]));
	batches.forEach((b, i) => {
		const lines = b.tables.get('review_actions');
		if (!lines) return;
		const keep = lines.filter((l) => !byLine.has(l));
		if (keep.length === lines.length) return;
		const dead = b.tables.get('ingest_dead_letter') ?? [];
		for (const l of lines) {
			const r = byLine.get(l);
			if (!r) continue;
			dead.push(refusedRow(b.source, b.position, l, r.message, r.action));
			out[i]!.push({ line: l, message: r.message });
		}
		if (keep.length) b.tables.set('review_actions', keep);
		else b.tables.delete('review_actions');
		b.tables.set('ingest_dead_letter', dead);
	});
	return out;
}
