/**
 * `tianshu index` on the published reference data: the built-in EGDI
 * reproduces the UN's 2018 figures, and grading the 2020 capability totals
 * reproduces the report's grade counts and rank rule.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, tianshuBin } from '../../src/lib/server/warehouse/embedded/spawn.ts';

const statistics = path.join(projectRoot, 'ingest', 'reference', 'statistics');
const dir = mkdtempSync(path.join(tmpdir(), 'tianshu-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tianshu(...args: string[]) {
	const r = spawnSync(process.execPath, [tianshuBin, 'index', ...args], { cwd: projectRoot, encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const csv = (text: string) => parse(text, { columns: true }) as Array<Record<string, string>>;

describe('EGDI 2018, all 193 member states', () => {
	const published = csv(readFileSync(path.join(statistics, 'egdi_2018.csv'), 'utf8'));
	const out = path.join(dir, 'egdi.csv');
	const run = tianshu('compute', '--methodology', 'egdi', '--data', path.join(statistics, 'egdi_2018.csv'), '--out', out);
	const computed = csv(readFileSync(out, 'utf8'));
	const byCountry = new Map(computed.map((r) => [r.unit, r]));

	it('runs', () => expect(run.code, run.stderr).toBe(0));

	it('reproduces every published EGDI within 1e-4 (the mean of OSI, HCI and TII as published, to 4 decimals)', () => {
		expect(computed).toHaveLength(193);
		for (const p of published) expect(Math.abs(Number(byCountry.get(p.country)!.score) - Number(p.egdi))).toBeLessThan(1e-4);
	});

	it('puts each country in its group by the thresholds (Very High > 0.75, High 0.50–0.75, Middle 0.25–0.50, Low < 0.25)', () => {
		const group = (egdi: number) => (egdi > 0.75 ? 'veryHigh' : egdi >= 0.5 ? 'high' : egdi >= 0.25 ? 'middle' : 'low');
		for (const p of published) expect(byCountry.get(p.country)!.grade_id).toBe(group(Number(p.egdi)));
		const counts = computed.reduce<Record<string, number>>((c, r) => ({ ...c, [r.grade_id!]: (c[r.grade_id!] ?? 0) + 1 }), {});
		expect(counts).toEqual({ veryHigh: 40, high: 71, middle: 66, low: 16 }); // as the 2018 Survey reports
	});

	it('gives every country its published rank: ties at 4 decimals share a rank, as published (Serbia and Slovakia 49, Angola and Iraq 155)', () => {
		for (const p of published) expect(Number(byCountry.get(p.country)!.rank), p.country).toBe(Number(p.rank));
		expect(['Serbia', 'Slovakia', 'Angola', 'Iraq'].map((c) => byCountry.get(c)!.rank)).toEqual(['49', '49', '155', '155']);
		// Their components differ, so the unrounded means differ slightly: the published shared ranks come from the rounding.
		expect(Number(byCountry.get('Slovakia')!.score)).not.toBe(Number(byCountry.get('Serbia')!.score));
	});
});

describe('the 2020 provincial capability index, as published', () => {
	const out = path.join(dir, 'capability.csv');
	const run = tianshu('compute', '--methodology', 'capability-published', '--data', path.join(statistics, 'capability_2020.csv'), '--out', out);
	const computed = csv(readFileSync(out, 'utf8'));
	const published = csv(readFileSync(path.join(statistics, 'capability_2020.csv'), 'utf8'));

	it('grades 8 非常高, 15 高 and 8 中, and reports the Corps as missing, not 0', () => {
		expect(run.code, run.stderr).toBe(0);
		const counts = computed.reduce<Record<string, number>>((c, r) => ({ ...c, [r.grade || 'missing']: (c[r.grade || 'missing'] ?? 0) + 1 }), {});
		expect(counts).toEqual({ 非常高: 8, 高: 15, 中: 8, missing: 1 });
		const corps = computed.find((r) => r.unit === '新疆生产建设兵团')!;
		expect([corps.score, corps.rank, corps.grade]).toEqual(['', '', '']);
		expect(run.stderr).toContain('missing (not enough data for a score): 新疆生产建设兵团');
	});

	it('ranks as the source does (ties share, the next rank follows on), differing only where the source does', () => {
		const differences = computed.flatMap((r) => {
			const p = published.find((x) => x.name === r.unit)!;
			return r.rank !== p.published_rank ? [`${r.unit} ${p.published_rank}→${r.rank}`] : [];
		});
		// 福建 (91.11) was printed below 安徽 (90.82); the Corps holds rank 28 in the source without a score.
		expect(differences).toEqual(['安徽 5→6', '福建 6→5', '新疆生产建设兵团 28→', '甘肃 29→28', '新疆 30→29']);
	});
});

describe('simulate and seek', () => {
	const data = path.join(statistics, 'egdi_2018.csv');

	it('gives reproducible rank intervals under a seed', () => {
		const a = tianshu('simulate', '--methodology', 'egdi', '--data', data, '--draws', '500', '--seed', '7', '--top', '20');
		const b = tianshu('simulate', '--methodology', 'egdi', '--data', data, '--draws', '500', '--seed', '7', '--top', '20');
		expect(a.code, a.stderr).toBe(0);
		expect(a.stdout).toBe(b.stdout);
		const denmark = csv(a.stdout).find((r) => r.unit === 'Denmark')!;
		expect(Number(denmark.rank_p5)).toBeLessThanOrEqual(Number(denmark.median_rank));
		expect(Number(denmark.median_rank)).toBeLessThanOrEqual(Number(denmark.rank_p95));
		expect(Number(denmark.p_veryHigh)).toBe(1);
	});

	it('finds what it takes for China to reach rank 30, and says when a target cannot be reached', () => {
		const reach = tianshu('seek', '--methodology', 'egdi', '--data', data, '--unit', 'China', '--rank', '30');
		expect(reach.code, reach.stderr).toBe(0);
		expect(JSON.parse(reach.stdout)).toMatchObject({ reachable: true, after: { rank: 30 } });
		const tooFar = tianshu('seek', '--methodology', 'egdi', '--data', data, '--unit', 'China', '--rank', '1', '--indicators', 'tii');
		expect(tooFar.code).toBe(3);
		expect(JSON.parse(tooFar.stdout).reachable).toBe(false);
		expect(tooFar.stderr).toContain('cannot reach the target');
	});

	it('refuses a broken methodology file with the path of the problem', () => {
		const file = path.join(dir, 'broken.json');
		writeFileSync(
			file,
			JSON.stringify({ id: 'x', name: 'x', root: { id: 'r', children: [{ id: 'a', column: 'a', normalisation: { kind: 'minMax', scale: [100, 0] } }] } })
		);
		const r = tianshu('compute', '--methodology', file, '--data', data);
		expect(r.code).toBe(1);
		expect(r.stderr).toContain('root.children.0.normalisation.scale');
	});
});
