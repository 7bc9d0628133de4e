/**
 * An uploaded methodology (JSON or YAML text) → a validated Methodology, or
 * errors that name the field and the line it is on, in Chinese. Pure (no I/O):
 * runs in the browser as the file is picked and on the server alike.
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z } from 'zod';
import { MethodologyDocument, type Methodology } from './methodology.ts';

export interface UploadIssue {
	/** Dotted path of the field (root.children.0.weight), '' for the document. */
	path: string;
	/** 1-based line and column in the text, when known. */
	line?: number;
	column?: number;
	message: string;
}

export type MethodologyUpload =
	{ ok: true; methodology: Methodology; format: 'json' | 'yaml' } | { ok: false; format: 'json' | 'yaml'; issues: UploadIssue[]; message: string };

/** Largest methodology text accepted (a real one is a few kB). */
export const MAX_METHODOLOGY_CHARS = 512 * 1024;

/** The methodology schema's own messages (methodology.ts), as the screen shows them. */
const MESSAGES_ZH: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
	[/^ids are letters, digits and underscores$/, () => '编号只能由字母、数字和下划线组成，并以字母开头'],
	[/^an indicator has either a `column` or a `ratio`$/, () => '指标须有 column（数据列）或 ratio（比率）之一，且只能有一个'],
	[/^a group needs at least one child$/, () => '分组至少要有一个子项'],
	[/^the scale must be \[low, high\] with high > low$/, () => '取值范围须为 [下限, 上限]，且上限大于下限'],
	[/^duplicate id '(.*)'$/, (m) => `编号重复：${m[1]}`],
	[/^grade '(.*)' needs a min \(only the last band has none\)$/, (m) => `等级 ${m[1]} 须有下限 min（只有最后一档可以没有）`],
	[/^grades go from the highest band down$/, () => '等级须从最高一档往下排列']
];

function messageZh(message: string): string {
	for (const [re, zh] of MESSAGES_ZH) {
		const m = message.match(re);
		if (m) return zh(m);
	}
	return message;
}

function formatOf(text: string, filename?: string): 'json' | 'yaml' {
	if (filename && /\.ya?ml$/i.test(filename)) return 'yaml';
	if (filename && /\.json$/i.test(filename)) return 'json';
	return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

function describe(issues: UploadIssue[]): string {
	const lines = issues
		.slice(0, 10)
		.map(
			(i) =>
				`${i.line !== undefined ? `第 ${i.line} 行` : ''}${i.path ? `${i.line !== undefined ? ' ' : ''}${i.path}` : ''}${i.line !== undefined || i.path ? '：' : ''}${i.message}`
		);
	return `评估方法文件有 ${issues.length} 处错误：\n${lines.join('\n')}${issues.length > 10 ? `\n……另有 ${issues.length - 10} 处` : ''}`;
}

function fail(format: 'json' | 'yaml', issues: UploadIssue[]): MethodologyUpload {
	return { ok: false, format, issues, message: describe(issues) };
}

/** The offset a JSON.parse message names (V8: "at position N" or "(line L column C)"). */
function jsonErrorOffset(message: string, text: string): number | undefined {
	const pos = /at position (\d+)/.exec(message);
	if (pos) return Number(pos[1]);
	const lc = /line (\d+) column (\d+)/.exec(message);
	if (lc) {
		const lines = text.split('\n');
		let offset = 0;
		for (let i = 0; i < Number(lc[1]) - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
		return offset + Number(lc[2]) - 1;
	}
	return undefined;
}

/** The nearest node on the path that exists in the document, for its position. */
function locate(doc: Document, lc: LineCounter, path: PropertyKey[]): { line: number; column: number } | undefined {
	for (let n = path.length; n >= 0; n--) {
		const node = doc.getIn(path.slice(0, n) as Array<string | number>, true);
		if (isNode(node) && node.range) {
			const p = lc.linePos(node.range[0]);
			return { line: p.line, column: p.col };
		}
	}
	return undefined;
}

type Issue = { code: string; path: PropertyKey[]; message: string; errors?: Issue[][] };

function valueAt(data: unknown, path: PropertyKey[]): unknown {
	let v = data;
	for (const k of path) {
		if (typeof v !== 'object' || v === null) return undefined;
		v = (v as Record<PropertyKey, unknown>)[k];
	}
	return v;
}

/**
 * A union's failure (a tree node is a group or an indicator) as the issues of the
 * branch the document meant: the one with the fewest fields missing, then the fewest issues.
 */
function flatten(issue: Issue, data: unknown): Issue[] {
	if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
	const branches = issue.errors.map((errors) => errors.map((e) => ({ ...e, path: [...issue.path, ...e.path] })));
	const missing = (b: Issue[]) => b.filter((e) => valueAt(data, e.path) === undefined).length;
	const best = [...branches].sort((a, b) => missing(a) - missing(b) || a.length - b.length)[0]!;
	return best.length ? best.flatMap((e) => flatten(e, data)) : [issue];
}

/** Parses and validates a methodology document given as JSON or YAML text. */
export function parseMethodologyText(text: string, filename?: string): MethodologyUpload {
	const format = formatOf(text, filename);
	if (text.length > MAX_METHODOLOGY_CHARS) return fail(format, [{ path: '', message: `文件过大（最多 ${MAX_METHODOLOGY_CHARS / 1024} KB）` }]);
	const source = text.replace(/^\uFEFF/, '');
	if (source.trim() === '') return fail(format, [{ path: '', message: '文件是空的' }]);
	const lc = new LineCounter();
	// The document with positions: YAML, and JSON read as YAML (JSON is YAML's flow style) only for the positions.
	const doc = parseDocument(source, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
	let data: unknown;
	if (format === 'json') {
		try {
			data = JSON.parse(source);
		} catch (e) {
			const offset = jsonErrorOffset((e as Error).message, source) ?? doc.errors[0]?.pos[0];
			const at = offset !== undefined ? lc.linePos(Math.min(offset, source.length)) : undefined;
			return fail(format, [{ path: '', line: at?.line, column: at?.col, message: `不是有效的 JSON：${(e as Error).message.slice(0, 200)}` }]);
		}
	} else {
		if (doc.errors.length)
			return fail(
				format,
				doc.errors.slice(0, 10).map((err) => {
					const at = lc.linePos(err.pos[0]);
					return { path: '', line: at.line, column: at.col, message: `不是有效的 YAML：${err.message.split('\n')[0]!.slice(0, 200)}` };
				})
			);
		data = doc.toJS({ maxAliasCount: 100 });
	}
	if (typeof data !== 'object' || data === null || Array.isArray(data))
		return fail(format, [{ path: '', line: 1, column: 1, message: '评估方法须是一个对象（键值对）' }]);
	const r = MethodologyDocument.safeParse(data, { error: z.locales.zhCN().localeError });
	if (r.success) return { ok: true, format, methodology: r.data };
	const located = doc.errors.length === 0;
	return fail(
		format,
		(r.error.issues as Issue[])
			.flatMap((i) => flatten(i, data))
			.map((issue) => {
				const at = located ? locate(doc, lc, issue.path) : undefined;
				return { path: issue.path.map(String).join('.'), line: at?.line, column: at?.column, message: messageZh(issue.message) };
			})
	);
}
