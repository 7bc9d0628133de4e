/**
 * The 差评 queue: each 差评's state (state.ts, folded from its actions in time order), its rectification
 * deadline (the Beijing date stamped at ingest by the region's rule, src/lib/time/deadlines.ts), whether it is
 * overdue or due within two working days, then filters, a sort and keyset pages. Pure.
 */
import { addWorkingDays } from '../time/working-days.ts';
import { fold, INITIAL, inOrder, stateOf, type Handling, type ReviewAction, type ReviewState } from './state.ts';

export interface QueueReview {
	review_id: string;
	case_id: string;
	/** Epoch ms received. */
	ts: number;
	adcode: number;
	department: string;
	item_code: string;
	channel: string;
	rating: number;
	tags: string[];
	comment: string;
	/** Beijing date, null when no deadline is known. */
	due: string | null;
}

export interface QueueAction {
	review_id: string;
	action: ReviewAction;
	ts: number;
	satisfaction: number | null;
}

export type Due = 'overdue' | 'soon' | 'ok' | 'done' | 'none';

export interface QueueEntry extends QueueReview {
	state: ReviewState;
	handling: Handling;
	/** overdue: not rectified and the deadline's date has passed; soon: due within two working days; done: rectified (or upheld). */
	dueStatus: Due;
	/** Rectified after the deadline's date. */
	rectifiedLate: boolean;
}

/** Still to be rectified: new or verified, not taken out by an upheld appeal. */
export const isOpen = (h: Handling) => h.appeal !== 'upheld' && (h.stage === 'new' || h.stage === 'verified');

export function dueStatus(h: Handling, due: string | null, today: string): Due {
	if (!isOpen(h)) return 'done';
	if (due === null) return 'none';
	if (due < today) return 'overdue';
	return due <= addWorkingDays(today, 2) ? 'soon' : 'ok';
}

/** Each review's entry, its actions folded in time order. */
export function entries(reviews: readonly QueueReview[], actions: readonly QueueAction[], today: string, beijingDateOf: (ms: number) => string): QueueEntry[] {
	const by = new Map<string, QueueAction[]>();
	for (const a of actions) {
		let list = by.get(a.review_id);
		if (!list) by.set(a.review_id, (list = []));
		list.push(a);
	}
	return reviews.map((r) => {
		const { handling } = fold(inOrder(by.get(r.review_id) ?? []), INITIAL);
		const rectifiedLate = handling.rectifiedAt !== null && r.due !== null && beijingDateOf(handling.rectifiedAt) > r.due;
		return { ...r, handling, state: stateOf(handling), dueStatus: dueStatus(handling, r.due, today), rectifiedLate };
	});
}

export const QUEUE_SORTS = ['deadline', 'newest', 'oldest', 'rating'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** The sort key: compared element-wise, the review id last so every key is unique (keyset pagination). */
export function sortKey(e: QueueEntry, sort: QueueSort): Array<string | number> {
	switch (sort) {
		case 'deadline':
			// Open ones first by deadline; the rest after, newest first.
			return [isOpen(e.handling) ? 0 : 1, isOpen(e.handling) ? (e.due ?? '9999-12-31') : '', isOpen(e.handling) ? e.ts : -e.ts, e.review_id];
		case 'newest':
			return [-e.ts, e.review_id];
		case 'oldest':
			return [e.ts, e.review_id];
		case 'rating':
			return [e.rating, -e.ts, e.review_id];
	}
}

export function compareKeys(a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): number {
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		const x = a[i];
		const y = b[i];
		if (x === y) continue;
		if (x === undefined) return -1;
		if (y === undefined) return 1;
		return x < y ? -1 : 1;
	}
	return 0;
}

export interface QueueFilter {
	state?: ReviewState;
	due?: 'overdue' | 'soon' | 'all';
}

export function filterEntries(list: readonly QueueEntry[], f: QueueFilter): QueueEntry[] {
	return list.filter((e) => (!f.state || e.state === f.state) && (!f.due || f.due === 'all' || e.dueStatus === f.due));
}

/** One page after `after` (a sort key from the previous page's `next`). */
export function page(list: readonly QueueEntry[], sort: QueueSort, limit: number, after?: ReadonlyArray<string | number>) {
	const keyed = list.map((e) => ({ e, k: sortKey(e, sort) })).sort((a, b) => compareKeys(a.k, b.k));
	const rest = after ? keyed.filter((x) => compareKeys(x.k, after) > 0) : keyed;
	const items = rest.slice(0, limit);
	return { items: items.map((x) => x.e), next: rest.length > limit ? items[items.length - 1]!.k : null, total: list.length };
}
