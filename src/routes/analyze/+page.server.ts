import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { TRPCError } from '@trpc/server';
import { pinyin } from 'pinyin-pro';
import { createCaller } from '$lib/server/api/root';
import { serverContext } from '$lib/server/api/server-context';
import { geoOf } from '$lib/server/cockpit/panels/map';
import { inScope } from '$lib/server/scope';
import { createLogger } from '$lib/server/log/logger';
import { dataAsOf } from '$lib/server/queries/cockpit/freshness';
import { CATALOGUE } from '$lib/indicators/catalogue';
import { parentOf, levelOf, NATION } from '$lib/regions';
import { breakdownInput, contributionPeriods, parseViewState, seriesInput, toMs } from '$lib/analysis/view-state';
import type { CatalogueEntry } from '$lib/analysis/workbench';
import { beijingLocal, DAY_MS } from '$lib/time/beijing-time';

const log = createLogger('web');

const SOURCES: Record<string, string> = {
	case: '一体化政务服务平台 · 办件库（实时接入）',
	review: '政务服务“好差评”系统（实时接入）',
	ticket: '12345 政务服务便民热线平台（实时接入）'
};
const REVIEW_CODES = new Set(['positiveRate', 'negativeCount', 'reviewRate', 'rectifiedRate', 'overdueNegativeCount']);
const sourceOf = (code: string, dims: string[]) => (REVIEW_CODES.has(code) ? SOURCES.review! : dims.includes('ticketType') ? SOURCES.ticket! : SOURCES.case!);

/** The catalogue with each name's pinyin and initials, computed once here so the browser never loads a pinyin dictionary. */
let catalogue: CatalogueEntry[] | undefined;
function catalogueWithPinyin(): CatalogueEntry[] {
	catalogue ??= CATALOGUE.map((c) => ({
		code: c.code,
		nameZh: c.nameZh,
		nameEn: c.nameEn,
		unit: c.unit,
		polarity: c.polarity,
		kind: c.kind,
		definition: c.definition,
		source: sourceOf(c.code, c.dimensions),
		pinyin: pinyin(c.nameZh, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase(),
		initials: pinyin(c.nameZh, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase(),
		dimensions: [...c.dimensions]
	}));
	return catalogue;
}

/** Where a user's view opens: the nation if they see it, else their first region. */
function homeRegion(p: App.Locals['principal']): number {
	if (p?.kind === 'user' && !p.regions.includes(0) && p.regions.length) return p.regions[0]!;
	return 0;
}

type Caller = ReturnType<typeof createCaller>;

/** A panel's data or the reason it has none (one failing query never blanks the page). */
export type Panel<T> = { ok: true; data: T } | { ok: false; message: string };
async function panel<T>(what: string, run: () => Promise<T>): Promise<Panel<T>> {
	try {
		return { ok: true, data: await run() };
	} catch (e) {
		if (e instanceof TRPCError && (e.code === 'BAD_REQUEST' || e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND' || e.code === 'TOO_MANY_REQUESTS'))
			return { ok: false, message: e.message };
		log.error({ err: (e as Error).message, what }, 'analyze: panel unavailable');
		return { ok: false, message: '数据暂时不可用，请稍后重试' };
	}
}

async function regionChain(caller: Caller, adcode: number) {
	const chain: Array<{ adcode: number; name: string }> = [{ ...NATION }];
	const codes: number[] = [];
	for (let a: number | undefined = adcode; a; a = parentOf(a)) codes.unshift(a);
	for (const c of codes) {
		const r = await caller.regions.get({ adcode: c });
		chain.push({ adcode: r.adcode, name: r.name });
	}
	return chain;
}

export const load = (async ({ url, locals }) => {
	const now = Date.now();
	const home = homeRegion(locals.principal);
	const parsed = parseViewState(url.searchParams, { now, region: home });
	if (!parsed.ok) error(400, parsed.message);
	const view = parsed.state;
	const context = serverContext(locals.principal);
	const caller = createCaller(context);
	const filters = view.filters;
	const region = view.region;
	let crumbs: Array<{ adcode: number; name: string }>;
	try {
		crumbs = await regionChain(caller, region);
	} catch (e) {
		if (e instanceof TRPCError && e.code === 'FORBIDDEN') error(403, `无权查看该地区：${region}`);
		if (e instanceof TRPCError && e.code === 'NOT_FOUND') error(404, `没有该地区：${region}`);
		throw e;
	}
	const base = { from: view.from, to: view.to, filters };
	const parent = region === 0 ? undefined : (parentOf(region) ?? 0);
	const first = view.indicators[0]!;
	const county = levelOf(region) === 'county';
	const firstDims = CATALOGUE.find((c) => c.code === first)?.dimensions ?? [];
	// "What moved it" splits by the child regions and every dimension the indicator has, unless the view names its own.
	const dims = view.dimensions ?? [...(county ? [] : (['region'] as const)), ...firstDims];
	const periods = contributionPeriods(view);
	// The data's freshness for the brief (the feed's last minute), beside the panels' queries.
	const freshness = panel('freshness', () => dataAsOf(context, now));
	const [children, series, previous, breakdown, regional, siblings, contributions] = await Promise.all([
		panel('children', () => (county ? Promise.resolve([]) : caller.regions.children({ adcode: region }))),
		// The chart: the view's indicators at its grain, last year's line beside (its total is 同比's base).
		panel('series', () => caller.analyze.series({ ...seriesInput(view), compare: 'yoy' })),
		// 环比: the period before, of the same length.
		panel('previous', () => caller.analyze.series({ ...seriesInput(view), groupBy: [], compare: 'previousPeriod' })),
		panel('breakdown', () => caller.analyze.breakdown(breakdownInput(view))),
		// The map of the current level: the first indicator by child region.
		panel('regional', async () => (county ? null : view.by === 'region' ? null : caller.analyze.breakdown({ ...breakdownInput(view), by: 'region' }))),
		// Rank among the siblings and the parent's figure: the parent's breakdown by region.
		panel('siblings', async () =>
			parent === undefined ? null : caller.analyze.breakdown({ ...breakdownInput(view), region: parent, by: 'region', compare: 'none' })
		),
		panel('contributions', async () =>
			dims.length ? caller.analyze.contributions({ indicator: first, region, filters, base: periods.base, current: periods.current, by: [...dims] }) : null
		)
	]);
	const asOf = await freshness;
	return {
		now,
		home,
		dataAsOf: asOf.ok ? asOf.data : null,
		at: beijingLocal(now).slice(0, 16).replace('T', ' '),
		today: beijingLocal(now).slice(0, 10),
		spanDays: Math.round((toMs(view.to) - toMs(view.from)) / DAY_MS),
		view,
		query: url.search.replace(/^\?/, ''),
		catalogue: catalogueWithPinyin(),
		// A level above the user's regions is shown but not a link (its figures are not theirs to see).
		crumbs: crumbs.map((c) => ({ ...c, open: inScope(c.adcode, context.scope) })),
		level: levelOf(region),
		geo: levelOf(region) === 'county' ? null : geoOf(region),
		children,
		series,
		previous,
		breakdown,
		regional: view.by === 'region' ? breakdown : regional,
		siblings,
		contributions,
		periods,
		parentName: parent === undefined ? null : (crumbs.at(-2)?.name ?? '全国')
	};
}) satisfies PageServerLoad;
