import { describe, expect, it } from 'vitest';
import { ActSubmission, formProblem, refusalMessage, type ActInput } from './act.svelte.ts';

/** A refusal as the tRPC client raises it: the server's message and the HTTP status it sent. */
const refusal = (message: string) => Object.assign(new Error(message), { data: { httpStatus: 400 } });

describe('a handling form on the 好差评 workbench', () => {
	it('sends the action with a key; a retry after no answer keeps the key, after an answer gets a new one', async () => {
		const sent: ActInput[] = [];
		let fail: unknown = new TypeError('Failed to fetch');
		let refreshed = 0;
		const s = new ActSubmission(
			async (i) => {
				sent.push(i);
				if (fail) throw fail;
			},
			async () => refreshed++
		);
		expect(await s.submit({ reviewId: 'r1', action: 'verify', note: '' })).toBe(false);
		expect(s.error).toBe('操作未能完成，请稍后重试');
		fail = null;
		expect(await s.submit({ reviewId: 'r1', action: 'verify', note: '' })).toBe(true);
		expect(sent[1]!.idempotencyKey).toBe(sent[0]!.idempotencyKey);
		expect(s.done).toBe('已提交：核实');
		expect(refreshed).toBe(1);
		expect(await s.submit({ reviewId: 'r1', action: 'rectify', note: '增加窗口' })).toBe(true);
		expect(sent[2]!.idempotencyKey).not.toBe(sent[1]!.idempotencyKey);
	});

	it("shows the server's Chinese message when it refuses, and does not refetch", async () => {
		let refreshed = 0;
		const s = new ActSubmission(
			async () => {
				throw refusal('该差评尚未核实，不能整改');
			},
			async () => refreshed++
		);
		const before = s.key;
		expect(await s.submit({ reviewId: 'r1', action: 'rectify', note: '已整改' })).toBe(false);
		expect(s.error).toBe('该差评尚未核实，不能整改');
		expect(s.pending).toBe(false);
		expect(refreshed).toBe(0);
		expect(s.key).not.toBe(before);
	});

	it('a second click while the first is on its way sends nothing', async () => {
		let release!: () => void;
		let calls = 0;
		const s = new ActSubmission(
			() => {
				calls++;
				return new Promise<void>((r) => (release = r));
			},
			async () => {}
		);
		const first = s.submit({ reviewId: 'r1', action: 'verify', note: '' });
		expect(s.pending).toBe(true);
		expect(await s.submit({ reviewId: 'r1', action: 'verify', note: '' })).toBe(false);
		release();
		expect(await first).toBe(true);
		expect(calls).toBe(1);
	});

	it('the form checks what it can before sending', () => {
		expect(formProblem({ reviewId: 'r', action: 'rectify', note: '  ' })).toBe('请写明采取的整改措施');
		expect(formProblem({ reviewId: 'r', action: 'appeal', note: '' })).toBe('请写明申诉理由');
		expect(formProblem({ reviewId: 'r', action: 'follow_up', note: '' })).toBe('请选择评价人对整改的满意程度');
		expect(formProblem({ reviewId: 'r', action: 'follow_up', note: '', satisfaction: '满意' })).toBeNull();
		expect(formProblem({ reviewId: 'r', action: 'decide_appeal', note: '' })).toBe('请选择裁定结果');
		expect(formProblem({ reviewId: 'r', action: 'verify', note: 'x'.repeat(2001) })).toBe('说明不超过2000字');
	});

	it('never shows a message that is not for people', () => {
		expect(refusalMessage(new Error('TypeError: cannot read properties of undefined'))).toBe('操作未能完成，请稍后重试');
		expect(refusalMessage(refusal('申诉已裁定，不能再次裁定'))).toBe('申诉已裁定，不能再次裁定');
		expect(refusalMessage(null)).toBe('操作未能完成，请稍后重试');
	});
});
