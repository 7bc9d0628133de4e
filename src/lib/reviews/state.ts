/**
 * The handling of a 差评, one state machine for the screen (reviews.act) and for
 * feeds (the ingest worker's check): new → verified → rectified → followed_up;
 * an appeal (申诉) is decided upheld (the review leaves the figures, the reason is
 * kept) or overturned (handling goes on where it was). A reply (回复) to the citizen
 * may come at any stage before an upheld decision and changes no stage.
 *
 * An appeal does not freeze handling: feeds (and the simulator) go on verifying and
 * rectifying while an appeal is open, and the appeal's decision is what matters.
 * Everything after an upheld appeal is refused. Pure: no I/O.
 */

/** Action ids of the actions taken on /reviews (reviews.act): `ui-` and the client's idempotency key. */
export const UI_PREFIX = 'ui-';

/** Every action, in the order of the warehouse enum (migration 0011). */
export const REVIEW_ACTIONS = ['verify', 'rectify', 'follow_up', 'appeal', 'reply', 'appeal_upheld', 'appeal_overturned'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export const ACTION_LABELS: Record<ReviewAction, string> = {
	verify: '核实',
	rectify: '整改',
	follow_up: '回访',
	appeal: '申诉',
	reply: '回复',
	appeal_upheld: '申诉成立',
	appeal_overturned: '申诉驳回'
};

export type Stage = 'new' | 'verified' | 'rectified' | 'followed_up';
export type AppealState = 'none' | 'pending' | 'upheld' | 'overturned';
/** What the queue shows: the stage, or the appeal while it is open or upheld. */
export type ReviewState = Stage | 'appealed' | 'upheld';

export const STATE_LABELS: Record<ReviewState, string> = {
	new: '待核实',
	verified: '待整改',
	rectified: '待回访',
	followed_up: '已回访',
	appealed: '申诉中',
	upheld: '申诉成立'
};

export interface Handling {
	stage: Stage;
	appeal: AppealState;
	replied: boolean;
	/** Epoch ms of the first action of each kind that was allowed. */
	verifiedAt: number | null;
	repliedAt: number | null;
	rectifiedAt: number | null;
	followedUpAt: number | null;
	appealedAt: number | null;
	decidedAt: number | null;
	/** 回访整改满意度 (1–5) given at the follow-up. */
	satisfaction: number | null;
}

export const INITIAL: Handling = {
	stage: 'new',
	appeal: 'none',
	replied: false,
	verifiedAt: null,
	repliedAt: null,
	rectifiedAt: null,
	followedUpAt: null,
	appealedAt: null,
	decidedAt: null,
	satisfaction: null
};

export interface ActionInput {
	action: ReviewAction;
	/** Epoch ms. */
	ts: number;
	satisfaction?: number | null;
}

export type Outcome = { ok: true; next: Handling } | { ok: false; message: string };

export function stateOf(h: Handling): ReviewState {
	if (h.appeal === 'upheld') return 'upheld';
	if (h.appeal === 'pending') return 'appealed';
	return h.stage;
}

const refuse = (message: string): Outcome => ({ ok: false, message });

/** One action against a state: the next state, or the Chinese reason it is refused. */
export function apply(h: Handling, a: ActionInput): Outcome {
	if (h.appeal === 'upheld') return refuse(`申诉已成立，该差评已不计入统计，不能再${ACTION_LABELS[a.action]}`);
	switch (a.action) {
		case 'verify':
			if (h.stage !== 'new') return refuse('该差评已核实，不能重复核实');
			return { ok: true, next: { ...h, stage: 'verified', verifiedAt: a.ts } };
		case 'rectify':
			if (h.stage === 'new') return refuse('请先核实该差评，再登记整改');
			if (h.stage !== 'verified') return refuse('该差评已整改，不能重复整改');
			if (h.verifiedAt !== null && a.ts < h.verifiedAt) return refuse('整改时间早于核实时间');
			return { ok: true, next: { ...h, stage: 'rectified', rectifiedAt: a.ts } };
		case 'follow_up':
			if (h.stage === 'followed_up') return refuse('该差评已回访，不能重复回访');
			if (h.stage !== 'rectified') return refuse('请先完成整改，再回访');
			if (h.rectifiedAt !== null && a.ts < h.rectifiedAt) return refuse('回访时间早于整改时间');
			return { ok: true, next: { ...h, stage: 'followed_up', followedUpAt: a.ts, satisfaction: a.satisfaction ?? null } };
		case 'reply':
			return { ok: true, next: { ...h, replied: true, repliedAt: h.repliedAt ?? a.ts } };
		case 'appeal':
			if (h.appeal === 'pending') return refuse('该差评已在申诉中');
			if (h.appeal === 'overturned') return refuse('该差评的申诉已被驳回，不能再次申诉');
			if (h.stage === 'followed_up') return refuse('该差评已回访办结，不能再申诉');
			return { ok: true, next: { ...h, appeal: 'pending', appealedAt: a.ts } };
		case 'appeal_upheld':
		case 'appeal_overturned':
			if (h.appeal !== 'pending') return refuse('该差评没有待裁定的申诉');
			if (h.appealedAt !== null && a.ts < h.appealedAt) return refuse('裁定时间早于申诉时间');
			return { ok: true, next: { ...h, appeal: a.action === 'appeal_upheld' ? 'upheld' : 'overturned', decidedAt: a.ts } };
	}
}

/** Actions in the order they happened (by time; equal times keep their order). */
export function inOrder<T extends { ts: number }>(actions: readonly T[]): T[] {
	return actions
		.map((a, i) => ({ a, i }))
		.sort((x, y) => x.a.ts - y.a.ts || x.i - y.i)
		.map((x) => x.a);
}

/** Folds actions already in order; refused ones are skipped and reported with their reason. */
export function fold<T extends ActionInput>(
	actions: readonly T[],
	from: Handling = INITIAL
): { handling: Handling; refused: Array<{ action: T; message: string }> } {
	let h = from;
	const refused: Array<{ action: T; message: string }> = [];
	for (const a of actions) {
		const r = apply(h, a);
		if (r.ok) h = r.next;
		else refused.push({ action: a, message: r.message });
	}
	return { handling: h, refused };
}

/** 回访整改满意度 from the screen: 1–5, or the words the citizen used. */
export const SATISFACTION_WORDS: Record<string, number> = { 非常满意: 5, 满意: 4, 基本满意: 3, 不满意: 2, 非常不满意: 1 };

/** Satisfied with the rectification (回访整改满意): 基本满意 or better, as 好评 counts ratings. */
export const isSatisfied = (satisfaction: number) => satisfaction >= 3;
