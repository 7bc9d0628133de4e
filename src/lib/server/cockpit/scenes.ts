/**
 * The scene configuration: the file named by TIANSHU_COCKPIT_SCENES, else the
 * defaults shipped with Tianshu. Read on each page load, so an edit applies at
 * the next reload of a wall; a bad file is refused with the field and reason.
 */
import { readFileSync } from 'node:fs';
import { SceneConfig } from '../../cockpit/scenes.ts';
import { setting } from '../config.ts';
import defaults from './scenes.default.json' with { type: 'json' };

export function loadScenes(file = setting('TIANSHU_COCKPIT_SCENES')): SceneConfig {
	let raw: unknown = defaults;
	if (file) {
		try {
			raw = JSON.parse(readFileSync(file, 'utf8'));
		} catch (e) {
			throw new Error(`cannot read the cockpit scenes file ${file}: ${(e as Error).message}`);
		}
	}
	const parsed = SceneConfig.safeParse(raw);
	if (!parsed.success) throw new Error(`${file ?? 'scenes.default.json'}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
	return parsed.data;
}
