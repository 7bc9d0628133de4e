/**
 * The evaluators' workbench (issue 16): the time from an input edit to updated
 * ranks on the what-if path the page uses (the engine's whatIf, 32 units × 30
 * indicators; goal < 50 ms) in Node and on Chromium's main thread, and the Monte
 * Carlo at 10 000 draws in the page's own Web Worker (src/lib/evaluate/mc-worker.ts;
 * goal < 1 s), with the rank sensitivity to the weights after it.
 */
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { projectRoot } from '../src/lib/server/warehouse/embedded/spawn.ts';
import { whatIf } from '../src/lib/indices/simulate.ts';
import { syntheticEvaluation } from '../src/lib/indices/synthetic.ts';

const UNITS = 32;
const INDICATORS = 30;
const DRAWS = 10_000;
const SENSITIVITY_DRAWS = 2_000;
/** Slider positions of one simulated drag. */
const STEPS = 60;

function quantile(sorted: number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/** One drag: indicator x3 of unit5 through STEPS values, the ranks recomputed at each. */
function dragTimes(): number[] {
	const { methodology, rows } = syntheticEvaluation(UNITS, INDICATORS);
	whatIf(methodology, rows, { values: { unit5: { x3: 50 } } }); // warm-up
	const times: number[] = [];
	for (let s = 0; s < STEPS; s++) {
		const t = performance.now();
		const r = whatIf(methodology, rows, { values: { unit5: { x3: 20 + s } }, weights: { g1: 2 + s / 30 } });
		if (r.changes.length !== UNITS) throw new Error('what-if lost units');
		times.push(performance.now() - t);
	}
	return times.sort((a, b) => a - b);
}

const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

async function bundle(contents: string): Promise<string> {
	const out = await build({
		stdin: { contents, resolveDir: projectRoot, loader: 'ts' },
		bundle: true,
		format: 'iife',
		write: false,
		platform: 'browser',
		logLevel: 'silent',
		alias: { $lib: path.join(projectRoot, 'src/lib') }
	});
	return out.outputFiles[0]!.text;
}

export async function benchEvaluate(): Promise<void> {
	console.log(`\n## Evaluators' workbench — what-if and Monte Carlo, ${UNITS} units × ${INDICATORS} indicators\n`);
	const node = dragTimes();

	const dragScript = await bundle(`import { whatIf } from './src/lib/indices/simulate.ts';
import { syntheticEvaluation } from './src/lib/indices/synthetic.ts';
globalThis.drag = () => {
	const { methodology, rows } = syntheticEvaluation(${UNITS}, ${INDICATORS});
	whatIf(methodology, rows, { values: { unit5: { x3: 50 } } });
	const times = [];
	for (let s = 0; s < ${STEPS}; s++) {
		const t = performance.now();
		whatIf(methodology, rows, { values: { unit5: { x3: 20 + s } }, weights: { g1: 2 + s / 30 } });
		times.push(performance.now() - t);
	}
	return times.sort((a, b) => a - b);
};`);
	// The page's own worker entry, and the job as the page posts it.
	const workerScript = await bundle(`import './src/lib/evaluate/mc-worker.ts';`);
	// Posts the job to a fresh worker (as the page starts one) and times it to the result, as the page sees it.
	const runnerScript = await bundle(`globalThis.runWorker = async (source, request, sensitivityDraws) => {
	const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
	const run = (extra) =>
		new Promise((resolve, reject) => {
			const w = new Worker(url);
			let progress = 0;
			const t = performance.now();
			w.onmessage = (e) => {
				if (e.data.type === 'progress') progress++;
				else if (e.data.type === 'done') {
					resolve({ ms: performance.now() - t, progress });
					w.terminate();
				} else if (e.data.type === 'error') reject(new Error(e.data.message));
			};
			w.onerror = (e) => reject(new Error(e.message));
			w.postMessage({ ...request, ...extra });
		});
	await run({ options: { ...request.options, draws: 500 } });
	const draws = [];
	const withSensitivity = [];
	let progress = 0;
	for (let i = 0; i < 3; i++) {
		const r = await run({});
		draws.push(r.ms);
		progress = r.progress;
	}
	for (let i = 0; i < 3; i++) withSensitivity.push((await run({ sensitivityDraws })).ms);
	return { draws: draws.sort((a, b) => a - b), withSensitivity: withSensitivity.sort((a, b) => a - b), progress };
};`);
	const { methodology, rows } = syntheticEvaluation(UNITS, INDICATORS);
	const job = { type: 'run', id: 1, methodology, rows, options: { draws: DRAWS, seed: 1, weights: { kind: 'dirichlet', concentration: 50 }, topK: 10 } };

	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
	let browserDrag: number[];
	let worker: { draws: number[]; withSensitivity: number[]; progress: number };
	try {
		const page = await browser.newPage();
		await page.setContent('<!doctype html><title>bench</title>');
		await page.addScriptTag({ content: dragScript });
		browserDrag = await page.evaluate(() => (globalThis as unknown as { drag: () => number[] }).drag());
		await page.addScriptTag({ content: runnerScript });
		worker = await page.evaluate(
			([source, request, sensitivityDraws]) =>
				(
					globalThis as unknown as {
						runWorker: (s: string, r: unknown, d: number) => Promise<{ draws: number[]; withSensitivity: number[]; progress: number }>;
					}
				).runWorker(source, request, sensitivityDraws),
			[workerScript, job, SENSITIVITY_DRAWS] as const
		);
	} finally {
		await browser.close();
	}
	const ms = (v: number) => `${v.toFixed(1)} ms`;
	const mark = (v: number, goal: number) => (v < goal ? '✓' : '✗');
	console.log('| measure | median | p95 / best of 3 | goal |');
	console.log('|---|---|---|---|');
	console.log(
		`| edit → ranks (whatIf), Node ${process.version}, ${STEPS} slider steps | ${ms(quantile(node, 0.5))} | p95 ${ms(quantile(node, 0.95))} | < 50 ms ${mark(quantile(node, 0.95), 50)} |`
	);
	console.log(
		`| edit → ranks (whatIf), Chromium main thread, ${STEPS} slider steps | ${ms(quantile(browserDrag, 0.5))} | p95 ${ms(quantile(browserDrag, 0.95))} | < 50 ms ${mark(quantile(browserDrag, 0.95), 50)} |`
	);
	console.log(
		`| Monte Carlo ${DRAWS.toLocaleString('en')} draws in the page's Web Worker (post → result, ${worker.progress} progress messages) | ${ms(worker.draws[1]!)} | best ${ms(worker.draws[0]!)} | < 1000 ms ${mark(worker.draws[0]!, 1000)} |`
	);
	console.log(
		`| the same + rank sensitivity to the weights (${SENSITIVITY_DRAWS.toLocaleString('en')} draws) | ${ms(worker.withSensitivity[1]!)} | best ${ms(worker.withSensitivity[0]!)} | |`
	);
	console.log(`| the worker's bundle, unminified | ${(workerScript.length / 1024).toFixed(0)} kB | | |`);
}
