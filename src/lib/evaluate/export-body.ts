/**
 * The body the page posts to /evaluate/export: the views as they are on screen
 * (results, uncertainty, what-if, target seeking), the methodology and the data
 * source. The numbers are the full-precision ones the screen rounds for display.
 */
import type { ExportBody } from '../../routes/evaluate/export/schema.ts';
import { editCount } from './what-if.svelte.ts';
import { dimensionsOf, nodeLabels, resultRows } from './model.ts';
import type { Workbench } from './workbench.svelte.ts';

type Sheet = ExportBody['sheets'][number];

export function exportBody(wb: Workbench): ExportBody | null {
	const cur = wb.current;
	const result = wb.result;
	if (!cur || !result) return null;
	const m = cur.methodology;
	const decimals = m.ranking.decimals;
	const labels = nodeLabels(m);
	const dims = dimensionsOf(m);
	const rows = resultRows(result, wb.baseline);
	const sheets: Sheet[] = [
		{
			view: 'table',
			caption: wb.baselineLabel ? `基准：${wb.baselineLabel}` : undefined,
			columns: [
				{ key: 'rank', label: '名次' },
				{ key: 'unit', label: '单位' },
				{ key: 'score', label: '得分', decimals },
				{ key: 'grade', label: '等级' },
				...dims.map((d) => ({ key: `dim_${d.id}`.slice(0, 64), label: d.label, decimals })),
				...(wb.baseline
					? [
							{ key: 'baseRank', label: '基准名次' },
							{ key: 'rankChange', label: '名次变化（正为上升）' }
						]
					: [])
			],
			rows: rows.map((r) => {
				const out: Record<string, number | string | null> = { rank: r.rank, unit: r.unit, score: r.score, grade: r.grade };
				for (const d of dims) out[`dim_${d.id}`.slice(0, 64)] = (r[`dim_${d.id}`] as number | null) ?? null;
				if (wb.baseline) {
					out.baseRank = r.baseRank;
					out.rankChange = r.rankChange;
				}
				return out;
			})
		}
	];
	if (wb.mc.status === 'done' && wb.mc.units) {
		sheets.push({
			view: 'uncertainty',
			caption: `蒙特卡洛 ${wb.mc.done} 次抽样（权重按狄利克雷分布抽取）`,
			columns: [
				{ key: 'unit', label: '单位' },
				{ key: 'nominal', label: '名义名次' },
				{ key: 'median', label: '中位名次' },
				{ key: 'p5', label: '第5百分位名次' },
				{ key: 'p95', label: '第95百分位名次' },
				...m.grades.map((g) => ({ key: `grade_${g.id}`.slice(0, 64), label: `${g.label}的概率`, decimals: 3 }))
			],
			rows: [...wb.mc.units]
				.sort((a, b) => (a.nominalRank ?? Infinity) - (b.nominalRank ?? Infinity))
				.map((u) => ({
					unit: u.unit,
					nominal: u.nominalRank,
					median: u.medianRank,
					p5: u.rankInterval?.[0] ?? null,
					p95: u.rankInterval?.[1] ?? null,
					...Object.fromEntries(m.grades.map((g) => [`grade_${g.id}`.slice(0, 64), u.gradeProbabilities?.[g.id] ?? null]))
				}))
		});
	}
	const outcome = wb.whatIf.outcome;
	if (outcome && editCount(wb.whatIf.edits) > 0) {
		const edits = wb.whatIf.edits;
		const described = [
			...Object.entries(edits.values).flatMap(([u, v]) => Object.entries(v).map(([k, x]) => `${u} ${labels[k] ?? k}=${x}`)),
			...Object.entries(edits.weights).map(([k, w]) => `${labels[k] ?? k} 权重=${w}`)
		];
		sheets.push({
			view: 'whatIf',
			caption: `修改：${described.join('；')}`.slice(0, 300),
			columns: [
				{ key: 'unit', label: '单位' },
				{ key: 'beforeRank', label: '基准名次' },
				{ key: 'beforeScore', label: '基准得分', decimals },
				{ key: 'afterRank', label: '方案名次' },
				{ key: 'afterScore', label: '方案得分', decimals },
				{ key: 'rankDelta', label: '名次变化（正为上升）' },
				{ key: 'grade', label: '方案等级' }
			],
			rows: [...outcome.changes]
				.sort((a, b) => (a.after.rank ?? Infinity) - (b.after.rank ?? Infinity))
				.map((c) => ({
					unit: c.unit,
					beforeRank: c.before.rank,
					beforeScore: c.before.score,
					afterRank: c.after.rank,
					afterScore: c.after.score,
					rankDelta: c.rankDelta,
					grade: m.grades.find((g) => g.id === c.after.grade)?.label ?? ''
				}))
		});
	}
	if (wb.target) sheets.push(wb.target);
	const weights = editCount(wb.whatIf.edits) > 0 && Object.keys(wb.whatIf.edits.weights).length ? wb.whatIf.edits.weights : undefined;
	return {
		title: `${m.nameZh ?? m.name} 评估结果`.slice(0, 100),
		methodology: {
			id: m.id.slice(0, 64),
			name: (m.nameZh ?? m.name).slice(0, 200),
			source: m.source?.slice(0, 500),
			assumptions: m.assumptions.slice(0, 30).map((a) => a.slice(0, 1000)),
			weights
		},
		dataSource: {
			kind: cur.source.kind,
			label: cur.sourceLabel.slice(0, 200),
			region: cur.source.kind === 'live' ? (cur.source.level === 'province' ? 0 : cur.source.province) : undefined
		},
		sheets
	};
}
