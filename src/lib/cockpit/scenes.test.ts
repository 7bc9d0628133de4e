import { describe, expect, it } from 'vitest';
import { SceneConfig, nextScene } from './scenes.ts';
import defaults from '../server/cockpit/scenes.default.json' with { type: 'json' };

describe('cockpit scenes', () => {
	it('ships a valid default rotation of overview, economy, services, 好差评 and 12345', () => {
		const config = SceneConfig.parse(defaults);
		expect(config.scenes.map((s) => s.id)).toEqual(['overview', 'economy', 'services', 'reviews', 'hotline']);
		expect(config.rotate).toBe(false);
	});

	it('rotates in order and wraps around', () => {
		const config = SceneConfig.parse(defaults);
		expect(nextScene(config, 'overview').id).toBe('economy');
		expect(nextScene(config, 'hotline').id).toBe('overview');
		expect(nextScene(config, 'unknown').id).toBe('overview');
	});

	it('refuses a bad file with the field and the reason', () => {
		const bad = SceneConfig.safeParse({
			scenes: [
				{ id: 'a', nameZh: '甲', seconds: 1 },
				{ id: 'a', nameZh: '乙', seconds: 30, mapIndicator: 'gdp' }
			]
		});
		expect(bad.success).toBe(false);
		const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		expect(messages.some((m) => m.startsWith('scenes.0.seconds'))).toBe(true);
		expect(messages.some((m) => m.startsWith('scenes.1.mapIndicator'))).toBe(true);
		expect(
			SceneConfig.safeParse({
				scenes: [
					{ id: 'a', nameZh: '甲', seconds: 30 },
					{ id: 'a', nameZh: '乙', seconds: 30 }
				]
			}).error?.issues[0]?.message
		).toBe('duplicate scene id a');
	});
});
