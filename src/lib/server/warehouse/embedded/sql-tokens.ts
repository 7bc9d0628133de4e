/**
 * A deliberately simple lexer for ClickHouse SQL, for the read-only check only.
 * Its one rule: never take for a comment or a string what ClickHouse would run
 * as code. Where it is unsure it yields code (over-refusing, never under):
 * `#` comments, heredocs and nested comments are not understood, so what they
 * hide is checked as if it ran.
 */

export interface Token {
	kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
	/** Words as written; quoted identifiers without their quotes. */
	text: string;
}

// By character code: this runs on every reader query, so no regular expression per character.
// Unicode spaces count too: were ClickHouse to take one between a name and '(', the call must still be seen.
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isWord = (c: number) => isWordStart(c) || isDigit(c) || c === 36;

/** Reads a quoted run starting at `start` (the quote), with backslash escapes and doubled quotes; returns the index after it. */
function quotedEnd(sql: string, start: number): number {
	const quote = sql[start]!;
	let i = start + 1;
	while (i < sql.length) {
		const c = sql[i]!;
		if (c === '\\') i += 2;
		else if (c === quote) {
			if (sql[i + 1] === quote) i += 2;
			else return i + 1;
		} else i++;
	}
	return -1;
}

/** The tokens of `sql`, without whitespace and comments; `undefined` when a string, identifier or comment is left open. */
export function tokenize(sql: string): Token[] | undefined {
	const tokens: Token[] = [];
	let i = 0;
	while (i < sql.length) {
		const c = sql[i]!;
		const code = sql.charCodeAt(i);
		if (isSpace(code)) {
			i++;
		} else if (c === '-' && sql[i + 1] === '-') {
			const end = sql.indexOf('\n', i);
			i = end < 0 ? sql.length : end + 1;
		} else if (c === '/' && sql[i + 1] === '*') {
			// Not nested: text after the first */ is read as code (ClickHouse may still see a comment: that only over-refuses).
			const end = sql.indexOf('*/', i + 2);
			if (end < 0) return undefined;
			i = end + 2;
		} else if (c === "'") {
			const end = quotedEnd(sql, i);
			if (end < 0) return undefined;
			tokens.push({ kind: 'string', text: sql.slice(i, end) });
			i = end;
		} else if (c === '`' || c === '"') {
			const end = quotedEnd(sql, i);
			if (end < 0) return undefined;
			tokens.push({ kind: 'quoted', text: sql.slice(i + 1, end - 1) });
			i = end;
		} else if (isWordStart(code)) {
			let j = i + 1;
			while (j < sql.length && isWord(sql.charCodeAt(j))) j++;
			tokens.push({ kind: 'word', text: sql.slice(i, j) });
			i = j;
		} else if (isDigit(code)) {
			let j = i + 1;
			// Digits only: letters after them start a word, so `2file(` is still seen as `file(`.
			while (j < sql.length && (isDigit(sql.charCodeAt(j)) || sql.charCodeAt(j) === 46)) j++;
			tokens.push({ kind: 'number', text: sql.slice(i, j) });
			i = j;
		} else {
			tokens.push({ kind: 'punct', text: c });
			i++;
		}
	}
	return tokens;
}
