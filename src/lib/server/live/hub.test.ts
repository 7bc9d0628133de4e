import { describe, expect, it, vi } from 'vitest';
import { LiveHub } from './hub.ts';

/** A watermark that moves on every read: data arriving all the time. */
function busyFeed() {
	let n = 0;
	return async () => String(n++);
}

async function take<T>(it: AsyncGenerator<T>, n: number): Promise<T[]> {
	const out: T[] = [];
	for (let i = 0; i < n; i++) out.push((await it.next()).value as T);
	return out;
}

describe('the live hub', () => {
	it('recomputes a topic on every tick while data arrives, and a slow topic once per interval: no more often, and again once it has passed', async () => {
		// Fake clock: the interval can be crossed many times in a test that takes no real time, and the counts are exact.
		vi.useFakeTimers();
		try {
			const hub = new LiveHub({ watermark: busyFeed(), floorMs: 20, ceilingMs: 10_000 });
			const controller = new AbortController();
			let fast = 0;
			let slow = 0;
			const a = hub.subscribe('fast', async () => ++fast, controller.signal);
			const b = hub.subscribe('slow', async () => ++slow, controller.signal, undefined, { minIntervalMs: 100 });
			const first = Promise.all([a.next(), b.next()]);
			await vi.advanceTimersByTimeAsync(1000);
			await first;
			// Ticks every 20 ms for 1 s: 50 ticks, each with new data, after the first computation.
			expect(fast).toBe(51);
			// At most once per 100 ms: at 0, 100, 200, …, 1000 ms — 11, neither every tick (51) nor only the first (1).
			expect(slow).toBe(11);
			controller.abort();
			await Promise.all([a.return(undefined), b.return(undefined)]);
			expect(hub.activeTopics).toBe(0);
			hub.stop();
		} finally {
			vi.useRealTimers();
		}
	});

	it('does not count the first watermark it reads as new data', async () => {
		let reads = 0;
		const hub = new LiveHub({ watermark: async () => (reads++, 'same'), floorMs: 10, ceilingMs: 10_000 });
		const controller = new AbortController();
		let computed = 0;
		const it = hub.subscribe('t', async () => ++computed, controller.signal);
		await it.next();
		await new Promise((r) => setTimeout(r, 100));
		expect(reads).toBeGreaterThan(3);
		expect(computed).toBe(1);
		controller.abort();
		await it.return(undefined);
		hub.stop();
	});

	it('keeps the last value when a computation fails, and goes on', async () => {
		const hub = new LiveHub({ watermark: busyFeed(), floorMs: 10, ceilingMs: 10_000 });
		const controller = new AbortController();
		let n = 0;
		const it = hub.subscribe(
			'flaky',
			async () => {
				n++;
				if (n === 2) throw new Error('warehouse hiccup');
				return n;
			},
			controller.signal
		);
		const values = (await take(it, 2)).map((t) => t.data);
		expect(values).toEqual([1, 3]);
		controller.abort();
		await it.return(undefined);
		hub.stop();
	});

	it('answers one-off requests with one computation for every concurrent caller, kept while fresh', async () => {
		const hub = new LiveHub({ watermark: busyFeed(), floorMs: 1000, ceilingMs: 10_000 });
		let computed = 0;
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const compute = async () => {
			computed++;
			await gate;
			return { value: computed };
		};
		const fresh = { maxAgeMs: 200 };
		const callers = Array.from({ length: 100 }, () => hub.current('tile', compute, fresh));
		release();
		const answers = await Promise.all(callers);
		expect(computed).toBe(1);
		expect(new Set(answers.map((a) => a.id)).size).toBe(1);
		expect(answers.every((a) => a.data.value === 1)).toBe(true);
		// Still fresh: no new computation.
		await hub.current('tile', compute, fresh);
		expect(computed).toBe(1);
		// Stale but usable: answered at once with the last value while one refresh runs behind it.
		await new Promise((r) => setTimeout(r, 250));
		const stale = await Promise.all(Array.from({ length: 10 }, () => hub.current('tile', compute, fresh)));
		expect(stale.every((a) => a.id === answers[0]!.id)).toBe(true);
		expect(computed).toBe(2);
		await new Promise((r) => setTimeout(r, 10));
		const refreshed = await hub.current('tile', compute, fresh);
		expect(refreshed.data.value).toBe(2);
		expect(computed).toBe(2);
		hub.stop();
	});

	it('makes callers wait for a fresh value once the last one is too old to serve', async () => {
		const hub = new LiveHub({ watermark: busyFeed(), floorMs: 1000, ceilingMs: 10_000 });
		let n = 0;
		const compute = async () => ++n;
		const options = { maxAgeMs: 20, staleMs: 50 };
		expect((await hub.current('t', compute, options)).data).toBe(1);
		await new Promise((r) => setTimeout(r, 80));
		expect((await hub.current('t', compute, options)).data).toBe(2);
		hub.stop();
	});

	it('gives a one-off request the live topic’s value when it is fresh', async () => {
		const hub = new LiveHub({ watermark: async () => 'same', floorMs: 1000, ceilingMs: 10_000 });
		const controller = new AbortController();
		let live = 0;
		let oneOff = 0;
		const it = hub.subscribe('kpis', async () => ({ from: 'live', n: ++live }), controller.signal);
		const first = (await it.next()).value!;
		const answer = await hub.current('kpis', async () => ({ from: 'one-off', n: ++oneOff }), { maxAgeMs: 5_000 });
		expect(answer).toEqual(first);
		expect(oneOff).toBe(0);
		controller.abort();
		await it.return(undefined);
		hub.stop();
	});

	it('does not keep a failed one-off computation: every waiting caller gets the error, the next call tries again', async () => {
		const hub = new LiveHub({ watermark: busyFeed(), floorMs: 1000, ceilingMs: 10_000 });
		let n = 0;
		const compute = async () => {
			n++;
			if (n === 1) throw new Error('warehouse hiccup');
			return n;
		};
		const failed = await Promise.all(
			[hub.current('t', compute, { maxAgeMs: 60_000 }), hub.current('t', compute, { maxAgeMs: 60_000 })].map((p) => p.catch((e: Error) => e.message))
		);
		expect(failed).toEqual(['warehouse hiccup', 'warehouse hiccup']);
		expect((await hub.current('t', compute, { maxAgeMs: 60_000 })).data).toBe(2);
		hub.stop();
	});
});
