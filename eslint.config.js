// ESLint: for now the rules that keep the server standing — no floating promises,
// no promise where a callback must return nothing — checked with full types over
// the app, the CLI, ingest, tests and benches. Style is Prettier's job (not yet run).
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

export default tseslint.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'test-results/', 'playwright-report/', 'data/', 'static/', '.stryker-tmp*/'] },
	...svelte.configs.base,
	{
		files: ['**/*.ts', '**/*.js'],
		ignores: ['**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parser: tseslint.parser }
	},
	{
		files: ['**/*.ts', '**/*.js', '**/*.svelte'],
		languageOptions: {
			parserOptions: {
				// Types from tsconfig.json; the config files at the root that it leaves out are linted on their own.
				projectService: { allowDefaultProject: ['eslint.config.js', 'vitest.*.config.ts'] },
				tsconfigRootDir: import.meta.dirname,
				extraFileExtensions: ['.svelte']
			},
			globals: { ...globals.node, ...globals.browser }
		},
		plugins: { '@typescript-eslint': tseslint.plugin },
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parserOptions: { parser: tseslint.parser, svelteConfig } }
	}
);
