import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// Scripts from this origin only: SvelteKit adds a nonce for its inline bootstrap to each page's policy.
		// ECharts draws on canvas and deck.gl on WebGL; neither needs eval. Styles may be inline
		// (components and charts set style attributes). frame-ancestors is added at run time
		// (TIANSHU_FRAME_ANCESTORS, src/lib/server/api/security-headers.ts); so are the other headers.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
		// csrf.checkOrigin stays at its default (on): a form POST from another origin is refused with a 403.
	}
};

export default config;
