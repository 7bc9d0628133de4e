import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGroup, leaves } from './methodology.ts';
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
      polarity: negative
      normalisation: { kind: goalposts, min: 0, max: 10 }
      bounds: { min: 0 }
grades:
  - { id: top, label: 高, min: 50 }
  - { id: rest, label: 低 }
`;

describe('an uploaded methodology', () => {
	// Expected values written out from builtins/capability.json by eye (and the schema's defaults: polarity
	// positive, cost 1), not from builtinMethodology, which reads the same file through the same schema.
	it('reads a built-in as JSON: the capability index’s tree, weights, polarities, goalposts, bounds and bands', () => {
		const r = parseMethodologyText(builtin('capability'), 'capability.json');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.format).toBe('json');
		const m = r.methodology;
		expect([m.id, m.nameZh, m.unitColumn]).toEqual(['capability', '一体化政务服务能力指数', 'unit']);
		expect(m.root).toMatchObject({ id: 'overallIndex', aggregation: 'arithmetic', weight: 1 });
		const dimensions = m.root.children.filter(isGroup);
		expect(dimensions.map((d) => [d.id, d.weight, d.aggregation, d.children.map((c) => [c.id, c.weight])])).toEqual([
			[
				'effectiveness',
				30,
				'arithmetic',
				[
					['positiveRate', 4],
					['onTimeRate', 3],
					['reviewRate', 2],
					['rectifiedRate', 1]
				]
			],
			[
				'maturity',
				25,
				'arithmetic',
				[
					['fullyOnlineRate', 5],
					['zeroTripRate', 3],
					['atMostOneTripRate', 2]
				]
			],
			[
				'completeness',
				15,
				'arithmetic',
				[
					['channelCoverage', 1],
					['mobileRate', 1]
				]
			],
			[
				'coverage',
				15,
				'arithmetic',
				[
					['onlineItemShare', 2],
					['crossProvinceItemShare', 1]
				]
			],
			[
				'guideAccuracy',
				15,
				'arithmetic',
				[
					['guideCompleteness', 1],
					['guideConsistency', 1]
				]
			]
		]);
		expect(dimensions).toHaveLength(m.root.children.length);
		const all = leaves(m.root);
		expect(all).toHaveLength(13);
		expect(all.find((i) => i.id === 'onTimeRate')).toEqual({
			id: 'onTimeRate',
			nameZh: '按时办结率',
			column: 'on_time_rate',
			weight: 3,
			unit: '%',
			definition: '按承诺时限办结 ÷ 办结',
			polarity: 'positive',
			cost: 1,
			normalisation: { kind: 'goalposts', min: 0, max: 100 },
			bounds: { min: 0, max: 100 }
		});
		expect(all.find((i) => i.id === 'mobileRate')).toMatchObject({ column: 'mobile_item_share', weight: 1, polarity: 'positive' });
		for (const i of all) {
			expect(i.normalisation).toEqual({ kind: 'goalposts', min: 0, max: 100 });
			expect(i.bounds).toEqual({ min: 0, max: 100 });
		}
		expect(m.missing).toEqual({ rule: 'skip', minCoverage: 0.6 });
		expect(m.ranking).toEqual({ ties: 'dense', decimals: 2 });
		expect(m.grades).toEqual([
			{ id: 'veryHigh', label: '非常高', labelEn: 'Very high', min: 90, minInclusive: false },
			{ id: 'high', label: '高', labelEn: 'High', min: 80, minInclusive: true },
			{ id: 'medium', label: '中', labelEn: 'Medium', minInclusive: true }
		]);
		expect(m.assumptions).toHaveLength(2);
	});

	it('reads a ratio indicator and a group rescale as the built-ins write them', () => {
		const s = parseMethodologyText(builtin('satisfaction'), 'satisfaction.json');
		expect(s.ok && leaves(s.methodology.root).find((i) => i.id === 'replyRate')).toMatchObject({
			weight: 1,
			polarity: 'positive',
			normalisation: { kind: 'none' },
			ratio: { numerator: 'replied', denominator: 'negative', multiplier: 100, correction: { kind: 'wilson', z: 1.96 } }
		});
		const t = parseMethodologyText(builtin('egdi-tii'), 'egdi-tii.json');
		expect(t.ok).toBe(true);
		if (!t.ok) return;
		expect(t.methodology.unitColumn).toBe('country');
		expect(t.methodology.root.rescale).toEqual({ kind: 'minMax', scale: [0, 1] });
		expect(leaves(t.methodology.root).map((i) => [i.id, i.weight, i.normalisation.kind, i.bounds])).toEqual([
			['internetUsers', 1, 'zScore', { min: 0, max: 100 }],
			['mobileSubscriptions', 1, 'zScore', { min: 0 }],
			['mobileBroadband', 1, 'zScore', { min: 0 }],
			['fixedBroadband', 1, 'zScore', { min: 0 }]
		]);
		expect(t.methodology.missing.minCoverage).toBe(1);
		expect(t.methodology.ranking).toEqual({ ties: 'shared', decimals: 4 });
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
		expect(leaves(r.methodology.root).map((i) => [i.column, i.polarity, i.normalisation, i.bounds])).toEqual([
			['a', 'positive', { kind: 'none' }, undefined],
			['b', 'negative', { kind: 'goalposts', min: 0, max: 10 }, { min: 0 }]
		]);
		expect(r.methodology.grades).toEqual([
			{ id: 'top', label: '高', min: 50, minInclusive: true },
			{ id: 'rest', label: '低', minInclusive: true }
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
