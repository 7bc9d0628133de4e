/**
 * The analysts' workbench's pure logic, shared by the page and its tests: the
 * indicator search (Chinese, pinyin, initials), the filter chips of a view,
 * adding and removing a filter (cross-filtering), a change between two periods
 * the way bulletins state it, and a region's rank among its siblings. No I/O.
 */
import type { BreakdownDimension, FilterDimension, Filters, ViewState } from '$lib/analysis/view-state';
import type { Chip } from '$lib/components/desk/types';

export interface CatalogueEntry {
	code: string;
	nameZh: string;
	nameEn: string;
	unit: string;
	polarity: 'positive' | 'negative';
	kind: 'count' | 'rate' | 'duration';
	definition: string;
	source: string;
	/** Full pinyin without tones or spaces ('anshibanjielv'), computed on the server. */
	pinyin: string;
	/** Pinyin initials ('asbjl'). */
	initials: string;
	dimensions: string[];
}

/** Catalogue entries matching a query typed in Chinese, pinyin (with or without spaces), initials, the code or English; best first. */
export function searchIndicators(entries: readonly CatalogueEntry[], query: string): CatalogueEntry[] {
	const q = query.trim().toLowerCase().replace(/\s+/g, '');
	if (!q) return [...entries];
	const score = (e: CatalogueEntry): number => {
		if (e.nameZh.includes(q)) return e.nameZh.startsWith(q) ? 0 : 1;
		if (e.initials.startsWith(q)) return 2;
		if (e.pinyin.startsWith(q)) return 3;
		if (e.initials.includes(q)) return 4;
		if (e.pinyin.includes(q)) return 5;
		if (e.code.toLowerCase().includes(q) || e.nameEn.toLowerCase().includes(q)) return 6;
		return -1;
	};
	return entries
		.map((e) => ({ e, s: score(e) }))
		.filter((x) => x.s >= 0)
		.sort((a, b) => a.s - b.s)
		.map((x) => x.e);
}

export const CHANNEL_LABELS: Record<string, string> = { counter: '窗口', web: '网厅', mobile: '移动端', kiosk: '自助终端', hotline: '12345' };
export const TICKET_TYPE_LABELS: Record<string, string> = { complaint: '投诉', request: '求助', advice: '建议', inquiry: '咨询', praise: '表扬' };
export const FILTER_LABELS: Record<FilterDimension, string> = { department: '部门', item: '事项', channel: '渠道', ticketType: '12345类型', topic: '诉求主题' };

/** How a dimension's value reads on screen (channels and ticket types by their Chinese names; item codes by the name the page knows). */
export function valueLabel(dim: BreakdownDimension, value: string, names: Record<string, string> = {}): string {
	if (dim === 'channel') return CHANNEL_LABELS[value] ?? value;
	if (dim === 'ticketType') return TICKET_TYPE_LABELS[value] ?? value;
	return names[value] ?? value;
}

/** One chip per filter value, keyed `dimension=value`. */
export function filterChips(filters: Filters, names: Record<string, string> = {}): Chip[] {
	const chips: Chip[] = [];
	for (const [dim, values] of Object.entries(filters) as Array<[FilterDimension, string[] | undefined]>)
		for (const v of values ?? []) chips.push({ key: `${dim}=${v}`, label: FILTER_LABELS[dim], value: valueLabel(dim, v, names) });
	return chips;
}

/** The view with one more filter value (a click on a bar, a row, a contributor); the same view if it is there already. */
export function withFilter(state: ViewState, dim: FilterDimension, value: string): ViewState {
	const current = state.filters[dim] ?? [];
	if (current.includes(value)) return state;
	return { ...state, filters: { ...state.filters, [dim]: [...current, value] } };
}

/** The view without the filter value of a chip key (`dimension=value`). */
export function withoutFilter(state: ViewState, chipKey: string): ViewState {
	const at = chipKey.indexOf('=');
	const dim = chipKey.slice(0, at) as FilterDimension;
	const value = chipKey.slice(at + 1);
	const rest = (state.filters[dim] ?? []).filter((v) => v !== value);
	const filters = { ...state.filters };
	if (rest.length) (filters as Record<string, string[]>)[dim] = rest;
	else delete filters[dim];
	return { ...state, filters };
}

/**
 * A change as bulletins state it: percentage points for rates, per cent for
 * counts and durations; null when either side is missing or the base is zero.
 */
export function changeOf(kind: CatalogueEntry['kind'], current: number | null | undefined, base: number | null | undefined): number | null {
	if (current === null || current === undefined || base === null || base === undefined) return null;
	if (kind === 'rate') return current - base;
	if (base === 0) return null;
	return ((current - base) / Math.abs(base)) * 100;
}

/** Rank of one unit among its siblings, 1 = best by the indicator's polarity; ties share the better rank. */
export function rankAmong(
	values: ReadonlyArray<{ adcode: number; value: number | null }>,
	adcode: number,
	polarity: 'positive' | 'negative'
): { rank: number; of: number } | null {
	const ranked = values.filter((v) => v.value !== null) as Array<{ adcode: number; value: number }>;
	const mine = ranked.find((v) => v.adcode === adcode);
	if (!mine) return null;
	const better = ranked.filter((v) => (polarity === 'positive' ? v.value > mine.value : v.value < mine.value)).length;
	return { rank: better + 1, of: ranked.length };
}
