import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { createCaller } from '$lib/server/api/root';
import { serverContext } from '$lib/server/api/server-context';
import { createLogger } from '$lib/server/log/logger';
import { Adcode, levelOf, NATION, parentOf } from '$lib/regions';
import { DAY_MS } from '$lib/time/beijing-time';
import { beijingDate, workingDaysBetween } from '$lib/time/working-days';
import { itemNames as readItemNames } from '$lib/server/queries/reviews/rankings';
import { parseView } from '$lib/reviews-ui/view-state';
import { dataOr, mapPanel, PANEL_UNAVAILABLE, settlePanel } from '$lib/components/desk/panel';
import type { AlertRow, KpiTile, QueueRow, RankRow, TimelineEntry, TopicRow } from '$lib/reviews-ui/model';

const log = createLogger('web');
const PAGE_SIZE = 20;

type Caller = ReturnType<typeof createCaller>;
type ApiQueueRow = Awaited<ReturnType<Caller['reviews']['queue']>>['rows'][number];
type ApiSummary = Awaited<ReturnType<Caller['reviews']['summary']>>;
type ApiRankings = Awaited<ReturnType<Caller['reviews']['rankings']>>;
type ApiTopics = Awaited<ReturnType<Caller['reviews']['topics']>>;
type ApiTimeline = Awaited<ReturnType<Caller['reviews']['timeline']>>;

/** A user's first region unless they see the nation: where the workbench opens. */
function homeRegion(p: App.Locals['principal']): number {
	if (p?.kind === 'user' && !p.regions.includes(0) && p.regions.length) return Number(p.regions[0]);
	return 0;
}

/** 同比 as the tile shows it: percentage points for rates, per cent for counts. */
function yoy(value: number | null, lastYear: number | null, unit: string): number | null {
	if (value === null || lastYear === null) return null;
	if (unit === '%') return value - lastYear;
	return lastYear === 0 ? null : ((value - lastYear) / lastYear) * 100;
}

function kpiOf(f: ApiSummary['figures'][number]): KpiTile {
	return {
		code: f.id,
		label: f.nameZh,
		kind: f.unit === '%' ? 'rate' : 'count',
		polarity: f.polarity > 0 ? 'positive' : 'negative',
		value: f.value,
		yoy: yoy(f.value, f.lastYear, f.unit),
		parent: f.parent,
		trend: f.day.map((d) => d.value),
		definition: f.definition
	};
}

function queueRowOf(r: ApiQueueRow, today: string, itemNames: Map<string, string>): QueueRow {
	const left = r.due === null ? null : r.due >= today ? workingDaysBetween(today, r.due) : -workingDaysBetween(r.due, today);
	return {
		reviewId: r.reviewId,
		caseId: r.caseId,
		receivedAt: r.receivedAt,
		channel: r.channel,
		item: itemNames.get(r.itemCode) ?? r.itemCode,
		department: r.department,
		rating: r.rating,
		tags: r.tags,
		comment: r.comment,
		state: r.state,
		deadline: r.due,
		// Rectified (or upheld) 差评 have no deadline left to count.
		workingDaysLeft: r.dueStatus === 'done' ? null : left,
		overdue: r.dueStatus === 'overdue',
		dueSoon: r.dueStatus === 'soon',
		alert: r.spike === true
	};
}

function rankRowOf(r: ApiRankings['rows'][number]): RankRow {
	return {
		key: r.unit,
		name: r.name,
		score: r.score,
		low: r.score,
		high: r.upper,
		reviews: r.reviews,
		rank: r.rank ?? 0,
		rankBest: r.rankRange?.[0] ?? r.rank ?? 0,
		rankWorst: r.rankRange?.[1] ?? r.rank ?? 0
	};
}

function timelineOf(t: ApiTimeline): TimelineEntry[] {
	return t.events.map((e) => ({
		at: e.at,
		kind: e.kind,
		label: e.labelZh,
		note: e.note,
		detail: [e.source, e.satisfaction !== null ? `回访满意度 ${e.satisfaction}/5` : ''].filter(Boolean).join(' · ') || undefined
	}));
}

function topicRows(t: ApiTopics, itemNames: Map<string, string>): TopicRow[] {
	const examples = new Map(t.topics.map((x) => [x.id, x.examples]));
	const name = (id: string) => t.topicNames[id] ?? id;
	const byItem = t.byItem.map((x) => ({
		unit: itemNames.get(x.item_code) ?? x.item_code,
		topic: name(x.topic),
		count: x.count,
		recurring: x.recurring,
		examples: examples.get(x.topic) ?? []
	}));
	// Recurring problems first, then the largest.
	return byItem.sort((a, b) => Number(b.recurring) - Number(a.recurring) || b.count - a.count).slice(0, 12);
}

/** Errors that concern the request itself (its region, the caller's scope): the whole page fails on them, as before. */
const REQUEST_ERRORS: ReadonlySet<TRPCError['code']> = new Set(['FORBIDDEN', 'BAD_REQUEST', 'NOT_FOUND']);
const requestError = (e: unknown) => e instanceof TRPCError && REQUEST_ERRORS.has(e.code);
/** A failed part of the workbench: a log line naming it; the page shows the rest. */
const logPanel = (adcode: number) => (panel: string, e: unknown) =>
	log.error({ err: (e as Error).message, code: e instanceof TRPCError ? e.code : undefined, adcode, panel }, 'reviews: panel unavailable');

export async function load({ url, locals }) {
	const view = parseView(url.searchParams);
	const adcode = view.adcode ?? homeRegion(locals.principal);
	if (!Adcode.safeParse(adcode).success) error(400, `地区代码无效：${adcode}（应为 0 表示全国，或六位行政区划代码）`);
	const caller = createCaller(serverContext(locals.principal));
	const at = Date.now();
	const to = beijingDate(at);
	const from = beijingDate(at - (Number(view.period) - 1) * DAY_MS);
	const queueFilter = {
		adcode,
		state: view.state || undefined,
		item: view.item || undefined,
		department: view.department || undefined,
		channel: (view.channel || undefined) as ApiQueueRow['channel'] | undefined
	} as Parameters<Caller['reviews']['queue']>[0];
	const onError = logPanel(adcode);
	const panel = <T>(name: string, work: () => Promise<T>) => settlePanel(name, work(), { fatal: requestError, onError });
	try {
		const parentCode = adcode === 0 ? undefined : parentOf(adcode);
		// Each part settles on its own: one failing (a warehouse hiccup, a refused query) shows in its place, the rest
		// of the workbench — above all the queue of 差评 to handle — still shows. The region itself is the page.
		const [region, parent, children, summary, rankings, queue, overdue, soon, topics, detail] = await Promise.all([
			// The nation is no row of the regions table (regions.get answers provinces and below).
			adcode === NATION.adcode ? NATION : caller.regions.get({ adcode }),
			parentCode === undefined ? null : caller.regions.get({ adcode: parentCode }).catch(() => null),
			panel('children', async () => (levelOf(adcode) === 'county' ? [] : caller.regions.children({ adcode }))),
			panel('summary', () => caller.reviews.summary({ adcode, from, to })),
			// The ranking's unit is this panel's own option: a unit the region has not (地区 below a county) is refused
			// in the panel, with the server's reason, not for the whole page.
			settlePanel('rankings', caller.reviews.rankings({ adcode, from, to, by: view.by }), {
				fatal: (e) => e instanceof TRPCError && e.code === 'FORBIDDEN',
				message: (e) => (e instanceof TRPCError && e.code === 'BAD_REQUEST' ? e.message : PANEL_UNAVAILABLE),
				onError
			}),
			panel('queue', () => caller.reviews.queue({ ...queueFilter, due: view.due, sort: view.sort, cursor: view.cursor || undefined, limit: PAGE_SIZE })),
			// The alerts' counts: whatever the filters, every open 差评 of the region.
			panel('overdue', () => caller.reviews.queue({ adcode, due: 'overdue', limit: 1 })),
			panel('soon', () => caller.reviews.queue({ adcode, due: 'soon', limit: 1 })),
			panel('topics', () => caller.reviews.topics({ adcode, from, to })),
			view.review ? caller.reviews.timeline({ reviewId: view.review }).catch(() => null) : null
		]);
		const queueData = dataOr(queue, null);
		const topicsData = dataOr(topics, null);
		// Reviews carry the item's code; its name is reference data (the service item catalogue), read once for the page.
		const codes = new Set([...(queueData?.rows ?? []), ...(detail ? [detail.review] : [])].map((r) => r.itemCode));
		for (const t of topicsData?.byItem ?? []) codes.add(t.item_code);
		for (const r of topicsData?.recurring ?? []) codes.add(r.item_code);
		// Without the catalogue the page shows item codes instead of names, rather than nothing.
		const itemNames = await readItemNames(serverContext(locals.principal), [...codes].slice(0, 500)).catch((e: unknown) => {
			onError('itemNames', e);
			return new Map<string, string>();
		});
		const today = queueData?.today ?? to;
		const alerts: AlertRow[] = [];
		// Alerts whose source failed are left out and named (a failed count is no "0 条").
		const alertGaps: string[] = [];
		if (overdue.ok && overdue.data.total) alerts.push({ key: 'overdue', level: 'alarm', text: `${overdue.data.total} 条差评已超过整改期限未整改`, at: null });
		if (!overdue.ok) alertGaps.push('超期差评');
		if (soon.ok && soon.data.total) alerts.push({ key: 'soon', level: 'warn', text: `${soon.data.total} 条差评将在两个工作日内到期`, at: null });
		if (!soon.ok) alertGaps.push('即将到期差评');
		const spikes = queueData?.rows.filter((r) => r.spike) ?? [];
		if (spikes.length)
			alerts.push({
				key: 'spike',
				level: 'warn',
				text: `差评突增：${[...new Set(spikes.map((r) => itemNames.get(r.itemCode) ?? r.itemCode))].join('、')}`,
				at: null
			});
		if (!queue.ok) alertGaps.push('差评突增');
		for (const r of topicsData?.recurring.slice(0, 5) ?? [])
			alerts.push({
				key: `recur-${r.item_code}-${r.topic}`,
				level: 'warn',
				text: `反复出现：${itemNames.get(r.item_code) ?? r.item_code} · ${topicsData!.topicNames[r.topic] ?? r.topic}（30天内${r.count}次）`,
				at: r.lastTs
			});
		if (!topics.ok) alertGaps.push('反复出现的问题');
		return {
			view,
			at,
			periodLabel: `${from.slice(5).replace('-', '月')}日–${to.slice(5).replace('-', '月')}日`,
			region: { adcode: region.adcode, name: region.name },
			// Without the summary the parent link still shows: regions.get already refused a parent outside the scope.
			parent: parent && (!summary.ok || summary.data.parentAdcode !== null) ? { adcode: parent.adcode, name: parent.name } : null,
			children: dataOr(children, []).map((c) => ({ adcode: c.adcode, name: c.name })),
			kpis: mapPanel(summary, (s) => s.figures.map(kpiOf)),
			rankings: mapPanel(rankings, (r) => ({ rows: r.rows.map(rankRowOf), note: r.unitNote })),
			queue: mapPanel(queue, (q) => ({
				rows: q.rows.map((r) => queueRowOf(r, q.today, itemNames)),
				total: q.total,
				nextCursor: q.next,
				truncated: q.truncated
			})),
			// The head's counts: null when their part failed (shown as 暂无法统计, never as 0).
			overdue: overdue.ok ? overdue.data.total : null,
			dueSoon: soon.ok ? soon.data.total : null,
			detail: detail ? { review: queueRowOf(detail.review, today, itemNames), timeline: timelineOf(detail) } : null,
			topics: mapPanel(topics, (t) => ({ rows: topicRows(t, itemNames), unmatched: t.unmatched.slice(0, 20), comments: t.comments })),
			alerts,
			alertGaps
		};
	} catch (e) {
		if (e instanceof TRPCError && e.code === 'FORBIDDEN') error(403, `无权查看该地区：${adcode}`);
		if (e instanceof TRPCError && (e.code === 'BAD_REQUEST' || e.code === 'NOT_FOUND')) error(400, e.message);
		log.error({ err: (e as Error).message, adcode }, 'reviews: workbench unavailable');
		error(503, '数据暂时不可用，请稍后刷新');
	}
}
