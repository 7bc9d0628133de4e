/**
 * 差评 handling from the screen (reviews.act). The action is checked against the review's state here, so the
 * user learns at once why it is refused; then it is written as a `review_action` event into the ingest
 * worker's drop-box (TIANSHU_REVIEW_ACTIONS_DIR) — the path feeds take, so deduplication, checkpoints, the
 * worker's own state check and the rollups treat it as any other — and put on the audit record. The action id
 * comes from the client's idempotency key: a double click is one action. The reply waits (briefly) until the
 * worker has stored it, so the screen can show the new state without a reload.
 */
import { mkdir, rename, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { setting } from '../config.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AppDb } from '../appdb/client.ts';
import type { Principal } from '../auth/principal.ts';
import { apply, fold, INITIAL, inOrder, stateOf, STATE_LABELS, UI_PREFIX, type ReviewAction, type ReviewState } from '../../reviews/state.ts';
import { storedActions } from '../queries/reviews/actions.ts';
import type { QueryCtx } from '../queries/statement.ts';
import { visibleReview } from './service.ts';

export { UI_PREFIX };

/** What the screen asks: `decide_appeal` with a decision is upheld or overturned. */
export const SCREEN_ACTIONS = ['verify', 'reply', 'rectify', 'follow_up', 'appeal', 'decide_appeal'] as const;
export type ScreenAction = (typeof SCREEN_ACTIONS)[number];

export interface ActInput {
	reviewId: string;
	action: ScreenAction;
	note: string;
	/** follow_up: 回访整改满意度 1–5. */
	satisfaction?: number;
	decision?: 'upheld' | 'overturned';
	/** From the client, one per intended action (a double click sends the same). */
	idempotencyKey: string;
}

export interface ActResult {
	actionId: string;
	/** stored: in the warehouse; queued: handed to the worker, not stored yet; duplicate: this key was stored before. */
	status: 'stored' | 'queued' | 'duplicate';
	state: ReviewState;
	stateZh: string;
}

let dropBoxOverride: string | undefined;
let waitOverride: number | undefined;
/** Tests point the screen's actions at their own worker's drop-box (and, without a worker, need not wait for one). */
export function setActionDropBox(dir: string | undefined, waitMs?: number): void {
	dropBoxOverride = dir;
	waitOverride = waitMs;
}

function dropBox(): string {
	const dir = dropBoxOverride ?? setting('TIANSHU_REVIEW_ACTIONS_DIR');
	if (!dir)
		throw new TRPCError({ code: 'PRECONDITION_FAILED', message: '差评处理通道未配置（TIANSHU_REVIEW_ACTIONS_DIR），请由 tianshu start 启动或配置后重试' });
	return dir;
}

function actionOf(input: ActInput): ReviewAction {
	if (input.action !== 'decide_appeal') return input.action;
	if (!input.decision) throw new TRPCError({ code: 'BAD_REQUEST', message: '裁定申诉须选择"申诉成立"或"申诉驳回"' });
	return input.decision === 'upheld' ? 'appeal_upheld' : 'appeal_overturned';
}

const NEEDS_NOTE: Partial<Record<ReviewAction, string>> = {
	rectify: '请填写整改情况',
	reply: '请填写回复内容',
	appeal: '请填写申诉理由',
	appeal_upheld: '请填写裁定理由',
	appeal_overturned: '请填写裁定理由'
};

async function exists(file: string): Promise<boolean> {
	try {
		await access(file);
		return true;
	} catch {
		return false;
	}
}

export async function act(
	ctx: QueryCtx & { requestId?: string },
	principal: Principal,
	appDb: AppDb,
	input: ActInput,
	options: { now?: number; waitMs?: number; address?: string | null } = {}
): Promise<ActResult> {
	const now = options.now ?? Date.now();
	const review = await visibleReview(ctx, input.reviewId);
	if (review.rating > 2) throw new TRPCError({ code: 'BAD_REQUEST', message: '只有差评（不满意、非常不满意）需要处理' });
	const action = actionOf(input);
	if (NEEDS_NOTE[action] && input.note.trim() === '') throw new TRPCError({ code: 'BAD_REQUEST', message: NEEDS_NOTE[action] });
	if (action === 'follow_up' && input.satisfaction === undefined) throw new TRPCError({ code: 'BAD_REQUEST', message: '回访须记录群众对整改的满意度' });
	const actionId = `${UI_PREFIX}${input.idempotencyKey}`;
	const stored = await storedActions(ctx, [input.reviewId]);
	const folded = () => fold(inOrder(stored.map((a) => ({ action: a.action, ts: a.ms, satisfaction: a.satisfaction }))), INITIAL).handling;
	if (stored.some((a) => a.action_id === actionId)) {
		const state = stateOf(folded());
		return { actionId, status: 'duplicate', state, stateZh: STATE_LABELS[state] };
	}
	const checked = apply(folded(), { action, ts: now, satisfaction: input.satisfaction ?? null });
	if (!checked.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: checked.message });

	const event = {
		type: 'review_action',
		action_id: actionId,
		review_id: input.reviewId,
		action,
		ts: new Date(now).toISOString(),
		outcome: input.note,
		satisfaction: action === 'follow_up' ? (input.satisfaction ?? null) : null,
		adcode: review.adcode
	};
	const dir = dropBox();
	const name = `${actionId}.ndjson`;
	// Written under a dot name, then renamed: the worker never reads half a file. A second click finds it there.
	if (!(await exists(path.join(dir, name))) && !(await exists(path.join(dir, 'done', name)))) {
		await mkdir(dir, { recursive: true });
		const tmp = path.join(dir, `.${name}`);
		await writeFile(tmp, `${JSON.stringify(event)}\n`);
		await rename(tmp, path.join(dir, name));
	}
	const who = principal.kind === 'user' ? { kind: 'user' as const, id: principal.userId, name: principal.name } : { kind: 'system' as const };
	await recordAudit(appDb, {
		actor: who,
		action: 'review_action',
		address: options.address ?? null,
		detail: { reviewId: input.reviewId, action, actionId, satisfaction: event.satisfaction },
		regions: [review.adcode],
		requestId: ctx.requestId?.slice(0, 64) ?? null
	});

	// Wait for the worker (its drop-box poll and a flush take a few seconds) so the screen shows the stored state.
	const until = Date.now() + (options.waitMs ?? waitOverride ?? 8000);
	for (;;) {
		const after = await storedActions(ctx, [input.reviewId]);
		if (after.some((a) => a.action_id === actionId)) {
			const state = stateOf(fold(inOrder(after.map((a) => ({ action: a.action, ts: a.ms, satisfaction: a.satisfaction }))), INITIAL).handling);
			return { actionId, status: 'stored', state, stateZh: STATE_LABELS[state] };
		}
		if (Date.now() >= until) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	const state = stateOf(checked.next);
	return { actionId, status: 'queued', state, stateZh: STATE_LABELS[state] };
}
