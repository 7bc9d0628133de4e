import { checkHealth } from '$lib/server/health';
import { warehouse } from '$lib/server/warehouse';
import { createCaller } from '$lib/server/api/root';
import { serverContext } from '$lib/server/api/server-context';
import { windowRange } from '$lib/server/api/routers/live';

const TODAY_INDICATORS = ['caseVolume', 'onTimeRate', 'positiveRate', 'ticketVolume'];

export async function load() {
	const { config, warehouse: wh } = warehouse();
	const health = await checkHealth(wh, config.url);
	// Today's figures for the whole scope, through the API like every screen (no HTTP hop).
	let today: Array<{ code: string; nameZh: string; unit: string; value: number | null }> | null = null;
	if (health.status === 'ok') {
		try {
			const range = windowRange('today');
			const r = await createCaller(serverContext()).indicators.query({ indicators: TODAY_INDICATORS, ...range, grain: 'total', region: { adcode: 0 } });
			today = r.indicators.map((i) => ({ code: i.code, nameZh: i.nameZh, unit: i.unit, value: r.series[0]?.total[i.code] ?? null }));
		} catch {
			today = null; // the home page still works without figures
		}
	}
	return { health, today };
}
