import { describe, expect, it } from 'vitest';
import { compute } from '$lib/indices/engine';
import { parseMethodology } from '$lib/indices/methodology';
import { builtinMethodologies } from '$lib/indices/builtins';
import { dimensionsOf, editableIndicators, fittingMethodology, medianOf, radarSeries, rankChangeText, resultRows, weightedNodes } from './model.ts';

// Two dimensions of one indicator each, weights 3 : 1 (score = (3a + b) / 4, by hand below).
const m = parseMethodology({
	id: 'dims',
	name: 'dims',
	root: {
		id: 'root',
		children: [
			{ id: 'access', nameZh: '可及', weight: 3, children: [{ id: 'a', column: 'a' }] },
			{ id: 'quality', nameZh: '质量', weight: 1, children: [{ id: 'b', column: 'b', polarity: 'positive' }] }
		]
	},
	grades: [
		{ id: 'hi', label: '高', min: 50 },
		{ id: 'lo', label: '低' }
	]
});
const rows = [
	{ unit: '甲', a: 40, b: 80 }, // 50
	{ unit: '乙', a: 60, b: 0 }, // 45
	{ unit: '丙', a: 20, b: 100 } // 40
];

describe('workbench model', () => {
	it('rows in rank order with every dimension and the change against a baseline', () => {
		const r = resultRows(compute(m, rows), new Map([['乙', { rank: 3, score: 30 }]]));
		expect(r.map((x) => [x.unit, x.rank, x.score, x.grade, x.dim_access, x.dim_quality, x.baseRank, x.rankChange])).toEqual([
			['甲', 1, 50, '高', 40, 80, null, null],
			['乙', 2, 45, '低', 60, 0, 3, 1],
			['丙', 3, 40, '低', 20, 100, null, null]
		]);
		expect(dimensionsOf(m)).toEqual([
			{ id: 'access', label: '可及' },
			{ id: 'quality', label: '质量' }
		]);
	});

	it('rank changes carry an arrow, not only a colour', () => {
		expect([rankChangeText(2), rankChangeText(-3), rankChangeText(0), rankChangeText(null)]).toEqual(['▲2', '▼3', '持平', '—']);
	});

	it('radar: the unit, the leader and the median of each dimension', () => {
		expect(radarSeries(compute(m, rows), '丙')).toEqual({
			dimensions: [
				{ id: 'access', label: '可及' },
				{ id: 'quality', label: '质量' }
			],
			unit: [20, 100],
			leader: { name: '甲', values: [40, 80] },
			median: [40, 80]
		});
		expect(medianOf([4, 1, 3, 2])).toBe(2.5);
	});

	it('what the sliders offer: indicators read from columns, weights of groups with siblings', () => {
		expect(editableIndicators(m).map((l) => l.id)).toEqual(['a', 'b']);
		expect(weightedNodes(m)).toEqual([
			{ id: 'access', parent: 'root', weight: 3 },
			{ id: 'quality', parent: 'root', weight: 1 }
		]);
	});

	it('a table with the EGDI columns fits EGDI even while another methodology is chosen', () => {
		const all = Object.values(builtinMethodologies());
		expect(
			fittingMethodology(
				['country', 'osi', 'hci', 'tii', 'rank'],
				all.find((x) => x.id === 'capability')!,
				all
			)?.id
		).toBe('egdi');
		expect(fittingMethodology(['unit', 'a', 'b'], m, all)).toBe(m);
		expect(fittingMethodology(['name', 'x'], m, all)).toBeNull();
	});
});
