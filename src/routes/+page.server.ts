import { checkHealth } from '$lib/server/health';
import { warehouse } from '$lib/server/warehouse';
import { createCaller } from '$lib/server/api/root';
import { serverContext } from '$lib/server/api/server-context';
import { windowRange } from '$lib/server/api/routers/live';
import { mayCall, screensFor } from '$lib/server/auth/access';
import { screens } from '$lib/screens';

const TODAY_INDICATORS = ['caseVolume', 'onTimeRate', 'positiveRate', 'ticketVolume'];

export async function load({ locals }) {
	const principal = locals.principal;
	const { config, warehouse: wh } = warehouse();
	const health = await checkHealth(wh, config.url);
	// Today's figures for the whole scope, through the API like every screen (no HTTP hop).
	let today: Array<{ code: string; nameZh: string; unit: string; value: number | null }> | null = null;
	// Only for roles that may query indicators, and within their regions (the door refuses the rest).
	if (health.status === 'ok' && principal && mayCall(principal, 'indicators.query')) {
		try {
			const range = windowRange('today');
			const home = principal.kind === 'user' && !principal.regions.includes(0) ? (principal.regions[0] ?? 0) : 0;
			const r = await createCaller(serverContext(principal)).indicators.query({
				indicators: TODAY_INDICATORS,
				...range,
				grain: 'total',
				region: { adcode: home }
			});
			today = r.indicators.map((i) => ({ code: i.code, nameZh: i.nameZh, unit: i.unit, value: r.series[0]?.total[i.code] ?? null }));
		} catch {
			today = null; // the home page still works without figures
		}
	}
	// The screens this caller may open (the access matrix), for the home page's list.
	const allowed = principal ? screensFor(principal, screens).map((s) => s.path) : [];
	return { health, today, allowed };
}
