import { checkHealth } from '$lib/server/health';
import { warehouse } from '$lib/server/warehouse';

export async function load() {
	const { config, warehouse: wh } = warehouse();
	return { health: await checkHealth(wh, config.url) };
}
