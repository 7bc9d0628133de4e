/**
 * Scene rotation on an unattended wall: each scene for its seconds, in order;
 * a touch or a key stops it, and it resumes after the configured quiet spell
 * (only on walls that were set to rotate). One timer at a time.
 */
import { nextScene, type Scene, type SceneConfig } from '../scenes.ts';

export class SceneRotation {
	sceneId = $state('');
	rotating = $state(false);
	readonly #config: SceneConfig;
	readonly #autoRotate: boolean;
	readonly #onChange: () => void;
	#rotation: ReturnType<typeof setTimeout> | undefined;
	#resume: ReturnType<typeof setTimeout> | undefined;

	/** `onChange`: called when rotation moves to the next scene (not when someone picks one). */
	constructor(config: SceneConfig, first: string, autoRotate: boolean, onChange: () => void = () => {}) {
		this.#config = config;
		this.#autoRotate = autoRotate;
		this.#onChange = onChange;
		this.sceneId = first;
		this.rotating = autoRotate;
	}

	get scene(): Scene {
		return this.#config.scenes.find((s) => s.id === this.sceneId) ?? this.#config.scenes[0]!;
	}

	start(): void {
		clearTimeout(this.#rotation);
		if (!this.rotating) return;
		this.#rotation = setTimeout(() => {
			this.sceneId = nextScene(this.#config, this.sceneId).id;
			this.#onChange();
			this.start();
		}, this.scene.seconds * 1000);
	}

	/** Someone touched the wall: stop, and resume after the quiet spell if the wall rotates by itself. */
	interacted(): void {
		if (!this.rotating && !this.#resume) return;
		this.rotating = false;
		clearTimeout(this.#rotation);
		clearTimeout(this.#resume);
		this.#resume = undefined;
		if (this.#config.resumeAfterSeconds > 0 && this.#autoRotate) {
			this.#resume = setTimeout(() => {
				this.#resume = undefined;
				this.rotating = true;
				this.start();
			}, this.#config.resumeAfterSeconds * 1000);
		}
	}

	stop(): void {
		clearTimeout(this.#rotation);
		clearTimeout(this.#resume);
		this.#resume = undefined;
	}
}
