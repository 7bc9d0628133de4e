/**
 * A county has no child regions: the one rule for what the analysts' view shows
 * instead when a drill (map, bar, contributor, breadcrumb, a pivot cell) reaches a
 * county while the pivot or the breakdown is by region. The page applies it on
 * every navigation, so the URL says what is shown and no normal drill ends in the
 * server's 400 「区县没有下级地区」. Pure and browser-safe.
 */
import { levelOf } from '../regions/index.ts';
import { PIVOT_DIMENSION_LABELS, type BreakdownDimension, type PivotAxes, type PivotDimension, type ViewState } from './view-state.ts';

/** What replaces a region axis at a county, first the indicator has and the other axis does not use (time always exists). */
export const COUNTY_FALLBACK: readonly PivotDimension[] = ['item', 'department', 'channel', 'ticketType', 'topic', 'time'];

/**
 * The view as a county can show it (the same object when nothing needs to change):
 * a pivot axis by region becomes the first of COUNTY_FALLBACK that the indicator
 * has (`dimensions`, its catalogue entry's) and the other axis does not use — with
 * none left the pivot is dropped — and a breakdown by region becomes the first
 * such breakdown dimension (事项 when the indicator names none).
 */
export function atCounty(state: ViewState, dimensions: readonly string[]): ViewState {
	if (levelOf(state.region) !== 'county') return state;
	const has = (d: PivotDimension) => d === 'time' || dimensions.includes(d);
	let next = state;
	if (state.by === 'region') {
		const by = COUNTY_FALLBACK.find((d): d is BreakdownDimension => d !== 'time' && has(d)) ?? 'item';
		next = { ...next, by };
	}
	const p = state.pivot;
	if (p && (p.rows === 'region' || p.columns === 'region')) {
		const other = p.rows === 'region' ? p.columns : p.rows;
		const spare = COUNTY_FALLBACK.find((d) => d !== other && has(d));
		if (!spare) return { ...next, pivot: undefined };
		next = { ...next, pivot: p.rows === 'region' ? { ...p, rows: spare } : { ...p, columns: spare } };
	}
	return next;
}

/**
 * The note shown when a view's pivot went from `before` (at a region with children)
 * to `after` (at a county) by atCounty; '' when no axis fell back.
 */
export function countyFallbackNote(before: PivotAxes | undefined, after: PivotAxes | undefined): string {
	if (!before || (before.rows !== 'region' && before.columns !== 'region')) return '';
	if (!after) return '区县没有下级地区，透视表已取消，请重新选择列。';
	const axis = before.rows === 'region' ? '行' : '列';
	const to = before.rows === 'region' ? after.rows : after.columns;
	if (to === 'region') return '';
	return `区县没有下级地区，透视表的${axis}已由“地区”改为“${PIVOT_DIMENSION_LABELS[to]}”。`;
}
