/** A drop-box directory: every file that appears is read once, then moved to `dir/done`. Names starting with '.' are skipped (write there, then rename). */
import { mkdir, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { sleep } from './host.ts';

export async function watchDropBox(
	dir: string,
	options: { pollMs: number; stopping: () => boolean; ingestFile: (file: string) => Promise<void> }
): Promise<void> {
	const done = path.join(dir, 'done');
	await mkdir(done, { recursive: true });
	while (!options.stopping()) {
		const names = (await readdir(dir)).filter((n) => /\.(ndjson|jsonl|json|csv)$/i.test(n) && !n.startsWith('.')).sort();
		for (const name of names) {
			if (options.stopping()) break;
			await options.ingestFile(path.join(dir, name));
			if (!options.stopping()) await rename(path.join(dir, name), path.join(done, name));
		}
		await sleep(options.pollMs);
	}
}
