import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { createCaller } from '$lib/server/api/root';
import { serverContext } from '$lib/server/api/server-context';
import { loadScenes } from '$lib/server/cockpit/scenes';
import { MAP_INDICATORS, type PanelData } from '$lib/cockpit/model';
import { Adcode } from '$lib/regions';
import { createLogger } from '$lib/server/log/logger';
import { setting } from '$lib/server/config';

const log = createLogger('web');

/** A wall's region, or a user's first region unless they see the nation: where their cockpit opens. */
function homeRegion(p: App.Locals['principal']): string | undefined {
	if (p?.kind === 'wall') return String(p.region);
	if (p?.kind === 'user' && !p.regions.includes(0) && p.regions.length) return String(p.regions[0]);
	return undefined;
}

/**
 * The wall's first picture, computed on the server through the API (the same
 * functions the live stream runs), so the screen never shows a spinner or an
 * empty panel. ?adcode= picks the region (default TIANSHU_COCKPIT_REGION or the
 * nation), ?scene= the starting scene, ?rotate=1|0 the rotation.
 */
export async function load({ url, locals }) {
	const raw = url.searchParams.get('adcode') ?? homeRegion(locals.principal) ?? setting('TIANSHU_COCKPIT_REGION');
	const parsed = Adcode.safeParse(Number(raw));
	if (!/^\d{1,6}$/.test(raw) || !parsed.success) error(400, `地区代码无效：${raw}（应为 0 表示全国，或六位行政区划代码）`);
	const adcode = parsed.data;
	const scenes = loadScenes();
	const sceneId = url.searchParams.get('scene');
	const scene = scenes.scenes.find((s) => s.id === sceneId) ?? scenes.scenes[0]!;
	const rotateParam = url.searchParams.get('rotate');
	const rotate = rotateParam === null ? scenes.rotate : rotateParam === '1';
	const caller = createCaller(serverContext(locals.principal));
	try {
		const indicators = [...new Set([scene.mapIndicator, ...scenes.scenes.map((s) => s.mapIndicator)])].filter((m) => MAP_INDICATORS.includes(m));
		// One call: every panel from the hub's topics, the same values the stream then continues.
		const picture = await caller.cockpit.picture({ adcode, mapIndicators: indicators.length ? indicators : ['caseVolume'] });
		return { adcode, at: picture.at, scenes, scene: scene.id, rotate, panels: picture.panels, maps: picture.maps as Record<string, PanelData['map']> };
	} catch (e) {
		if (e instanceof TRPCError && e.code === 'FORBIDDEN') error(403, `无权查看该地区：${adcode}`);
		if (e instanceof TRPCError && e.code === 'BAD_REQUEST') error(400, `地区代码无效：${raw}（${e.message}）`);
		// Anything else (the warehouse away, a query failing): the wall's error page retries by itself.
		log.error({ err: (e as Error).message, adcode }, 'cockpit: first picture unavailable');
		error(503, '数据暂时不可用，稍后自动重试');
	}
}
