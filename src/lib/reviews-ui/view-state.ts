/**
 * The 好差评 workbench's state in the URL: region, period, the ranking's unit, the
 * queue's filters, sort and page, and the review whose timeline is open. A link
 * restores the view; back and forward walk it. Pure: parsing never throws — a value
 * the page does not know falls back to its default (a hand-edited link still opens).
 */
import { STATE_LABELS, type ReviewState } from '$lib/reviews/state';

export const PERIODS = [
	{ value: '7', label: '近7天' },
	{ value: '30', label: '近30天' },
	{ value: '90', label: '近90天' }
] as const;
export type Period = (typeof PERIODS)[number]['value'];

export const RANK_BY = [
	{ value: 'department', label: '部门' },
	{ value: 'item', label: '事项' },
	{ value: 'hall', label: '大厅' },
	{ value: 'region', label: '地区' }
] as const;
export type RankBy = (typeof RANK_BY)[number]['value'];

export const DUE = [
	{ value: 'all', label: '全部' },
	{ value: 'overdue', label: '已超期' },
	{ value: 'soon', label: '两个工作日内到期' }
] as const;
export type Due = (typeof DUE)[number]['value'];

/**
 * Handling states of a 差评 as the queue shows them (src/lib/reviews/state.ts: 核实 → 整改 → 回访;
 * an open or upheld 申诉; an overturned appeal shows the stage it went back to). '' = every state.
 */
export const STATES = (Object.keys(STATE_LABELS) as ReviewState[]).map((value) => ({ value, label: STATE_LABELS[value] }));
export type QueueState = ReviewState;

export const SORTS = [
	{ value: 'deadline', label: '截止日期（最早在前）' },
	{ value: 'newest', label: '收到时间（最新在前）' },
	{ value: 'oldest', label: '收到时间（最早在前）' },
	{ value: 'rating', label: '评分（最低在前）' }
] as const;
export type Sort = (typeof SORTS)[number]['value'];

/** The contract's channels (ingest/contract/events.ts CHANNELS) by the names the cockpit uses. */
export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
	counter: '窗口',
	web: '网厅',
	mobile: '移动端',
	kiosk: '自助终端',
	hotline: '12345'
};

export interface ReviewsView {
	/** The region (0 = the nation); null = the caller's home region, decided by the server. */
	adcode: number | null;
	period: Period;
	by: RankBy;
	state: QueueState | '';
	due: Due;
	item: string;
	department: string;
	channel: string;
	sort: Sort;
	/** The keyset cursor of the queue page shown ('' = the first page). */
	cursor: string;
	/** The review whose timeline is open ('' = none). */
	review: string;
}

export const DEFAULT_VIEW: ReviewsView = {
	adcode: null,
	period: '30',
	by: 'department',
	state: '',
	due: 'all',
	item: '',
	department: '',
	channel: '',
	sort: 'deadline',
	cursor: '',
	review: ''
};

const pick = <T extends string>(options: readonly { value: T }[], raw: string | null, fallback: T): T =>
	options.find((o) => o.value === raw)?.value ?? fallback;

/** Free text from a link: trimmed and bounded (the server validates again). */
const text = (raw: string | null, max = 128): string => (raw ?? '').trim().slice(0, max);

export function parseView(params: URLSearchParams): ReviewsView {
	const rawAdcode = params.get('adcode');
	const adcode = rawAdcode !== null && /^\d{1,6}$/.test(rawAdcode) ? Number(rawAdcode) : null;
	return {
		adcode,
		period: pick(PERIODS, params.get('period'), DEFAULT_VIEW.period),
		by: pick(RANK_BY, params.get('by'), DEFAULT_VIEW.by),
		state: params.get('state') === '' ? '' : pick<QueueState | ''>(STATES, params.get('state'), ''),
		due: pick(DUE, params.get('due'), DEFAULT_VIEW.due),
		item: text(params.get('item')),
		department: text(params.get('department')),
		channel: Object.hasOwn(CHANNEL_LABELS, params.get('channel') ?? '') ? params.get('channel')! : '',
		sort: pick(SORTS, params.get('sort'), DEFAULT_VIEW.sort),
		cursor: text(params.get('cursor'), 512),
		review: text(params.get('review'))
	};
}

/** The query string of a view: only what differs from the defaults, in a fixed order (one view, one link). */
export function viewSearch(view: ReviewsView): string {
	const p = new URLSearchParams();
	for (const key of Object.keys(DEFAULT_VIEW) as (keyof ReviewsView)[]) {
		const v = view[key];
		if (v !== DEFAULT_VIEW[key] && v !== null) p.set(key, String(v));
	}
	const s = p.toString();
	return s ? `?${s}` : '';
}

/** What changes the queue's rows: a change to any of these starts again at the first page. */
const QUEUE_KEYS: readonly (keyof ReviewsView)[] = ['adcode', 'period', 'state', 'due', 'item', 'department', 'channel', 'sort'];

/** The view after a change: a new filter or sort drops the page cursor (the old cursor belongs to the old order). */
export function changeView(view: ReviewsView, patch: Partial<ReviewsView>): ReviewsView {
	const next = { ...view, ...patch };
	if (!('cursor' in patch) && QUEUE_KEYS.some((k) => k in patch && patch[k] !== view[k])) next.cursor = '';
	return next;
}

/** The filters that are set, as removable chips (what, its value, and the patch that removes it). */
export function activeFilters(view: ReviewsView): { key: string; label: string; value: string; clear: Partial<ReviewsView> }[] {
	const chips: { key: string; label: string; value: string; clear: Partial<ReviewsView> }[] = [];
	if (view.state) chips.push({ key: 'state', label: '状态', value: STATES.find((s) => s.value === view.state)!.label, clear: { state: '' } });
	if (view.due !== 'all') chips.push({ key: 'due', label: '期限', value: DUE.find((d) => d.value === view.due)!.label, clear: { due: 'all' } });
	if (view.item) chips.push({ key: 'item', label: '事项', value: view.item, clear: { item: '' } });
	if (view.department) chips.push({ key: 'department', label: '部门', value: view.department, clear: { department: '' } });
	if (view.channel) chips.push({ key: 'channel', label: '渠道', value: CHANNEL_LABELS[view.channel]!, clear: { channel: '' } });
	return chips;
}
