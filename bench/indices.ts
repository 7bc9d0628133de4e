/**
 * Index engine benchmark: Monte Carlo with 10 000 draws × 32 units × 30
 * indicators (Dirichlet weights), in Node and in a Web Worker in Chromium.
 * Goal: < 1 s in both.
 */
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { projectRoot } from '../src/lib/server/warehouse/embedded/spawn.ts';
import { monteCarlo } from '../src/lib/indices/simulate.ts';
import { syntheticEvaluation } from '../src/lib/indices/synthetic.ts';

const DRAWS = 10_000;
const UNITS = 32;
const INDICATORS = 30;

export async function benchIndices(): Promise<void> {
	console.log(`\n## Index engine — Monte Carlo, ${DRAWS.toLocaleString('en')} draws × ${UNITS} units × ${INDICATORS} indicators\n`);
	const { methodology, rows } = syntheticEvaluation(UNITS, INDICATORS);
	const options = { draws: DRAWS, seed: 1, weights: { kind: 'dirichlet', concentration: 50 } as const, topK: 10 };
	monteCarlo(methodology, rows, { ...options, draws: 500 }); // warm-up
	let nodeBest = Infinity;
	for (let i = 0; i < 3; i++) {
		const t = performance.now();
		monteCarlo(methodology, rows, options);
		nodeBest = Math.min(nodeBest, performance.now() - t);
	}

	// The same engine, bundled as a Web Worker, in Debian's Chromium.
	const bundle = await build({
		stdin: {
			contents: `import { monteCarlo } from './src/lib/indices/simulate.ts';
import { syntheticEvaluation } from './src/lib/indices/synthetic.ts';
self.onmessage = (e) => {
	const { methodology, rows } = syntheticEvaluation(${UNITS}, ${INDICATORS});
	monteCarlo(methodology, rows, { ...e.data, draws: 500 });
	let best = Infinity;
	for (let i = 0; i < 3; i++) {
		const t = performance.now();
		monteCarlo(methodology, rows, e.data);
		best = Math.min(best, performance.now() - t);
	}
	self.postMessage(best);
};`,
			resolveDir: projectRoot,
			loader: 'ts'
		},
		bundle: true,
		format: 'iife',
		write: false,
		platform: 'browser',
		logLevel: 'silent'
	});
	const code = bundle.outputFiles[0]!.text;
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
	let workerBest: number;
	try {
		const page = await browser.newPage();
		await page.setContent('<!doctype html><title>bench</title>');
		workerBest = await page.evaluate(
			([source, opts]) =>
				new Promise<number>((resolve, reject) => {
					const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
					worker.onmessage = (e) => resolve(e.data as number);
					worker.onerror = (e) => reject(new Error(e.message));
					worker.postMessage(opts);
				}),
			[code, options] as const
		);
	} finally {
		await browser.close();
	}
	console.log('| measure | best of 3 | goal |');
	console.log('|---|---|---|');
	console.log(`| Node ${process.version} | ${nodeBest.toFixed(0)} ms | < 1000 ms ${nodeBest < 1000 ? '✓' : '✗'} |`);
	console.log(`| Web Worker, Chromium (headless) | ${workerBest.toFixed(0)} ms | < 1000 ms ${workerBest < 1000 ? '✓' : '✗'} |`);
	console.log(`| the worker's bundle (engine, simulator, zod), unminified | ${(code.length / 1024).toFixed(0)} kB | |`);
}
