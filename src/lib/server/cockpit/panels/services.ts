import { DAY_MS as DAY, HOUR_MS as HOUR, startOfBeijingDay } from '../../../time/beijing-time.ts';
import type { ServicesPanel } from '../../../cockpit/model.ts';
import { durationQuantiles } from '../../queries/cockpit/durations.ts';
import { assertInScope } from '../../scope.ts';
import { parallel, query, range, type Ctx } from './shared.ts';

const CHANNEL_NAMES: Record<string, string> = { counter: '窗口', web: '网厅', mobile: '移动端', kiosk: '自助终端', hotline: '12345' };

/** Today's cases hour by hour against last week, by channel, completions, and handling times over seven days. */
export async function services(ctx: Ctx, adcode: number, now: number): Promise<ServicesPanel> {
	const day = startOfBeijingDay(now);
	assertInScope(adcode, ctx.scope); // the scope, before anything is read
	const [hourly, channels, completed, q] = await parallel(
		() => query(ctx, { indicators: ['caseVolume'], ...range(day, day + DAY), grain: 'hour', region: { adcode }, compare: 'previousWeek' }),
		() => query(ctx, { indicators: ['caseVolume'], ...range(day, day + DAY), grain: 'total', region: { adcode }, groupBy: ['channel'] }),
		() => query(ctx, { indicators: ['completedVolume', 'onTimeRate'], ...range(day, day + DAY), grain: 'total', region: { adcode } }),
		() => durationQuantiles(ctx, adcode, day - 6 * DAY, day + DAY)
	);
	const s = hourly.series[0];
	const currentHour = Math.floor((now - day) / HOUR);
	const completedToday = completed.series[0]?.total.completedVolume ?? 0;
	const onTimeRate = completed.series[0]?.total.onTimeRate ?? null;
	const hasDurations = q.length === 5 && q.some((v) => Number(v) > 0);
	return {
		hours: hourly.buckets.map((b) => b.slice(11, 13)),
		today: hourly.buckets.map((_, i) => (i <= currentHour ? (s?.values.caseVolume?.[i] ?? 0) : null)),
		lastWeek: hourly.buckets.map((_, i) => s?.compare?.caseVolume?.[i] ?? 0),
		channels: Object.keys(CHANNEL_NAMES)
			.map((channel) => ({ channel, nameZh: CHANNEL_NAMES[channel]!, value: channels.series.find((x) => x.key.channel === channel)?.total.caseVolume ?? 0 }))
			.filter((c) => c.channel !== 'hotline' || c.value > 0),
		durations: ['P10', 'P25', '中位数', 'P75', 'P90'].map((l, i) => ({ label: l, hours: hasDurations ? Number(q[i]) / 3600 : null })),
		completedToday,
		lateToday: onTimeRate === null ? 0 : Math.round((completedToday * (100 - onTimeRate)) / 100),
		onTimeRate
	};
}
