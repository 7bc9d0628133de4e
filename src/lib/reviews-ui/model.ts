/**
 * What the 好差评 workbench's panels show, independent of how the server shapes
 * its answers (the page maps the reviews router's outputs into these), and the
 * pure wording the panels and their screen-reader text share.
 */
import { formatChange, formatCount, formatRate } from '$lib/format/number';

export interface KpiTile {
	code: string;
	label: string;
	kind: 'rate' | 'count';
	polarity: 'positive' | 'negative';
	value: number | null;
	/** 同比: percentage points for rates, per cent for counts. */
	yoy: number | null;
	/** The parent region's value for the same period (null at the top of the caller's scope). */
	parent: number | null;
	/** The trend over the period, oldest first (null = no data that day). */
	trend: (number | null)[];
	definition: string;
}

export interface RankRow {
	key: string;
	name: string;
	/** The index (the interval's point), and its interval. */
	score: number | null;
	low: number | null;
	high: number | null;
	reviews: number;
	rank: number;
	/** The best and worst rank the interval allows. */
	rankBest: number;
	rankWorst: number;
}

export interface QueueRow {
	reviewId: string;
	caseId: string;
	receivedAt: number;
	channel: string;
	item: string;
	department: string;
	rating: number;
	tags: string[];
	comment: string;
	state: string;
	/** The deadline (Beijing date) and the working days left (negative = overdue by that many). */
	deadline: string | null;
	workingDaysLeft: number | null;
	overdue: boolean;
	dueSoon: boolean;
	/** An alert names this review (a spike of its item or hall). */
	alert: boolean;
}

export interface TimelineEntry {
	at: number;
	kind: string;
	label: string;
	note: string;
	detail?: string;
}

export interface TopicRow {
	unit: string;
	topic: string;
	count: number;
	recurring: boolean;
	examples: string[];
}

export interface AlertRow {
	key: string;
	level: 'warn' | 'alarm';
	text: string;
	at: number | null;
}

export const RATING_LABELS: Readonly<Record<number, string>> = { 1: '非常不满意', 2: '不满意', 3: '基本满意', 4: '满意', 5: '非常满意' };

export function formatKpiValue(t: Pick<KpiTile, 'kind' | 'value'>): string {
	return t.kind === 'rate' ? formatRate(t.value) : formatCount(t.value);
}

/** The change against last year as the tile shows it: arrow and sign in text, and whether it is good news. */
export function yoyText(t: Pick<KpiTile, 'kind' | 'yoy' | 'polarity'>): { text: string; arrow: string; good: boolean | null; spoken: string } {
	const c = formatChange(t.kind, t.yoy, t.polarity);
	if (c.arrow === '—') return { ...c, text: c.text === '—' ? '无同比' : `同比${c.text}`, spoken: c.text === '—' ? '无去年同期数据' : `同比${c.text}` };
	const sign = c.arrow === '▲' ? '+' : '−';
	const spokenUnit = t.kind === 'rate' ? c.text.replace('个点', '个百分点') : c.text;
	return { ...c, text: `同比 ${sign}${c.text}`, spoken: `同比${c.arrow === '▲' ? '上升' : '下降'}${spokenUnit}（${c.good ? '向好' : '变差'}）` };
}

/** The whole tile as one sentence for screen readers. */
export function kpiSpoken(t: KpiTile, parentName: string | null): string {
	const parts = [`${t.label} ${formatKpiValue(t)}`, yoyText(t).spoken];
	if (parentName && t.parent !== null) parts.push(`${parentName} ${formatKpiValue({ kind: t.kind, value: t.parent })}`);
	return parts.join('，');
}

/** The deadline badge of a queue row: text first, colour only repeats it. */
export function deadlineBadge(r: Pick<QueueRow, 'overdue' | 'dueSoon' | 'workingDaysLeft'>): { text: string; tone: 'alarm' | 'warn' | 'plain' } {
	if (r.workingDaysLeft === null) return { text: '—', tone: 'plain' };
	if (r.overdue) return { text: `已超期${Math.max(1, -r.workingDaysLeft)}个工作日`, tone: 'alarm' };
	if (r.dueSoon) return { text: r.workingDaysLeft === 0 ? '今日到期' : `${r.workingDaysLeft}个工作日内到期`, tone: 'warn' };
	return { text: `剩${r.workingDaysLeft}个工作日`, tone: 'plain' };
}

/** The rank as the ranking shows it: a range where the interval allows several places. */
export function rankText(r: Pick<RankRow, 'rank' | 'rankBest' | 'rankWorst'>): string {
	return r.rankBest === r.rankWorst ? `第${r.rank}名` : `第${r.rankBest}–${r.rankWorst}名`;
}
