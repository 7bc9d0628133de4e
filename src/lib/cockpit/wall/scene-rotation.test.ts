import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SceneConfig } from '../scenes.ts';
import { SceneRotation } from './scene-rotation.svelte.ts';

const config = SceneConfig.parse({
	rotate: true,
	resumeAfterSeconds: 60,
	scenes: [
		{ id: 'overview', nameZh: '总览', seconds: 30 },
		{ id: 'economy', nameZh: '经济运行', seconds: 10, centre: 'economy' },
		{ id: 'services', nameZh: '政务服务', seconds: 20 }
	]
});

describe('scene rotation on a wall', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('shows each scene for its own seconds, in order, and wraps round', () => {
		const changes: string[] = [];
		const r = new SceneRotation(config, 'overview', true, () => changes.push(r.sceneId));
		r.start();
		vi.advanceTimersByTime(29_999);
		expect(r.sceneId).toBe('overview');
		vi.advanceTimersByTime(1);
		expect(r.sceneId).toBe('economy');
		vi.advanceTimersByTime(10_000);
		expect(r.sceneId).toBe('services');
		vi.advanceTimersByTime(20_000);
		expect(changes).toEqual(['economy', 'services', 'overview']);
		r.stop();
	});

	it('stops on a touch and resumes after the quiet spell', () => {
		const r = new SceneRotation(config, 'overview', true);
		r.start();
		vi.advanceTimersByTime(10_000);
		r.interacted();
		expect(r.rotating).toBe(false);
		vi.advanceTimersByTime(59_000);
		expect(r.sceneId).toBe('overview');
		// A second touch during the quiet spell starts it again.
		r.interacted();
		vi.advanceTimersByTime(59_000);
		expect(r.rotating).toBe(false);
		vi.advanceTimersByTime(1_000);
		expect(r.rotating).toBe(true);
		vi.advanceTimersByTime(30_000);
		expect(r.sceneId).toBe('economy');
		r.stop();
	});

	it('never starts on a wall set not to rotate, touched or not', () => {
		const r = new SceneRotation(config, 'economy', false);
		r.start();
		r.interacted();
		vi.advanceTimersByTime(3_600_000);
		expect(r.sceneId).toBe('economy');
		expect(r.rotating).toBe(false);
	});

	it('falls back to the first scene for an unknown id', () => {
		expect(new SceneRotation(config, 'nope', false).scene.id).toBe('overview');
	});
});
