import { describe, expect, it } from 'vitest';
import { splitStatements } from './sql-statements.ts';

describe('splitStatements', () => {
	it('splits at top-level semicolons only', () => {
		const sql = `-- header comment
CREATE TABLE a (s String DEFAULT ';') ENGINE = Memory;
/* block; comment */ SELECT 'it\\'s; fine', "we;ird", \`col;umn\`;

-- trailing comment only`;
		expect(splitStatements(sql).map((s) => s.sql)).toEqual([
			"CREATE TABLE a (s String DEFAULT ';') ENGINE = Memory",
			"/* block; comment */ SELECT 'it\\'s; fine', \"we;ird\", `col;umn`"
		]);
	});

	it('reads `-- key: value` directives from the comments just above a statement', () => {
		const [first, second] = splitStatements('-- shard_by: rand()\n-- note: anything\nCREATE TABLE a (x UInt8) ENGINE = Memory;\nSELECT 1');
		expect(first!.directives).toEqual({ shard_by: 'rand()', note: 'anything' });
		expect(first!.sql).toBe('CREATE TABLE a (x UInt8) ENGINE = Memory');
		expect(second!.directives).toEqual({});
	});

	it('reports an unterminated string instead of running half a statement', () => {
		expect(() => splitStatements("SELECT 'oops")).toThrow(/unterminated ' quote/);
	});
});
