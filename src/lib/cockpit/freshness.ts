/**
 * Is each panel of a wall still live? The live hub recomputes every watched topic
 * at least once per ceiling (and a slow panel once per its minimum interval), and
 * each value carries the instant it was computed. A panel whose newest value is
 * much older than that has a topic that keeps failing (the warehouse is away, a
 * query breaks): the wall says so on that panel instead of showing a green
 * freshness marker over numbers that stopped. Pure: runs in the browser and tests.
 */
import { PANEL_MIN_INTERVAL_MS, type PanelName } from './model.ts';

/** The hub's default ceiling (TIANSHU_LIVE_CEILING_MS): every topic is recomputed at least this often. */
export const DEFAULT_CEILING_MS = 15_000;
/** Slack for a slow query and the stream's delivery before a panel counts as stopped. */
const GRACE_MS = 15_000;

/** How old a panel's newest value may be before the wall calls it stopped. */
export function staleAfterMs(panel: PanelName, ceilingMs = DEFAULT_CEILING_MS): number {
	return 2 * Math.max(ceilingMs, PANEL_MIN_INTERVAL_MS[panel]) + GRACE_MS;
}

/** Since when each stopped panel has had no new value (epoch ms of its newest value); live panels are absent. */
export function stoppedPanels(computedAt: Partial<Record<PanelName, number>>, now: number, ceilingMs = DEFAULT_CEILING_MS): Partial<Record<PanelName, number>> {
	const stopped: Partial<Record<PanelName, number>> = {};
	for (const [panel, at] of Object.entries(computedAt) as Array<[PanelName, number]>) {
		if (now - at > staleAfterMs(panel, ceilingMs)) stopped[panel] = at;
	}
	return stopped;
}
