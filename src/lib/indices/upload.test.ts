import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinMethodology } from './builtins.ts';
import { parseMethodologyText } from './upload.ts';

const builtin = (name: string) => readFileSync(path.join(import.meta.dirname, 'builtins', `${name}.json`), 'utf8');

const YAML = `id: mini
name: A small index
root:
  id: total
  children:
    - id: a
      column: a
      weight: 2
    - id: b
      column: b
grades:
  - { id: top, label: 高, min: 50 }
  - { id: rest, label: 低 }
`;

describe('an uploaded methodology', () => {
	it('reads a built-in as JSON to the same methodology', () => {
		const r = parseMethodologyText(builtin('capability'), 'capability.json');
		expect(r.ok && r.methodology).toEqual(builtinMethodology('capability'));
	});

	it('reads YAML', () => {
		const r = parseMethodologyText(YAML, 'mini.yaml');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.format).toBe('yaml');
		expect(r.methodology.root.children.map((c) => [c.id, c.weight])).toEqual([
			['a', 2],
			['b', 1]
		]);
	});

	it('names the field and the line of a wrong value in YAML', () => {
		const r = parseMethodologyText(YAML.replace('weight: 2', 'weight: -2'), 'mini.yaml');
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.issues).toHaveLength(1);
		expect(r.issues[0]).toMatchObject({ path: 'root.children.0.weight', line: 8 });
		expect(r.message).toContain('第 8 行 root.children.0.weight');
	});

	it('names the field and the line in JSON (a weight on line 95 of the capability index made text)', () => {
		const text = builtin('capability');
		const lines = text.split('\n');
		expect(lines[94]).toContain('"weight": 25');
		lines[94] = lines[94]!.replace('25', '"heavy"');
		const r = parseMethodologyText(lines.join('\n'), 'capability.json');
		expect(!r.ok && r.issues).toEqual([expect.objectContaining({ path: 'root.children.1.weight', line: 95 })]);
	});

	it('points at the object when a required field is missing, and translates the schema’s own messages', () => {
		const r = parseMethodologyText(YAML.replace('      column: b\n', ''), 'mini.yaml');
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.issues[0]).toMatchObject({ path: 'root.children.1', line: 9, message: '指标须有 column（数据列）或 ratio（比率）之一，且只能有一个' });
		const dup = parseMethodologyText(YAML.replace('id: b', 'id: a'), 'mini.yaml');
		expect(!dup.ok && dup.issues.map((i) => i.message)).toEqual(['编号重复：a']);
	});

	it('gives the line of a JSON syntax error', () => {
		const r = parseMethodologyText('{\n  "id": "x",\n  "name": "y",\n}\n', 'x.json');
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.issues[0]!.line).toBe(4);
		expect(r.message).toMatch(/^评估方法文件有 1 处错误：\n第 4 行：不是有效的 JSON/);
	});

	it('gives the line of a YAML syntax error, and refuses what is not a mapping', () => {
		const r = parseMethodologyText('id: x\nname: [unclosed\nroot: 1\n', 'x.yml');
		expect(!r.ok && r.issues[0]!.line).toBeGreaterThanOrEqual(2);
		const list = parseMethodologyText('- 1\n- 2\n');
		expect(!list.ok && list.issues[0]!.message).toBe('评估方法须是一个对象（键值对）');
		expect(parseMethodologyText('   ').ok).toBe(false);
	});
});
