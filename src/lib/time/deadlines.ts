/**
 * The one deadline rule of the product (cases, 差评 rectification, 12345 承办时限):
 * a deadline of N working days counts from the day of receipt, on the official
 * calendar (weekends, public holidays, 调休 make-up working days). The day of receipt
 * itself is day 0 (开始的当日不计入): N = 1 received on a Friday is due on Monday,
 * N = 0 (即办件) is due by the end of that day.
 *
 * Receipt on a non-working day — or, where a region sets a cut-off, at or after the
 * cut-off on a working day — counts as receipt on the next working day (视为下一个
 * 工作日受理): a 即办件 sent online on Saturday night is due at the end of Monday.
 *
 * Pure; instants are epoch ms, dates Beijing calendar dates 'YYYY-MM-DD'.
 */
import { BEIJING_OFFSET_MS, DAY_MS } from './beijing-time.ts';
import { addWorkingDays, beijingDate, endOfBeijingDay, isWorkingDay } from './working-days.ts';

/** Minutes after Beijing midnight from which a receipt counts as the next working day's; null: no cut-off. */
export type Cutoff = number | null;

/** Minutes after Beijing midnight of an instant. */
export function beijingMinuteOfDay(ms: number): number {
	const local = ms + BEIJING_OFFSET_MS;
	return Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / 60_000);
}

/** 'HH:MM' (00:00–23:59) as minutes after midnight; throws on anything else. */
export function parseCutoff(text: string): number {
	const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
	if (!m) throw new RangeError(`not a time of day HH:MM: ${JSON.stringify(text)}`);
	return Number(m[1]) * 60 + Number(m[2]);
}

/** The working day a receipt on `date` counts from: that date, or the next working day when it is not one or the receipt came after the cut-off. */
export function effectiveDate(date: string, afterCutoff: boolean): string {
	return isWorkingDay(date) && !afterCutoff ? date : addWorkingDays(date, 1);
}

/** The working day a receipt at `receivedMs` counts from. */
export function effectiveReceiptDate(receivedMs: number, cutoff: Cutoff = null): string {
	return effectiveDate(beijingDate(receivedMs), cutoff !== null && beijingMinuteOfDay(receivedMs) >= cutoff);
}

/** The due date of a receipt on `date` (after the cut-off or not): the form the warehouse's re-enrichment tabulates. */
export function dueDateOn(date: string, afterCutoff: boolean, workingDays: number): string {
	if (!Number.isInteger(workingDays) || workingDays < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${workingDays}`);
	return addWorkingDays(effectiveDate(date, afterCutoff), workingDays);
}

/** The Beijing date by whose end a deadline of `workingDays` from a receipt at `receivedMs` falls. */
export function dueDate(receivedMs: number, workingDays: number, cutoff: Cutoff = null): string {
	return dueDateOn(beijingDate(receivedMs), cutoff !== null && beijingMinuteOfDay(receivedMs) >= cutoff, workingDays);
}

/** The last instant (epoch ms, 23:59:59.999 Beijing time) of that deadline. */
export function dueInstant(receivedMs: number, workingDays: number, cutoff: Cutoff = null): number {
	return endOfBeijingDay(dueDate(receivedMs, workingDays, cutoff));
}

/** Whether something received at `receivedMs` and done at `doneMs` met a deadline of `workingDays`. */
export function metDeadline(receivedMs: number, doneMs: number, workingDays: number, cutoff: Cutoff = null): boolean {
	return doneMs <= dueInstant(receivedMs, workingDays, cutoff);
}
