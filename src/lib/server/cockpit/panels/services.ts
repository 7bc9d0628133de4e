import { DAY_MS as DAY, HOUR_MS as HOUR, startOfBeijingDay } from '../../../time/beijing-time.ts';
import type { ServicesPanel } from '../../../cockpit/model.ts';
import { durationQuantiles } from '../../queries/cockpit/durations.ts';
import { caseCountsUpTo, type Counts } from '../../queries/cockpit/so-far.ts';
import { assertInScope } from '../../scope.ts';
import { parallel, query, range, valueFromCounts, type Ctx } from './shared.ts';

const CHANNEL_NAMES: Record<string, string> = { counter: '窗口', web: '网厅', mobile: '移动端', kiosk: '自助终端', hotline: '12345' };

/**
 * Today's cases hour by hour up to the instant against the whole same weekday last week, by channel,
 * completions up to the instant, and handling times over seven days.
 */
export async function services(ctx: Ctx, adcode: number, now: number): Promise<ServicesPanel> {
	const day = startOfBeijingDay(now);
	const today = { from: day, to: day + DAY };
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const [split, lastWeek, q] = await parallel(
		() => caseCountsUpTo(ctx, adcode, today, now, 'hourChannel'),
		() => query(ctx, { indicators: ['caseVolume'], ...range(day - 7 * DAY, day - 6 * DAY), grain: 'hour', region: { adcode } }),
		() => durationQuantiles(ctx, adcode, { from: day - 6 * DAY, to: day + DAY }, now)
	);
	// Today's counts per hour and channel, added up per hour, per channel and in all.
	const hourly = new Map<string, Counts>();
	const channels = new Map<string, Counts>();
	const all: Counts = { submitted: 0, completed: 0, completed_on_time: 0, fully_online: 0 };
	for (const [key, c] of split) {
		const [hour, channel] = key.split('|') as [string, string];
		for (const [into, k] of [
			[hourly, hour],
			[channels, channel]
		] as const) {
			const sum = into.get(k) ?? { submitted: 0, completed: 0, completed_on_time: 0, fully_online: 0 };
			for (const m of Object.keys(all)) sum[m]! += c[m]!;
			into.set(k, sum);
		}
		for (const m of Object.keys(all)) all[m]! += c[m]!;
	}
	const currentHour = Math.floor((now - day) / HOUR);
	const done = split.size ? all : undefined;
	const completedToday = done?.completed ?? 0;
	const onTimeRate = valueFromCounts('onTimeRate', done);
	const hasDurations = q.length === 5 && q.some((v) => Number(v) > 0);
	const hours = Array.from({ length: 24 }, (_, h) => h);
	const s = lastWeek.series[0];
	return {
		hours: hours.map((h) => String(h).padStart(2, '0')),
		today: hours.map((h) => (h <= currentHour ? (hourly.get(String(h))?.submitted ?? 0) : null)),
		lastWeek: hours.map((h) => s?.values.caseVolume?.[h] ?? 0),
		channels: Object.keys(CHANNEL_NAMES)
			.map((channel) => ({ channel, nameZh: CHANNEL_NAMES[channel]!, value: channels.get(channel)?.submitted ?? 0 }))
			.filter((c) => c.channel !== 'hotline' || c.value > 0),
		durations: ['P10', 'P25', '中位数', 'P75', 'P90'].map((l, i) => ({ label: l, hours: hasDurations ? Number(q[i]) / 3600 : null })),
		completedToday,
		lateToday: done ? completedToday - done.completed_on_time! : 0,
		onTimeRate
	};
}
