import { describe, expect, it } from 'vitest';
import { BusyError, WorkQueue } from './work-queue.ts';

/** A job that runs until its `finish` is called, and records how many ran at once. */
function gate(log: { now: number; max: number }) {
	let finish!: () => void;
	const done = new Promise<void>((r) => (finish = r));
	const job = async () => {
		log.now++;
		log.max = Math.max(log.max, log.now);
		await done;
		log.now--;
		return 'ok';
	};
	return { job, finish };
}

describe('the work queue', () => {
	it('runs at most `concurrency` jobs at once, in order, and refuses beyond the queue at once', async () => {
		const q = new WorkQueue({ concurrency: 2, maxQueued: 3, queueTimeoutMs: 60_000 });
		const log = { now: 0, max: 0 };
		const gates = Array.from({ length: 7 }, () => gate(log));
		const results = gates.map((g) =>
			q.run(g.job).then(
				(v) => v,
				(e: unknown) => e
			)
		);
		await new Promise((r) => setTimeout(r, 10));
		expect(log.now).toBe(2);
		expect(q.queued).toBe(3);
		// Jobs 6 and 7 found two running and three waiting.
		expect(await results[5]).toBeInstanceOf(BusyError);
		expect(await results[6]).toBeInstanceOf(BusyError);
		expect(((await results[6]) as BusyError).message).toBe('服务繁忙，请稍后重试');
		for (const g of gates) g.finish();
		expect(await Promise.all(results.slice(0, 5))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
		expect(log.max).toBe(2);
		expect(q.active).toBe(0);
		expect(q.refused['queue-full']).toBe(2);
	});

	it('refuses a job that waited longer than the timeout, and it never runs', async () => {
		const q = new WorkQueue({ concurrency: 1, maxQueued: 5, queueTimeoutMs: 50 });
		const log = { now: 0, max: 0 };
		const first = gate(log);
		const running = q.run(first.job);
		let ran = false;
		const waiting = q.run(async () => (ran = true)).catch((e: unknown) => e);
		const refused = await waiting;
		expect(refused).toBeInstanceOf(BusyError);
		expect((refused as BusyError).reason).toBe('queue-timeout');
		expect(q.queued).toBe(0);
		first.finish();
		await running;
		expect(ran).toBe(false);
		expect(q.active).toBe(0);
	});

	it('frees the place of a job that fails', async () => {
		const q = new WorkQueue({ concurrency: 1, maxQueued: 0, queueTimeoutMs: 1000 });
		await expect(q.run(async () => Promise.reject(new Error('warehouse hiccup')))).rejects.toThrow('warehouse hiccup');
		expect(q.active).toBe(0);
		expect(await q.run(async () => 42)).toBe(42);
	});
});
