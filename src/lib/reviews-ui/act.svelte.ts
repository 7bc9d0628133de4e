/**
 * One handling form's submission on the 好差评 workbench: the idempotency key
 * (one per intended action, so a double click or a retry after a lost answer is
 * one action on the server), the pending flag that disables the button, and the
 * server's Chinese message when it refuses. The server's state machine decides
 * what is allowed; the page never guesses (a refused action changes nothing).
 */

export type ReviewAction = 'verify' | 'reply' | 'rectify' | 'follow_up' | 'appeal' | 'decide_appeal';

export const ACTIONS: readonly { value: ReviewAction; label: string; hint: string }[] = [
	{ value: 'verify', label: '核实', hint: '核实差评情况，说明核实结果' },
	{ value: 'reply', label: '回复', hint: '答复评价人（可在任何阶段，不改变办理进度）' },
	{ value: 'rectify', label: '整改', hint: '写明采取的整改措施' },
	{ value: 'follow_up', label: '回访', hint: '回访评价人，记录其对整改的满意程度' },
	{ value: 'appeal', label: '申诉', hint: '认为差评不实或恶意时提出申诉，写明理由' },
	{ value: 'decide_appeal', label: '申诉裁定', hint: '对申诉作出裁定：成立（差评不计入统计，理由留存）或驳回（继续整改）' }
];

/** 回访整改满意度 in the citizen's words (the server takes them as 5…1). */
export const SATISFACTION = [
	{ value: '非常满意', label: '非常满意' },
	{ value: '满意', label: '满意' },
	{ value: '基本满意', label: '基本满意' },
	{ value: '不满意', label: '不满意' },
	{ value: '非常不满意', label: '非常不满意' }
] as const;
export type Satisfaction = (typeof SATISFACTION)[number]['value'];

export const DECISIONS = [
	{ value: 'upheld', label: '申诉成立（差评不计入统计）' },
	{ value: 'overturned', label: '申诉驳回（继续整改）' }
] as const;
export type Decision = (typeof DECISIONS)[number]['value'];

export interface ActInput {
	reviewId: string;
	action: ReviewAction;
	note: string;
	satisfaction?: Satisfaction;
	decision?: Decision;
	idempotencyKey: string;
}

export const NOTE_MAX = 2000;

/** The message of a refusal: the server's Chinese text when it gave one, else a plain fallback (never a stack). */
export function refusalMessage(e: unknown): string {
	const m = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
	return m && /[\u4e00-\u9fff]/.test(m) ? m : '操作未能完成，请稍后重试';
}

/** What the form checks before sending (the server checks again). */
export function formProblem(input: Omit<ActInput, 'idempotencyKey'>): string | null {
	if (input.note.length > NOTE_MAX) return `说明不超过${NOTE_MAX}字`;
	if ((input.action === 'rectify' || input.action === 'appeal' || input.action === 'reply') && !input.note.trim())
		return input.action === 'rectify' ? '请写明采取的整改措施' : input.action === 'appeal' ? '请写明申诉理由' : '请写明回复内容';
	if (input.action === 'follow_up' && !input.satisfaction) return '请选择评价人对整改的满意程度';
	if (input.action === 'decide_appeal' && !input.decision) return '请选择裁定结果';
	return null;
}

/** Whether the server answered (a tRPC error carries the HTTP status it sent). */
function answered(e: unknown): boolean {
	const status = (e as { data?: { httpStatus?: unknown } } | null)?.data?.httpStatus;
	return typeof status === 'number';
}

/** 128 random bits as hex (getRandomValues, not randomUUID: that needs a secure context, and intranet pages are often plain http). */
const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export class ActSubmission {
	pending = $state(false);
	/** The last refusal (the server's message, or the form's own check). */
	error = $state<string | null>(null);
	/** The last success, for the screen's confirmation. */
	done = $state<string | null>(null);
	#key = newKey();
	readonly #send: (input: ActInput) => Promise<unknown>;
	readonly #after: () => Promise<unknown>;

	/** `send` calls the server (reviews.act); `after` refetches what the action changes. */
	constructor(send: (input: ActInput) => Promise<unknown>, after: () => Promise<unknown>) {
		this.#send = send;
		this.#after = after;
	}

	/** The key the next submission carries: the same one until an answer arrives, so a retry is not a second action. */
	get key(): string {
		return this.#key;
	}

	async submit(input: Omit<ActInput, 'idempotencyKey'>): Promise<boolean> {
		if (this.pending) return false; // a second click while the first is on its way
		const problem = formProblem(input);
		this.done = null;
		if (problem) {
			this.error = problem;
			return false;
		}
		this.pending = true;
		this.error = null;
		try {
			await this.#send({ ...input, idempotencyKey: this.#key });
		} catch (e) {
			// The server answered with a refusal: a corrected retry is a new action. No answer at all
			// (the network): the retry keeps the key, so an action that did arrive is not made twice.
			if (answered(e)) this.#key = newKey();
			this.error = refusalMessage(e);
			this.pending = false;
			return false;
		}
		this.#key = newKey(); // answered: the next action is a new one
		this.done = `已提交：${ACTIONS.find((a) => a.value === input.action)?.label ?? input.action}`;
		try {
			await this.#after();
		} catch {
			this.error = '已提交，但刷新数据失败，请稍后刷新页面';
		} finally {
			this.pending = false;
		}
		return true;
	}

	reset(): void {
		this.error = null;
		this.done = null;
	}
}
