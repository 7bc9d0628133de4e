import { json } from '@sveltejs/kit';
import { checkHealth } from '$lib/server/health';
import { warehouse } from '$lib/server/warehouse';

export async function GET() {
	const { config, warehouse: wh } = warehouse();
	const health = await checkHealth(wh, config.url);
	return json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
