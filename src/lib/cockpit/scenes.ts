/**
 * Scenes for unattended walls: the cockpit shows each in turn, for its time, and
 * stops rotating when someone touches the screen (resuming after a quiet spell).
 * A scene recolours the map by one indicator and puts one theme in focus. The
 * configuration is a JSON file (see the README); this module validates it. Pure.
 */
import { z } from 'zod';
import { MAP_INDICATORS } from './model.ts';

export const Scene = z.object({
	id: z.string().regex(/^[a-z][a-zA-Z0-9-]*$/, 'ids are lower-case words'),
	nameZh: z.string().min(1).max(12),
	seconds: z.number().int().min(5).max(3600),
	/** What the centre shows: the map, or the economy's trends in large. */
	centre: z.enum(['map', 'economy']).default('map'),
	mapIndicator: z.enum(MAP_INDICATORS).default('caseVolume'),
	/** The side panel to mark as the scene's subject. */
	focus: z.enum(['none', 'economy', 'services', 'reviews', 'rankings']).default('none')
});
export type Scene = z.output<typeof Scene>;

export const SceneConfig = z
	.object({
		/** Rotate when the page opens (a URL ?rotate=0 or 1 overrides). */
		rotate: z.boolean().default(false),
		/** After an interaction, rotation resumes after this long without one (0: never). */
		resumeAfterSeconds: z.number().int().min(0).max(86_400).default(300),
		scenes: z.array(Scene).min(1).max(12)
	})
	.superRefine((c, ctx) => {
		const ids = c.scenes.map((s) => s.id);
		ids.forEach((id, i) => ids.indexOf(id) !== i && ctx.addIssue({ code: 'custom', path: ['scenes', i, 'id'], message: `duplicate scene id ${id}` }));
	});
export type SceneConfig = z.output<typeof SceneConfig>;

/** The scene after `current` in rotation order. */
export function nextScene(config: SceneConfig, current: string): Scene {
	const i = config.scenes.findIndex((s) => s.id === current);
	return config.scenes[(i + 1) % config.scenes.length]!;
}
