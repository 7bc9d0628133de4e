// Screenshots (1920×1080) of the cockpit scenes of two running products at one frozen instant, then a pixel diff
// drawn in Chromium itself (no PNG library): node scripts/cockpit-compare/compare.mjs <before URL> <after URL> [out dir] [ISO instant]
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const [beforeUrl, afterUrl, out = 'test-results/cockpit-compare', at = '2026-11-29T02:30:00Z'] = process.argv.slice(2);
const targets = { before: beforeUrl, after: afterUrl };
mkdirSync(out, { recursive: true });
const views = [
	['overview', 0],
	['economy', 0],
	['services', 0],
	['reviews', 0],
	['hotline', 0],
	['overview', 440000],
	['overview', 440300]
];
const CHARTS = ['hourly', 'channels', 'durations', 'satisfaction-gauge', 'economy-trend', 'map', 'kpis', 'rankings-list', 'ticker'];
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--enable-unsafe-swiftshader',
		'--use-angle=swiftshader',
		'--disable-quic',
		'--no-first-run',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync'
	]
});

for (const [name, base] of Object.entries(targets)) {
	for (const [scene, adcode] of views) {
		const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
		const page = await ctx.newPage();
		await page.clock.setFixedTime(new Date(at));
		await page.goto(`${base}/cockpit?adcode=${adcode}&scene=${scene}&rotate=0`);
		for (const id of CHARTS) {
			try {
				await page.getByTestId(id).first().waitFor({ state: 'attached', timeout: 30000 });
				await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-ready') === 'true', id, { timeout: 30000 });
			} catch (e) {
				console.log(name, scene, adcode, 'not ready:', id);
			}
		}
		await page.waitForTimeout(4000);
		await page.screenshot({ path: `${out}/${name}-${scene}-${adcode}.png` });
		await ctx.close();
		console.log('shot', name, scene, adcode);
	}
}
// Pixel diff: both images on canvases in Chromium.
const page = await browser.newPage();
for (const [scene, adcode] of views) {
	const a = readFileSync(`${out}/before-${scene}-${adcode}.png`).toString('base64');
	const b = readFileSync(`${out}/after-${scene}-${adcode}.png`).toString('base64');
	const r = await page.evaluate(
		async ([a, b]) => {
			const load = (s) =>
				new Promise((res) => {
					const i = new Image();
					i.onload = () => res(i);
					i.src = 'data:image/png;base64,' + s;
				});
			const [ia, ib] = await Promise.all([load(a), load(b)]);
			const w = ia.width,
				h = ia.height;
			const get = (img) => {
				const c = document.createElement('canvas');
				c.width = w;
				c.height = h;
				const x = c.getContext('2d');
				x.drawImage(img, 0, 0);
				return x.getImageData(0, 0, w, h);
			};
			const da = get(ia),
				db = get(ib);
			const c = document.createElement('canvas');
			c.width = w;
			c.height = h;
			const x = c.getContext('2d');
			const out = x.createImageData(w, h);
			let diff = 0;
			let minX = w,
				minY = h,
				maxX = -1,
				maxY = -1;
			for (let i = 0; i < da.data.length; i += 4) {
				const d = da.data[i] !== db.data[i] || da.data[i + 1] !== db.data[i + 1] || da.data[i + 2] !== db.data[i + 2];
				const p = i / 4,
					px = p % w,
					py = Math.floor(p / w);
				if (d) {
					diff++;
					if (px < minX) minX = px;
					if (py < minY) minY = py;
					if (px > maxX) maxX = px;
					if (py > maxY) maxY = py;
				}
				const g = (da.data[i] + da.data[i + 1] + da.data[i + 2]) / 12;
				out.data[i] = d ? 255 : g;
				out.data[i + 1] = d ? 0 : g;
				out.data[i + 2] = d ? 0 : g;
				out.data[i + 3] = 255;
			}
			x.putImageData(out, 0, 0);
			return { w, h, wb: ib.width, hb: ib.height, diff, box: diff ? [minX, minY, maxX, maxY] : null, png: c.toDataURL('image/png').split(',')[1] };
		},
		[a, b]
	);
	writeFileSync(`${out}/diff-${scene}-${adcode}.png`, Buffer.from(r.png, 'base64'));
	console.log(JSON.stringify({ scene, adcode, size: [r.w, r.h, r.wb, r.hb], differingPixels: r.diff, box: r.box }));
}
await browser.close();
