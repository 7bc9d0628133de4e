/**
 * The first-start history's state for the cockpit's banner (历史数据加载中 x/y 天):
 * `tianshu start` writes the range and how far it is written to a progress file
 * (TIANSHU_HISTORY_PROGRESS); the warehouse says how far it is stored. Loading
 * ends when the file says done and the warehouse holds the range's last day.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DAY_MS, BEIJING_OFFSET_MS } from '../../time/beijing-time.ts';
import { setting } from '../config.ts';
import { historyFrontier } from '../queries/cockpit/history.ts';
import type { Ctx } from './panels/shared.ts';

export interface HistoryLoading {
	loadedDays: number;
	totalDays: number;
}

const beijingDay = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
/** The Beijing day the history ends on: the frontier is read before it. */
export const historyEnd = (progress: { to: string }) => beijingDay(Date.parse(progress.to));

/**
 * Days of history loaded and in all, from the progress file and the newest stored day before the
 * day the history ends on (that day also holds the live feed's first hours, so it proves nothing);
 * null when nothing is loading.
 */
export function historyLoading(progress: { from: string; to: string; done: boolean }, frontier: string | null): HistoryLoading | null {
	const first = dayNumber(beijingDay(Date.parse(progress.from)));
	const last = dayNumber(historyEnd(progress)) - 1;
	const totalDays = last - first + 1;
	const loadedDays = frontier === null ? 0 : Math.min(totalDays, Math.max(0, dayNumber(frontier) - first + 1));
	return progress.done && loadedDays >= totalDays ? null : { loadedDays, totalDays };
}

// Every header asks; the answer changes by the day of history, so one read per few seconds is plenty.
let cached: { at: number; value: HistoryLoading | null } | undefined;
const CACHE_MS = 5000;

/** The banner's figures, or null (no history made here, or all of it stored). */
export async function historyStatus(ctx: Ctx, now = Date.now()): Promise<HistoryLoading | null> {
	const file = setting('TIANSHU_HISTORY_PROGRESS');
	if (!file || !existsSync(file)) return null;
	if (cached && now - cached.at < CACHE_MS) return cached.value;
	let progress: { from: string; to: string; done: boolean };
	try {
		progress = JSON.parse(readFileSync(file, 'utf8')) as typeof progress;
	} catch {
		return cached?.value ?? null; // being replaced this instant: the last answer stands
	}
	const value = historyLoading(progress, await historyFrontier(ctx, beijingDay(Date.parse(progress.from)), historyEnd(progress)));
	cached = { at: now, value };
	return value;
}
