import { describe, expect, it } from 'vitest';
import { dataOr, mapPanel, settlePanel } from './panel';

class Refused extends Error {}

describe('settlePanel', () => {
	it('gives the data of a part that loads', async () => {
		expect(await settlePanel('queue', Promise.resolve([1, 2]))).toEqual({ ok: true, data: [1, 2] });
		expect(await settlePanel('children', [])).toEqual({ ok: true, data: [] });
	});

	it('turns a failure into a marker naming the part, with the calm message, and reports it once', async () => {
		const seen: Array<[string, unknown]> = [];
		const boom = new Error('warehouse away');
		const state = await settlePanel('topics', Promise.reject(boom), { onError: (panel, e) => seen.push([panel, e]) });
		expect(state).toEqual({ ok: false, panel: 'topics', message: '该部分暂时无法加载，请稍后刷新' });
		expect(seen).toEqual([['topics', boom]]);
	});

	it('throws on an error that concerns the whole request, reporting nothing', async () => {
		const seen: string[] = [];
		const refused = new Refused('无权查看该地区');
		const settled = settlePanel('summary', Promise.reject(refused), { fatal: (e) => e instanceof Refused, onError: (p) => seen.push(p) });
		await expect(settled).rejects.toBe(refused);
		expect(seen).toEqual([]);
		// A non-fatal error under the same rule is settled.
		expect(await settlePanel('summary', Promise.reject(new Error('x')), { fatal: (e) => e instanceof Refused })).toMatchObject({ ok: false });
	});

	it('shows the message chosen for the error', async () => {
		const state = await settlePanel('rankings', Promise.reject(new Refused('区县没有下级地区')), { message: (e) => (e as Error).message });
		expect(state).toEqual({ ok: false, panel: 'rankings', message: '区县没有下级地区' });
	});
});

describe('dataOr', () => {
	it('gives the data of a loaded part and the fallback of a failed one', () => {
		expect(dataOr({ ok: true, data: 7 }, null)).toBe(7);
		expect(dataOr({ ok: false, panel: 'soon', message: 'x' }, null)).toBeNull();
	});
});

describe('mapPanel', () => {
	it('reshapes a loaded part and leaves a failed one as it failed', () => {
		expect(mapPanel({ ok: true, data: [1, 2, 3] }, (xs) => xs.length)).toEqual({ ok: true, data: 3 });
		const failed = { ok: false as const, panel: 'topics', message: '该部分暂时无法加载，请稍后刷新' };
		expect(mapPanel(failed, () => 'never')).toEqual(failed);
	});
});
