/**
 * What the cockpit's panels carry, shared by the server that computes them and
 * the wall screen that draws them. Pure: no I/O.
 */
import type { EconomicDef, EconomicFigure } from '../indicators/economy.ts';

export const PANELS = ['header', 'kpis', 'economy', 'services', 'reviews', 'map', 'rankings', 'ticker'] as const;
export type PanelName = (typeof PANELS)[number];

/**
 * Panels that move slowly are recomputed at most this often, however fast data
 * arrives: statistics are released monthly, rankings are over 30 days, the header's
 * newest-case minute needs no more than a few updates a minute. The rest follow
 * every tick of the live hub. The server paces its topics by this and the wall
 * judges each panel's freshness by it.
 */
export const PANEL_MIN_INTERVAL_MS: Record<PanelName, number> = {
	header: 10_000,
	economy: 60_000,
	rankings: 60_000,
	reviews: 5_000,
	ticker: 5_000,
	services: 2_000,
	kpis: 0,
	map: 0
};

/** Indicators a map can be coloured by. */
export const MAP_INDICATORS = ['caseVolume', 'onTimeRate', 'positiveRate', 'ticketVolume'] as const;
export type MapIndicator = (typeof MAP_INDICATORS)[number];

export interface IndicatorLabel {
	code: string;
	nameZh: string;
	unit: string;
	polarity: 'positive' | 'negative';
	kind: 'count' | 'rate' | 'duration';
}

export interface RegionRef {
	adcode: number;
	name: string;
}

export interface HeaderPanel {
	region: RegionRef & { level: 'national' | 'province' | 'city' | 'county'; shortName: string };
	/** From the nation down to the region itself. */
	path: RegionRef[];
	children: RegionRef[];
	/** Newest event time stored (Beijing 'YYYY-MM-DD HH:MM:SS'), for 数据更新. */
	dataAsOf: string | null;
	/** The first-start history still loading (历史数据加载中 x/y 天); absent or null once it is in. */
	history?: { loadedDays: number; totalDays: number } | null;
}

export interface Kpi extends IndicatorLabel {
	value: number | null;
	/** 环比: against yesterday up to the same hour; percentage points for rates, % for counts. */
	dod: number | null;
	/** 同比: against the same day last year up to the same hour. */
	yoy: number | null;
	/** Yesterday's count up to the same hour, where a percentage says little (今日预警: 0 → 2 has none): shown as a difference. */
	before?: number | null;
}

export interface KpiPanel {
	/** [from, to) Beijing 'YYYY-MM-DDTHH:MM': today up to the end of the current hour. */
	window: { from: string; to: string };
	kpis: Kpi[];
}

export interface ServicesPanel {
	hours: string[];
	/** Cases submitted per hour today (null for hours still to come). */
	today: Array<number | null>;
	/** The same weekday last week. */
	lastWeek: number[];
	channels: Array<{ channel: string; nameZh: string; value: number }>;
	/** Processing time of cases completed in the last 7 days, in hours. */
	durations: Array<{ label: string; hours: number | null }>;
	completedToday: number;
	lateToday: number;
	onTimeRate: number | null;
}

/** 好差评 over the last 30 days (today's rate apart); the 差评 backlog as it stands. */
export interface ReviewsPanel {
	positiveRate: number | null;
	positiveRateToday: number | null;
	/** 差评 received in the last 30 days. */
	negative: number;
	/** 差评 not rectified yet, still within their deadline. */
	negativeWaiting: number;
	/** 差评 not rectified and past their deadline. */
	negativeLate: number;
	rectifiedRate: number | null;
	reasons: Array<{ tag: string; count: number }>;
}

export interface MapPanel {
	indicator: IndicatorLabel;
	/** The sub-regions (the region itself for a county), coloured by the indicator today. */
	regions: Array<RegionRef & { value: number | null }>;
	/** Where activity is now: cases in the last 15 minutes and tickets in the last hour, per county. */
	live: Array<{ adcode: number; cases: number; tickets: number }>;
	/** The map file: 'china', 'province/<code>' or 'city/<code>'. */
	geo: string;
}

export interface RankingRow extends RegionRef {
	score: number | null;
	rank: number | null;
	previousRank: number | null;
}

export interface RankingsPanel {
	index: { id: string; nameZh: string };
	period: string;
	rows: RankingRow[];
	/** A county's own row among its siblings (null for a province or city cockpit). */
	highlight: number | null;
}

export interface TickerItem {
	/** review: a 好差评 alert (a 差评 spike of an item or hall, 差评 past their deadline). */
	kind: 'warning' | 'anomaly' | 'review';
	severity: 'low' | 'medium' | 'high' | 'critical';
	ts: string;
	region: string;
	text: string;
}

export interface TickerPanel {
	items: TickerItem[];
}

export interface EconomyPanel {
	/** The region whose statistics are shown (a city without its own releases shows its province's). */
	region: RegionRef;
	year: number;
	lastRelease: string | null;
	indicators: Array<Omit<EconomicDef, 'target'> & EconomicFigure>;
}

export interface PanelData {
	header: HeaderPanel;
	kpis: KpiPanel;
	economy: EconomyPanel;
	services: ServicesPanel;
	reviews: ReviewsPanel;
	map: MapPanel;
	rankings: RankingsPanel;
	ticker: TickerPanel;
}

/** Change from `before` to `now`: percentage points for rates, per cent for counts. */
export function change(kind: IndicatorLabel['kind'], now: number | null, before: number | null): number | null {
	if (now === null || before === null) return null;
	if (kind === 'rate') return now - before;
	// Nothing then and nothing now is no change; something after nothing has no percentage.
	if (before === 0) return now === 0 ? 0 : null;
	return ((now - before) / before) * 100;
}
