/** Timing helpers shared by the benchmarks. */

export function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Durations (ms) of `runs` calls after a warm-up, sorted ascending. */
export async function durations(runs: number, fn: () => Promise<unknown>, warmup = 3): Promise<number[]> {
	for (let i = 0; i < warmup; i++) await fn();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await fn();
		times.push(performance.now() - t);
	}
	return times.sort((a, b) => a - b);
}

/** The median and 95th percentile (ms) of `runs` calls after a warm-up. */
export async function p50p95(runs: number, fn: () => Promise<unknown>, warmup = 3): Promise<{ p50: number; p95: number }> {
	const times = await durations(runs, fn, warmup);
	return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}
