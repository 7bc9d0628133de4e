import { describe, expect, it } from 'vitest';
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
	it('recomputes a topic on every tick while data arrives, and a slow topic no more often than its interval', async () => {
		const hub = new LiveHub({ watermark: busyFeed(), floorMs: 20, ceilingMs: 10_000 });
		const controller = new AbortController();
		let fast = 0;
		let slow = 0;
		const a = hub.subscribe('fast', async () => ++fast, controller.signal);
		const b = hub.subscribe('slow', async () => ++slow, controller.signal, undefined, { minIntervalMs: 60_000 });
		await Promise.all([take(a, 5), b.next()]);
		expect(fast).toBeGreaterThanOrEqual(5);
		expect(slow).toBe(1);
		controller.abort();
		await Promise.all([a.return(undefined), b.return(undefined)]);
		expect(hub.activeTopics).toBe(0);
		hub.stop();
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
		const it = hub.subscribe('flaky', async () => {
			n++;
			if (n === 2) throw new Error('warehouse hiccup');
			return n;
		}, controller.signal);
		const values = (await take(it, 2)).map((t) => t.data);
		expect(values).toEqual([1, 3]);
		controller.abort();
		await it.return(undefined);
		hub.stop();
	});
});
