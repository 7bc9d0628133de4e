import { expect, test } from '@playwright/test';

const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));

test('the tRPC API answers over HTTP: catalogue, a query, a clear error', async ({ request }) => {
	const catalogue = await request.get('/api/trpc/indicators.catalogue');
	expect(catalogue.status()).toBe(200);
	const indicators = (await catalogue.json()).result.data as Array<{ code: string; nameZh: string; unit: string }>;
	expect(indicators.find((i) => i.code === 'onTimeRate')).toMatchObject({ nameZh: '按时办结率', unit: '%' });

	const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	const tomorrow = new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10);
	const url = `/api/trpc/indicators.query?input=${input({ indicators: ['caseVolume', 'onTimeRate'], from: today, to: tomorrow, grain: 'day', region: { adcode: 0, by: 'children' } })}`;
	// The simulated feed's history is still being ingested when the server starts.
	let result: { buckets: string[]; series: Array<{ label: string }> } = { buckets: [], series: [] };
	await expect
		.poll(
			async () => {
				const query = await request.get(url);
				expect(query.status()).toBe(200);
				result = (await query.json()).result.data;
				return result.series.length;
			},
			{ timeout: 90_000 }
		)
		.toBeGreaterThan(20); // provinces with cases today
	expect(result.buckets).toEqual([today]);
	expect(result.series[0]!.label).toMatch(/^\p{Script=Han}+$/u);

	const bad = await request.get(
		`/api/trpc/indicators.query?input=${input({ indicators: ['caseVolume'], from: today, to: today, grain: 'day', region: { adcode: 0 } })}`
	);
	expect(bad.status()).toBe(400);
	expect((await bad.json()).error.message).toBe('to：须晚于 from');
});

test('a live topic streams over SSE with tracked ids', async ({ baseURL, context }) => {
	const controller = new AbortController();
	// The signed-in leader's session (auth.setup.ts), as the browser would send it.
	const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	const url = `${baseURL}/api/trpc/live.query?input=${input({ window: 'today', query: { indicators: ['caseVolume'], grain: 'hour', region: { adcode: 0 } } })}`;
	const res = await fetch(url, { headers: { accept: 'text/event-stream', cookie }, signal: controller.signal });
	expect(res.headers.get('content-type')).toContain('text/event-stream');
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	// Events are separated by a blank line; the data event carries `data:` then `id:`.
	const tracked = () => text.split('\n\n').find((e) => /^id: \d+$/m.test(e) && /^data: /m.test(e));
	while (!tracked()) {
		const { value, done } = await reader.read();
		if (done) break;
		text += decoder.decode(value, { stream: true });
	}
	controller.abort();
	const event = tracked()!;
	expect(Number(/^id: (\d+)$/m.exec(event)![1])).toBeGreaterThan(0);
	const data = JSON.parse(/^data: (.+)$/m.exec(event)![1]!);
	expect(data.buckets).toHaveLength(24);
	expect(data.series[0].values.caseVolume).toHaveLength(24);
});
