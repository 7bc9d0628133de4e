import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions } from './args.ts';
import { builtinMethodologies, builtinMethodology } from '../lib/indices/builtins.ts';
import { parseMethodology, MethodologyError, type Methodology, type Normalisation } from '../lib/indices/methodology.ts';
import { DataError, evaluate, explain, normaliseAll, prepare, results, type Row } from '../lib/indices/engine.ts';
import { monteCarlo, seekTarget, type Target } from '../lib/indices/simulate.ts';

const usage = `Usage: tianshu index <compute|simulate|seek|list> [options]

Computes a composite index from a methodology and a CSV table, and simulates
rankings. The table has a unit column (the methodology's, or --unit-column)
and one column per indicator (the built-in EGDI reads osi, hci, tii).

  tianshu index list
  tianshu index compute  --methodology FILE|NAME --data FILE.csv [--out FILE.csv|.json]
                         [--explain UNIT]
  tianshu index simulate --methodology FILE|NAME --data FILE.csv [--draws 10000] [--seed 1]
                         [--dirichlet 50 | --uniform 0.2 | --fixed-weights]
                         [--normalisations minMax,rank,percentile] [--aggregations arithmetic,geometric]
                         [--top 10] [--out FILE.csv|.json]
  tianshu index seek     --methodology FILE|NAME --data FILE.csv --unit UNIT (--rank K | --grade ID)
                         [--bounds ID=MIN:MAX,...] [--costs ID=C,...] [--indicators ID,...]

Common options:
  --unit-column COL   the column naming the units (default: the methodology's)

NAME is a built-in methodology: egdi, egdi-hci, egdi-tii, capability,
capability-published, satisfaction. FILE is a JSON methodology document
(schema in the README). compute writes unit, score, grade, rank, coverage and
every sub-index; CSV unless --out ends in .json. Scores are full precision;
ranks follow the methodology's tie rule and display rounding.`;

function loadMethodology(spec: string): Methodology {
	const builtin = builtinMethodology(spec);
	if (builtin) return builtin;
	if (!existsSync(spec)) throw new UsageError(`'${spec}' is neither a built-in methodology (${Object.keys(builtinMethodologies()).join(', ')}) nor a file`);
	let doc: unknown;
	try {
		doc = JSON.parse(readFileSync(spec, 'utf8'));
	} catch (e) {
		throw new UsageError(`${spec} is not valid JSON: ${(e as Error).message}`);
	}
	return parseMethodology(doc);
}

function loadData(file: string | undefined): Row[] {
	if (!file) throw new UsageError('--data FILE.csv is required');
	if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
	try {
		return parse(readFileSync(file), { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Row[];
	} catch (e) {
		throw new UsageError(`${file} is not a readable CSV table: ${(e as Error).message}`);
	}
}

function csvCell(v: unknown): string {
	if (v === null || v === undefined) return '';
	const s = String(v);
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeTable(rows: Array<Record<string, unknown>>, out: string | undefined): void {
	if (out?.endsWith('.json')) {
		writeFileSync(out, `${JSON.stringify(rows, null, 2)}\n`);
		return;
	}
	const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
	const text = [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
	if (out) writeFileSync(out, text);
	else process.stdout.write(text);
}

function pairs(spec: string | undefined, what: string): Record<string, string> {
	if (!spec) return {};
	return Object.fromEntries(
		spec.split(',').map((p) => {
			const [k, v] = p.split('=');
			if (!k || v === undefined) throw new UsageError(`${what} must look like id=value,id=value`);
			return [k.trim(), v.trim()];
		})
	);
}

export const indexCommand: Command = {
	name: 'index',
	summary: 'composite indices: compute, simulate, seek',
	usage,
	async run(args) {
		const [sub, ...rest] = args;
		if (sub === 'list') {
			for (const m of Object.values(builtinMethodologies())) console.log(`${m.id.padEnd(22)} ${m.nameZh ?? ''}  ${m.name}`);
			return 0;
		}
		if (sub !== 'compute' && sub !== 'simulate' && sub !== 'seek') throw new UsageError(`unknown subcommand '${sub ?? ''}'`);
		const o = parseOptions(rest, {
			methodology: { type: 'string' },
			data: { type: 'string' },
			out: { type: 'string' },
			'unit-column': { type: 'string' },
			explain: { type: 'string' },
			draws: { type: 'string', default: '10000' },
			seed: { type: 'string', default: '1' },
			dirichlet: { type: 'string' },
			uniform: { type: 'string' },
			'fixed-weights': { type: 'boolean', default: false },
			normalisations: { type: 'string' },
			aggregations: { type: 'string' },
			top: { type: 'string', default: '10' },
			unit: { type: 'string' },
			rank: { type: 'string' },
			grade: { type: 'string' },
			bounds: { type: 'string' },
			costs: { type: 'string' },
			indicators: { type: 'string' }
		});
		if (!o.methodology) throw new UsageError('--methodology FILE|NAME is required');
		try {
			let methodology = loadMethodology(o.methodology);
			if (o['unit-column']) methodology = { ...methodology, unitColumn: o['unit-column'] };
			const rows = loadData(o.data);
			for (const note of methodology.assumptions) console.error(`note: ${note}`);
			if (sub === 'compute') {
				const p = prepare(methodology, rows);
				const ev = evaluate(p, normaliseAll(p));
				const r = results(p, ev);
				writeTable(
					r.units.map((u) => ({
						unit: u.unit,
						score: u.score,
						grade: u.grade?.label ?? '',
						grade_id: u.grade?.id ?? '',
						rank: u.rank,
						coverage: Number(u.coverage.toFixed(4)),
						...u.nodes
					})),
					o.out
				);
				if (o.explain) console.error(JSON.stringify(explain(p, ev, o.explain), null, 2));
				const missing = r.units.filter((u) => u.score === null).map((u) => u.unit);
				if (missing.length) console.error(`missing (not enough data for a score): ${missing.join(', ')}`);
				return 0;
			}
			if (sub === 'simulate') {
				const weights = o['fixed-weights']
					? ({ kind: 'none' } as const)
					: o.uniform
						? ({ kind: 'uniform', spread: Number(o.uniform) } as const)
						: ({ kind: 'dirichlet', concentration: Number(o.dirichlet ?? 50) } as const);
				const normalisations = o.normalisations?.split(',').map((k) => ({ kind: k.trim() }) as Normalisation);
				const aggregations = o.aggregations?.split(',').map((a) => a.trim()) as Array<'arithmetic' | 'geometric'> | undefined;
				if (aggregations?.some((a) => a !== 'arithmetic' && a !== 'geometric')) throw new UsageError('--aggregations takes arithmetic and/or geometric');
				const mc = monteCarlo(methodology, rows, { draws: Number(o.draws), seed: Number(o.seed), weights, normalisations, aggregations, topK: Number(o.top) });
				writeTable(
					mc.units.map((u) => ({
						unit: u.unit,
						nominal_rank: u.nominalRank,
						median_rank: u.medianRank,
						rank_p5: u.rankInterval?.[0],
						rank_p95: u.rankInterval?.[1],
						[`top${o.top}_probability`]: u.topKProbability,
						...Object.fromEntries(Object.entries(u.gradeProbabilities ?? {}).map(([g, p]) => [`p_${g}`, p]))
					})),
					o.out
				);
				return 0;
			}
			if (!o.unit) throw new UsageError('seek needs --unit');
			if ((o.rank === undefined) === (o.grade === undefined)) throw new UsageError('seek needs one of --rank K or --grade ID');
			const target: Target = o.rank !== undefined ? { rank: Number(o.rank) } : { grade: o.grade! };
			const bounds = Object.fromEntries(
				Object.entries(pairs(o.bounds, '--bounds')).map(([id, v]) => {
					const [min, max] = v.split(':');
					return [id, { min: min ? Number(min) : undefined, max: max ? Number(max) : undefined }];
				})
			);
			const costs = Object.fromEntries(Object.entries(pairs(o.costs, '--costs')).map(([id, v]) => [id, Number(v)]));
			const r = seekTarget(methodology, rows, o.unit, target, { bounds, costs, indicators: o.indicators?.split(',').map((s) => s.trim()) });
			if (o.out) writeFileSync(o.out, `${JSON.stringify(r, null, 2)}\n`);
			else console.log(JSON.stringify(r, null, 2));
			console.error(r.message);
			return r.reachable ? 0 : 3;
		} catch (e) {
			if (e instanceof MethodologyError || e instanceof DataError) {
				console.error(`tianshu index: ${e.message}`);
				return 1;
			}
			throw e;
		}
	}
};
