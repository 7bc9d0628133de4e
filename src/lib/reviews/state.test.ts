import { describe, expect, it } from 'vitest';
import { apply, fold, INITIAL, inOrder, stateOf, type ActionInput, type ReviewAction } from './state.ts';

const run = (...kinds: ReviewAction[]) => fold(kinds.map((action, i): ActionInput => ({ action, ts: 1000 + i })));

describe('the 差评 state machine', () => {
	it('goes new → verified → rectified → followed_up', () => {
		const { handling, refused } = run('verify', 'rectify', 'follow_up');
		expect(refused).toEqual([]);
		expect(stateOf(handling)).toBe('followed_up');
		expect([handling.verifiedAt, handling.rectifiedAt, handling.followedUpAt]).toEqual([1000, 1001, 1002]);
	});

	it('refuses rectify before verify, a second follow-up, and anything after an upheld appeal, each with its reason', () => {
		expect(apply(INITIAL, { action: 'rectify', ts: 1 })).toEqual({ ok: false, message: '请先核实该差评，再登记整改' });
		expect(run('verify', 'rectify', 'follow_up', 'follow_up').refused.map((r) => r.message)).toEqual(['该差评已回访，不能重复回访']);
		const upheld = run('appeal', 'appeal_upheld', 'verify', 'reply', 'appeal');
		expect(stateOf(upheld.handling)).toBe('upheld');
		expect(upheld.refused).toHaveLength(3);
		for (const r of upheld.refused) expect(r.message).toMatch(/^申诉已成立/);
	});

	it('an overturned appeal returns to handling where it was; a second appeal is refused', () => {
		const r = run('verify', 'appeal', 'appeal_overturned', 'rectify', 'appeal');
		expect(stateOf(r.handling)).toBe('rectified');
		expect(r.refused.map((x) => x.message)).toEqual(['该差评的申诉已被驳回，不能再次申诉']);
		expect(apply(INITIAL, { action: 'appeal_upheld', ts: 1 })).toEqual({ ok: false, message: '该差评没有待裁定的申诉' });
	});

	it('shows an open appeal as 申诉中 and lets handling go on meanwhile (feeds do)', () => {
		const r = run('verify', 'appeal', 'rectify');
		expect(r.refused).toEqual([]);
		expect(stateOf(r.handling)).toBe('appealed');
	});

	it('orders by time, equal times keeping their order', () => {
		const list = [
			{ action: 'rectify' as const, ts: 5 },
			{ action: 'verify' as const, ts: 3 },
			{ action: 'follow_up' as const, ts: 5 }
		];
		expect(inOrder(list).map((a) => a.action)).toEqual(['verify', 'rectify', 'follow_up']);
		expect(fold(inOrder(list)).refused).toEqual([]);
	});
});
