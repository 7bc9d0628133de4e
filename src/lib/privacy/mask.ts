/**
 * Personal data in free text (差评 comments, 12345 texts, handling notes) masked
 * before it is stored (issue 13, item 6): mobile and landline numbers, 18-digit
 * ID numbers (GB 11643, only when the check character is right), bank card
 * numbers (16–19 digits, only when Luhn-valid) and e-mail addresses. Pure.
 *
 * Look-alikes whose check fails are left alone (order numbers, amounts): masking
 * them would cost the analyst the text and protect nobody. A number inside a longer
 * run of digits is not a number of its own and is left alone too. Full-width
 * digits and letters (０-９, Ｘ, ＠) count as their ASCII forms; digits may be
 * grouped by a space, a hyphen or a closing bracket (138 1234 5678, (0755)8888-8888).
 * What is kept: a mobile's first 3 and last 4 digits (138****1234), a landline's
 * area code and last 4, an ID's region (first 6) and last 4, a card's first and
 * last 4, an address's first letter and domain.
 */

export type PiiKind = 'mobile' | 'landline' | 'id_number' | 'bank_card' | 'email';

const STAR = '*';

/** Full-width ASCII forms (U+FF01–FF5E) as ASCII, the ideographic space and dashes as a space (a separator): one UTF-16 unit each, so indices stay. */
function halfWidth(text: string): string {
	return text.replace(/[\uFF01-\uFF5E\u3000\u2013\u2014]/g, (c) => {
		const code = c.charCodeAt(0);
		// Stryker disable next-line EqualityOperator: equivalent — U+FF00 is not in the class above, so `<=` splits the same characters.
		return code < 0xff00 ? ' ' : String.fromCharCode(code - 0xfee0);
	});
}

/** GB 11643-1999 weights of the first 17 digits: 2^(17-i) mod 11. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** An 18-character ID number whose check character (0-9 or X) is right. */
export function isValidIdNumber(id: string): boolean {
	if (!/^\d{17}[\dX]$/i.test(id)) return false;
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
	return ID_CHECK[sum % 11] === id[17]!.toUpperCase();
}

/** Digits whose Luhn sum is a multiple of 10. */
export function isLuhnValid(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		const d = Number(digits[digits.length - 1 - i]);
		// Stryker disable next-line AssignmentOperator: equivalent — a sum and its negation are multiples of 10 together (-20 % 10 is -0, which === 0).
		sum += i % 2 === 1 ? (d * 2) % 9 || d : d;
	}
	return sum % 10 === 0;
}

/** A run of digits with single separators between its groups, and an ID's trailing X. */
const DIGIT_GROUP = /(?<!\d)\d+(?:(?:[ -]|\)[ -]?)\d+)*(?:X(?!\d))?/gi;
/** Words that make a bare 7–8 digit number a telephone number (a landline without its area code). */
const PHONE_WORD = /(?:电话|座机|固话|致电|拨打|来电|tel|phone)\D{0,6}$/i;
/** Longest candidate: a 19-digit card. */
const MAX_DIGITS = 19;

interface Chunk {
	digits: string;
	/** Index in the text of each digit. */
	at: number[];
}

/** Which characters of a candidate to star, or undefined when it is no personal number. A trailing X fails every rule but the ID's. */
function starsFor(d: string, wholeGroup: boolean, afterPhoneWord: boolean): [from: number, to: number] | undefined {
	const n = d.length;
	if (isValidIdNumber(d)) return [6, 14];
	if (n >= 16 && isLuhnValid(d)) return [4, n - 4];
	// 1[3-9] + 9 digits, after +86 / 0086 too.
	if (/^(?:0086|86)?1[3-9]\d{9}$/.test(d)) return [n - 8, n - 4];
	// 010 and 02x are three-digit area codes with 8-digit numbers; the others four digits with 7 or 8.
	if (/^(?:0[12]\d[2-9]\d{7}|0[3-9]\d\d[2-9]\d{6,7})$/.test(d)) return [d[1]! < '3' ? 3 : 4, n - 4];
	if (wholeGroup && afterPhoneWord && /^[2-9]\d{6,7}$/.test(d)) return [0, n - 4];
	return undefined;
}

/** Indices of the digits to star in one digit group. */
function maskGroup(chunks: Chunk[], afterPhoneWord: boolean, stars: number[]): void {
	let i = 0;
	// Stryker disable next-line EqualityOperator: equivalent — at i === chunks.length there is no candidate, nothing matches and i++ ends the loop.
	while (i < chunks.length) {
		// The longest candidate starting at chunk i that is a personal number wins.
		const candidates: string[] = [];
		let d = '';
		for (let j = i; j < chunks.length && d.length + chunks[j]!.digits.length <= MAX_DIGITS; j++) candidates.push((d += chunks[j]!.digits));
		let matched = false;
		for (let j = i + candidates.length - 1; j >= i && !matched; j--) {
			const range = starsFor(candidates[j - i]!, i === 0 && j === chunks.length - 1, afterPhoneWord);
			if (!range) continue;
			const at: number[] = [];
			for (let c = i; c <= j; c++) at.push(...chunks[c]!.at);
			for (let k = range[0]; k < range[1]; k++) stars.push(at[k]!);
			matched = true;
			i = j + 1;
		}
		if (!matched) i++;
	}
}

function maskNumbers(text: string): string {
	const norm = halfWidth(text);
	const stars: number[] = [];
	for (const m of norm.matchAll(DIGIT_GROUP)) {
		const start = m.index;
		const chunks: Chunk[] = [];
		let chunk: Chunk | undefined;
		// A separator (space, hyphen, closing bracket) ends a chunk; digits, and the X a group may end with, are a chunk's.
		[...m[0]].forEach((c, k) => {
			if (c === ' ' || c === '-' || c === ')') {
				if (chunk) chunks.push(chunk);
				chunk = undefined;
			} else {
				chunk ??= { digits: '', at: [] };
				chunk.digits += c;
				chunk.at.push(start + k);
			}
		});
		// Stryker disable next-line ConditionalExpression: equivalent — DIGIT_GROUP ends with a digit or the X, never a separator, so a chunk is always open here.
		if (chunk) chunks.push(chunk);
		maskGroup(chunks, PHONE_WORD.test(norm.slice(Math.max(0, start - 10), start)), stars);
	}
	let out = '';
	let from = 0;
	for (const s of stars) {
		out += text.slice(from, s) + STAR;
		from = s + 1;
	}
	return out + text.slice(from);
}

/** The domain is kept as written, so this only has to find where an address is: a local part, @, a name with a dot and letters after the last. */
const EMAIL = /[A-Za-z0-9][\w.%+-]*@[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}/g;

function maskEmails(text: string): string {
	const norm = halfWidth(text);
	let out = '';
	let from = 0;
	for (const m of norm.matchAll(EMAIL)) {
		const at = m.index + m[0].indexOf('@');
		out += text.slice(from, m.index + 1) + STAR.repeat(3);
		from = at;
	}
	return out + text.slice(from);
}

/** Worth a look only with a digit (or an @): most comments have neither. */
const HAS_DIGIT = /[\d\uFF10-\uFF19]/;
// Stryker disable next-line Regex: equivalent — only a shortcut: maskEmails finds no address in a text without an @ and returns it unchanged.
const HAS_AT = /[@\uFF20]/;

/** The text with its personal numbers and e-mail addresses masked. */
export function maskPersonalData(text: string): string {
	const masked = HAS_AT.test(text) ? maskEmails(text) : text;
	return HAS_DIGIT.test(masked) ? maskNumbers(masked) : masked;
}

/** What ingest stores of a free text: masked, unless the deployment keeps raw text (TIANSHU_KEEP_RAW_TEXT). */
export function storedText(text: string, keepRaw = false): string {
	return keepRaw ? text : maskPersonalData(text);
}
