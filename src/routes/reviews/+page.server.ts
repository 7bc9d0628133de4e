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
	try {
		const parentCode = adcode === 0 ? undefined : parentOf(adcode);
		const [region, parent, children, summary, rankings, queue, overdue, soon, topics, detail] = await Promise.all([
			// The nation is no row of the regions table (regions.get answers provinces and below).
			adcode === NATION.adcode ? NATION : caller.regions.get({ adcode }),
			parentCode === undefined ? null : caller.regions.get({ adcode: parentCode }).catch(() => null),
			levelOf(adcode) === 'county' ? [] : caller.regions.children({ adcode }),
			caller.reviews.summary({ adcode, from, to }),
			caller.reviews.rankings({ adcode, from, to, by: view.by }),
			caller.reviews.queue({ ...queueFilter, due: view.due, sort: view.sort, cursor: view.cursor || undefined, limit: PAGE_SIZE }),
			// The alerts' counts: whatever the filters, every open 差评 of the region.
			caller.reviews.queue({ adcode, due: 'overdue', limit: 1 }),
			caller.reviews.queue({ adcode, due: 'soon', limit: 1 }),
			caller.reviews.topics({ adcode, from, to }),
			view.review ? caller.reviews.timeline({ reviewId: view.review }).catch(() => null) : null
		]);
		// Reviews carry the item's code; its name is reference data (the service item catalogue), read once for the page.
		const codes = new Set([...queue.rows, ...(detail ? [detail.review] : [])].map((r) => r.itemCode));
		for (const t of topics.byItem) codes.add(t.item_code);
		for (const r of topics.recurring) codes.add(r.item_code);
		const itemNames = await readItemNames(serverContext(locals.principal), [...codes].slice(0, 500));
		const alerts: AlertRow[] = [];
		if (overdue.total) alerts.push({ key: 'overdue', level: 'alarm', text: `${overdue.total} 条差评已超过整改期限未整改`, at: null });
		if (soon.total) alerts.push({ key: 'soon', level: 'warn', text: `${soon.total} 条差评将在两个工作日内到期`, at: null });
		const spikes = queue.rows.filter((r) => r.spike);
		if (spikes.length)
			alerts.push({
				key: 'spike',
				level: 'warn',
				text: `差评突增：${[...new Set(spikes.map((r) => itemNames.get(r.itemCode) ?? r.itemCode))].join('、')}`,
				at: null
			});
		for (const r of topics.recurring.slice(0, 5))
			alerts.push({
				key: `recur-${r.item_code}-${r.topic}`,
				level: 'warn',
				text: `反复出现：${itemNames.get(r.item_code) ?? r.item_code} · ${topics.topicNames[r.topic] ?? r.topic}（30天内${r.count}次）`,
				at: r.lastTs
			});
		return {
			view,
			at,
			periodLabel: `${from.slice(5).replace('-', '月')}日–${to.slice(5).replace('-', '月')}日`,
			region: { adcode: region.adcode, name: region.name },
			parent: parent && summary.parentAdcode !== null ? { adcode: parent.adcode, name: parent.name } : null,
			children: children.map((c) => ({ adcode: c.adcode, name: c.name })),
			kpis: summary.figures.map(kpiOf),
			rankings: rankings.rows.map(rankRowOf),
			rankNote: rankings.unitNote,
			queue: {
				rows: queue.rows.map((r) => queueRowOf(r, queue.today, itemNames)),
				total: queue.total,
				overdue: overdue.total,
				dueSoon: soon.total,
				nextCursor: queue.next,
				truncated: queue.truncated
			},
			detail: detail ? { review: queueRowOf(detail.review, queue.today, itemNames), timeline: timelineOf(detail) } : null,
			topics: { rows: topicRows(topics, itemNames), unmatched: topics.unmatched.slice(0, 20), comments: topics.comments },
			alerts
		};
	} catch (e) {
		if (e instanceof TRPCError && e.code === 'FORBIDDEN') error(403, `无权查看该地区：${adcode}`);
		if (e instanceof TRPCError && (e.code === 'BAD_REQUEST' || e.code === 'NOT_FOUND')) error(400, e.message);
		log.error({ err: (e as Error).message, adcode }, 'reviews: workbench unavailable');
		error(503, '数据暂时不可用，请稍后刷新');
	}
}
