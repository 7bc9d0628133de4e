import { describe, expect, it } from 'vitest';
import { whileAdmitted } from './admitted.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('whileAdmitted: a live stream lasts while its caller is let in', () => {
	it('aborts once the caller is no longer admitted, and not before', async () => {
		let admitted = true;
		let checks = 0;
		const request = new AbortController();
		const a = whileAdmitted(request.signal, async () => (checks++, admitted), 10);
		await sleep(60);
		expect(checks).toBeGreaterThan(1);
		expect(a.signal!.aborted).toBe(false);
		admitted = false;
		await expect.poll(() => a.signal!.aborted, { timeout: 5_000 }).toBe(true);
		expect(request.signal.aborted).toBe(false); // the request's own signal is the caller's, untouched
		a.dispose();
	});

	it('aborts with the request, admitted or not', () => {
		const request = new AbortController();
		const a = whileAdmitted(request.signal, async () => true, 60_000);
		request.abort();
		expect(a.signal!.aborted).toBe(true);
		a.dispose();
		const gone = new AbortController();
		gone.abort();
		expect(whileAdmitted(gone.signal, async () => true, 60_000).signal!.aborted).toBe(true);
	});

	it('keeps the stream when a check fails (the app database briefly away); the next check decides', async () => {
		let calls = 0;
		const a = whileAdmitted(
			undefined,
			async () => {
				calls++;
				if (calls < 3) throw new Error('connection refused');
				return false;
			},
			10
		);
		await expect.poll(() => calls, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
		await expect.poll(() => a.signal!.aborted, { timeout: 5_000 }).toBe(true);
		expect(calls).toBeGreaterThanOrEqual(3);
		a.dispose();
	});

	it('stops asking once disposed, and asks nothing without a check (trusted in-process callers)', async () => {
		let checks = 0;
		const a = whileAdmitted(undefined, async () => (checks++, true), 10);
		await expect.poll(() => checks, { timeout: 5_000 }).toBeGreaterThan(0);
		a.dispose();
		const after = checks;
		await sleep(80);
		expect(checks).toBe(after);
		const request = new AbortController();
		expect(whileAdmitted(request.signal, undefined).signal).toBe(request.signal);
	});
});
