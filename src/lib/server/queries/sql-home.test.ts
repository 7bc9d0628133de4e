import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Where SQL may be written (issue 11, item 5): schema-adjacent code, the planner's
 * builder and queries/; a statement in any other module fails here.
 */
const HOMES = [
	/^src\/lib\/server\/queries\//,
	/^src\/lib\/server\/planner\/plan\.ts$/,
	/^src\/lib\/server\/migrate\//,
	/^src\/lib\/server\/appdb\/migrator\.ts$/,
	/^src\/lib\/server\/warehouse\/(embedded\/|insert-lines\.ts$)/,
	/^src\/cli\/(appdb|warehouse)-connect\.ts$/
];

const root = join(import.meta.dirname, '../../../..');

function* sources(dir: string): Generator<string> {
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, e.name);
		if (e.isDirectory()) yield* sources(path);
		else if (e.name.endsWith('.ts') && !e.name.includes('test')) yield relative(root, path);
	}
}

describe('SQL has one home', () => {
	it('is written only in schema-adjacent code, the planner builder and queries/', () => {
		const writers = [...sources(join(root, 'src')), ...sources(join(root, 'ingest'))].filter((f) =>
			/SELECT|INSERT INTO|FROM |UPDATE \w+ SET/.test(readFileSync(join(root, f), 'utf8'))
		);
		expect(writers.filter((f) => !HOMES.some((h) => h.test(f)))).toEqual([]);
	});
});
