import { DAY_MS as DAY, HOUR_MS as HOUR, startOfBeijingDay } from '../../../time/beijing-time.ts';
import type { ServicesPanel } from '../../../cockpit/model.ts';
import { durationQuantiles } from '../../queries/cockpit/durations.ts';
import { caseCountsUpTo } from '../../queries/cockpit/so-far.ts';
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
	const [hourly, lastWeek, channels, totals, q] = await parallel(
		() => caseCountsUpTo(ctx, adcode, today, now, 'hour'),
		() => query(ctx, { indicators: ['caseVolume'], ...range(day - 7 * DAY, day - 6 * DAY), grain: 'hour', region: { adcode } }),
		() => caseCountsUpTo(ctx, adcode, today, now, 'channel'),
		() => caseCountsUpTo(ctx, adcode, today, now, 'total'),
		() => durationQuantiles(ctx, adcode, { from: day - 6 * DAY, to: day + DAY }, now)
	);
	const currentHour = Math.floor((now - day) / HOUR);
	const done = totals.get('total');
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
