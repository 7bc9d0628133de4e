/**
 * `tianshu verify`: recounts every figure the cockpit serves for a region at an
 * instant from the raw event tables and compares (src/lib/server/queries/verify/).
 * Exit status 0 when every figure agrees, 1 when one differs, 2 on a usage error,
 * 3 when the check could not run.
 */
import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions } from './args.ts';
import { configOrExit, connectOrExit } from './warehouse-connect.ts';
import { Adcode } from '../lib/regions/index.ts';
import { beijingLocal } from '../lib/time/beijing-time.ts';
import { parseTimestamp } from '../lib/time/timestamps.ts';
import { AHEAD_MS } from '../lib/server/planner/request.ts';
import { NOT_COVERED, RELATIVE_TOLERANCE, verifyCockpit, type Figure, type VerifyReport } from '../lib/server/queries/verify/check.ts';
import type { Warehouse } from '../lib/server/warehouse/client.ts';

/** When no instant is given, figures that differ are checked once more after this pause (data still arriving). */
const RECHECK_AFTER_MS = 3000;

const show = (v: Figure['served']) => (v === null ? '—' : typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toPrecision(12))) : v);

function print(report: VerifyReport, regionName: string): void {
	const rows = report.figures.map((f) => [`${f.label} [${f.id}]`, show(f.served), show(f.recomputed), f.agree ? '一致' : '不一致', f.detail ?? '']);
	const width = (i: number) => Math.max(...rows.map((r) => displayWidth(r[i]!)), 4);
	const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - displayWidth(s)));
	console.log(`数据核验 ${regionName}（${report.adcode}） 时点 ${beijingLocal(report.at)}（北京时间）`);
	console.log(`${pad('指标', width(0))}  ${pad('接口值', width(1))}  ${pad('原始重算', width(2))}  结论`);
	for (const r of rows) console.log(`${pad(r[0]!, width(0))}  ${pad(r[1]!, width(1))}  ${pad(r[2]!, width(2))}  ${r[3]}${r[4] ? `  ${r[4]}` : ''}`);
	console.log(`未核验：${NOT_COVERED.map((n) => `${n.id}（${n.reason}）`).join('；')}`);
	console.log(`容差：仅浮点舍入，相对 ${RELATIVE_TOLERANCE}（计数须完全相等）`);
	console.log(`合计 ${report.figures.length} 项：一致 ${report.agreeing}，不一致 ${report.differing}${report.differing ? '  ✗ 核验未通过' : '  ✓ 核验通过'}`);
}

/** Columns a terminal gives a string: CJK and full-width characters take two. */
function displayWidth(s: string): number {
	let n = 0;
	for (const ch of s) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
	return n;
}

async function regionNameOf(warehouse: Warehouse, adcode: number): Promise<string> {
	if (adcode === 0) return '全国';
	const { regionName } = await import('../lib/server/queries/regions/index.ts');
	return (await regionName({ warehouse }, adcode)) ?? String(adcode);
}

export const verifyCommand: Command = {
	name: 'verify',
	summary: 'recount the cockpit figures from the raw events and compare',
	usage: `Usage: tianshu verify [--region ADCODE] [--at ISO-INSTANT] [--json]

数据核验: recounts every figure the cockpit serves for a region at an instant
straight from the raw event tables (each event id once, nothing after the instant)
and compares it with what the API serves for the same region and instant: KPIs
with 环比/同比, today's and last week's hourly series, channels, completions,
好差评 figures and the 差评 backlog, the map's values and live dots, rankings and
the feed's freshness. One line per figure: label [id], served, recounted,
一致/不一致. Values agree within float rounding only (relative ${RELATIVE_TOLERANCE}).

Options:
  --region ADCODE   0 for the nation (default), or a province, city or county code
  --at INSTANT      ISO 8601, e.g. 2025-06-01T10:30 (no offset = Beijing time) or
                    2025-06-01T02:30:00Z; within 400 days of now. Default: now, and
                    figures that differ are checked once more (data still arriving).
  --json            one JSON document instead of the table

Exit status: 0 every figure agrees, 1 a figure differs, 2 usage, 3 the check
could not run (warehouse, unknown region).`,
	async run(args) {
		const o = parseOptions(args, { region: { type: 'string', default: '0' }, at: { type: 'string' }, json: { type: 'boolean', default: false } });
		const region = Adcode.safeParse(/^\d{1,6}$/.test(o.region) ? Number(o.region) : Number.NaN);
		if (!region.success) throw new UsageError(`--region: 须为 0（全国）或六位行政区划代码，得到 '${o.region}'`);
		let at: number | undefined;
		if (o.at !== undefined) {
			at = parseTimestamp(o.at);
			if (Number.isNaN(at)) throw new UsageError(`--at: 不是 ISO 8601 时间：'${o.at}'`);
			if (Math.abs(at - Date.now()) > AHEAD_MS) throw new UsageError(`--at: 须在当前时间前后 400 天之内：'${o.at}'`);
		}
		const adcode = region.data;
		const warehouse = await connectOrExit(configOrExit());
		try {
			let report = await verifyCockpit({ warehouse, adcode, at: at ?? Date.now() });
			if (report.differing && at === undefined) {
				// Now is a moving target: events stored while the two sides were read differ by themselves. Once more, at a new now.
				await new Promise((r) => setTimeout(r, RECHECK_AFTER_MS));
				report = await verifyCockpit({ warehouse, adcode, at: Date.now() });
			}
			const name = await regionNameOf(warehouse, adcode);
			if (o.json) {
				console.log(
					JSON.stringify({
						...report,
						region: { adcode, name },
						atBeijing: beijingLocal(report.at),
						tolerance: { relative: RELATIVE_TOLERANCE },
						notCovered: NOT_COVERED,
						verdict: report.differing ? '不一致' : '一致'
					})
				);
			} else print(report, name);
			return report.differing ? 1 : 0;
		} catch (e) {
			// A refusal the API explains (an unknown region, a bad instant) or a warehouse failure: a line, not a stack.
			console.error(`tianshu verify: 无法核验：${(e as Error).message}`);
			return 3;
		} finally {
			await warehouse.close();
		}
	}
};
