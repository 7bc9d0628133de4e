/**
 * Splits a migration file into statements at top-level semicolons, leaving
 * semicolons inside strings, quoted identifiers and comments alone. Each
 * statement keeps the comment lines directly above it (they may carry
 * directives such as `-- shard_by: …`). Pure.
 */
export interface Statement {
	/** The SQL without surrounding whitespace or the terminating semicolon. */
	sql: string;
	/** `-- key: value` lines among the comments right before the statement. */
	directives: Record<string, string>;
}

export function splitStatements(text: string): Statement[] {
	const out: Statement[] = [];
	let start = 0;
	let i = 0;
	const n = text.length;
	const push = (end: number) => {
		const raw = text.slice(start, end);
		const sql = stripComments(raw).trim();
		if (sql)
			out.push({
				sql: raw
					.trim()
					.replace(/^(?:\s*--[^\n]*\n)+/, '')
					.trim(),
				directives: directivesOf(raw)
			});
		start = end + 1;
	};
	while (i < n) {
		const c = text[i]!;
		if (c === '-' && text[i + 1] === '-') {
			const nl = text.indexOf('\n', i);
			i = nl < 0 ? n : nl + 1;
		} else if (c === '/' && text[i + 1] === '*') {
			const close = text.indexOf('*/', i + 2);
			if (close < 0) throw new Error(`unterminated /* comment starting at offset ${i}`);
			i = close + 2;
		} else if (c === "'" || c === '"' || c === '`') {
			let j = i + 1;
			while (j < n && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
			if (j >= n) throw new Error(`unterminated ${c} quote starting at offset ${i}`);
			i = j + 1;
		} else if (c === ';') {
			push(i);
			i++;
		} else {
			i++;
		}
	}
	push(n);
	return out;
}

function stripComments(sql: string): string {
	return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

function directivesOf(raw: string): Record<string, string> {
	const directives: Record<string, string> = {};
	const lead = /^(?:\s*--[^\n]*\n)+/.exec(raw.replace(/^\s*\n/, ''))?.[0] ?? '';
	for (const m of lead.matchAll(/--\s*([a-z_]+):\s*(.+)/g)) directives[m[1]!] = m[2]!.trim();
	return directives;
}
