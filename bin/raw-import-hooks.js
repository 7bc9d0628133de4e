// Node module hooks for the CLI: `import text from './file?raw'` gives the file's text,
// as Vite does for the web build and vitest (e.g. the 差评 topic dictionary), so server
// modules load the same way under `tianshu` (tsx) as in the bundle.
import { readFile } from 'node:fs/promises';

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
	const query = url.indexOf('?');
	if (query === -1 || !url.startsWith('file:') || !new URLSearchParams(url.slice(query)).has('raw')) return nextLoad(url, context);
	const text = await readFile(new URL(url.slice(0, query)), 'utf8');
	return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}
