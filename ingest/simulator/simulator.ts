/**
 * A realistic feed of a provincial government-service platform, deterministic
 * under a seed: the same seed, scope and time range give the same lines.
 *
 * - Volumes follow population (7th census) down to counties; the rhythm is Beijing
 *   time: halls open on working days of the official calendar (holidays and 调休
 *   included), online channels all day with daytime and evening peaks.
 * - Cases go submitted → accepted → completed (or rejected), with processing times
 *   drawn as a share of the promised working days (long-tailed: a few are overdue).
 * - Most completed cases are reviewed; the great majority positively. A 差评 is
 *   followed by verify → rectify → follow-up, some late.
 * - 12345 tickets go created → answered → dispatched → closed.
 * - Statistics are released on the bureau's calendar with its conventions (1–2月 as one
 *   figure, GDP by quarter), calibrated on the published national series, each release
 *   revising the period before (./statistics.ts).
 * - Incidents: now and then a county's processing slows down (on-time rate drops)
 *   or complaints surge, with a risk warning, so screens have something to detect.
 *
 * Events are produced in time order through a queue of scheduled follow-ups.
 */
import { addWorkingDays, beijingDate, endOfBeijingDay, isWorkingDay } from '../../src/lib/time/working-days.ts';
import { BEIJING_OFFSET_MS as BEIJING, DAY_MS as DAY, HOUR_MS as HOUR } from '../../src/lib/time/beijing-time.ts';
import { MINUTE_MS as MINUTE } from '../../src/lib/time/windows.ts';
import { beijingIso } from '../../src/lib/time/timestamps.ts';
import { CATALOGUE, HOTLINE_TOPICS, NEGATIVE_REASONS, POSITIVE_TAGS, type ServiceItem } from './catalogue.ts';
import { Random, Weighted } from '../../src/lib/random.ts';
import type { SimRegion, ProvinceEconomy } from './sim-regions.ts';
import { calibrate, loadNationalRecord, StatisticsModel, type Calibration } from './statistics.ts';
import path from 'node:path';

export type SimEvent = Record<string, unknown> & { type: string; ts?: string; release_ts?: string };

export interface SimulatorOptions {
	seed: number;
	/** Average events per second over a week. */
	rate: number;
	/** Working days to rectify a 差评 (5, 7 or 15 are all in force somewhere). */
	rectifyDays?: number;
	/** Turn incidents off for calibration runs. */
	incidents?: boolean;
	/** Statistics releases and targets (default on); off for a service-history backfill beside a feed that releases them. */
	releases?: boolean;
	/** The published national series the releases are calibrated on (default: reference/statistics/national_monthly.csv). */
	calibration?: Calibration;
}

let calibrated: Calibration | undefined;
function defaultCalibration(): Calibration {
	return (calibrated ??= calibrate(loadNationalRecord(path.resolve(import.meta.dirname, '../reference'))));
}

interface Incident {
	adcode: number;
	kind: 'slowdown' | 'complaints';
	from: number;
	to: number;
}

interface Scheduled {
	at: number;
	seq: number;
	emit: () => SimEvent | undefined;
}

/** Binary min-heap on (at, seq). */
class Queue {
	private readonly items: Scheduled[] = [];
	get size(): number {
		return this.items.length;
	}
	peek(): Scheduled | undefined {
		return this.items[0];
	}
	private less(a: Scheduled, b: Scheduled): boolean {
		return a.at < b.at || (a.at === b.at && a.seq < b.seq);
	}
	push(s: Scheduled): void {
		const h = this.items;
		h.push(s);
		let i = h.length - 1;
		while (i > 0) {
			const p = (i - 1) >> 1;
			if (!this.less(h[i]!, h[p]!)) break;
			[h[i], h[p]] = [h[p]!, h[i]!];
			i = p;
		}
	}
	pop(): Scheduled | undefined {
		const h = this.items;
		const top = h[0];
		const last = h.pop();
		if (h.length > 0 && last) {
			h[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let m = i;
				if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
				if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
				if (m === i) break;
				[h[i], h[m]] = [h[m]!, h[i]!];
				i = m;
			}
		}
		return top;
	}
}

/** Beijing hour of day, fractional. */
function hourOf(ms: number): number {
	return ((((ms + BEIJING) % DAY) + DAY) % DAY) / HOUR;
}

function hallOpen(ms: number): boolean {
	const h = hourOf(ms);
	return isWorkingDay(beijingDate(ms)) && ((h >= 9 && h < 12) || (h >= 13.5 && h < 17.5));
}

/** Online demand through the day: low at night, peaks mid-morning, afternoon and evening. */
function onlineCurve(ms: number): number {
	const h = hourOf(ms);
	const base = 0.08 + 0.9 * Math.exp(-((h - 10) ** 2) / 4) + 0.8 * Math.exp(-((h - 15) ** 2) / 5) + 0.55 * Math.exp(-((h - 20.5) ** 2) / 3);
	return isWorkingDay(beijingDate(ms)) ? base : base * 0.55;
}

/** A time within hall hours on the working day `date`, from a 0–1 fraction. */
function withinWorkingHours(date: string, fraction: number): number {
	const minutes = 9 * 60 + fraction * (7 * 60); // 9:00 … 16:00 (+ lunch shift)
	const shifted = minutes >= 12 * 60 ? minutes + 90 : minutes;
	return Date.parse(`${date}T00:00:00Z`) - BEIJING + shifted * MINUTE;
}

const RATINGS = new Weighted([5, 4, 3, 2, 1], [88.2, 8.9, 2.0, 0.55, 0.35]);
/** Working days a ticket may take, by type (a typical 12345 rule: 咨询 1, 求助 3, others 5). */
const TICKET_DUE_DAYS = { inquiry: 1, request: 3, complaint: 5, advice: 5, praise: 5 } as const;
const TICKET_TYPES = new Weighted(['inquiry', 'request', 'complaint', 'advice', 'praise'] as const, [42, 28, 20, 7, 3]);

export class Simulator {
	private readonly random: Random;
	private readonly queue = new Queue();
	private seq = 0;
	private readonly regions: Weighted<SimRegion>;
	private readonly items: Weighted<ServiceItem>;
	private readonly onlineItems: Weighted<ServiceItem>;
	private readonly incidents: Incident[] = [];
	private readonly rectifyDays: number;
	/** Events per second of intensity 1, calibrated so the weekly mean is `rate`. */
	private readonly scale: number;
	private cursor: number;
	private readonly counters = { case: 0, review: 0, action: 0, ticket: 0, warning: 0 };
	private lastReleaseDay = '';
	private readonly statistics: StatisticsModel;
	private lastTargetsDay = '';

	constructor(
		private readonly options: SimulatorOptions,
		regions: readonly SimRegion[],
		private readonly economies: readonly ProvinceEconomy[],
		start: number
	) {
		this.random = new Random(options.seed);
		this.regions = new Weighted(
			regions,
			regions.map((r) => r.weight)
		);
		this.items = new Weighted(
			CATALOGUE,
			CATALOGUE.map((i) => i.weight)
		);
		const online = CATALOGUE.filter((i) => i.fully_online);
		this.onlineItems = new Weighted(
			online,
			online.map((i) => i.weight)
		);
		this.rectifyDays = options.rectifyDays ?? 5;
		this.statistics = new StatisticsModel(options.seed, economies, options.calibration ?? defaultCalibration());
		this.cursor = Math.floor(start / MINUTE) * MINUTE;
		// A case yields ~3.9 lines (3 lifecycle events, a review most of the time, actions
		// for the few 差评) and tickets ~0.25 × 4 lines per case: ~4.9 lines per case.
		let sum = 0;
		const week = 7 * DAY;
		for (let t = this.cursor; t < this.cursor + week; t += 15 * MINUTE) sum += this.intensity(t).total;
		const meanIntensity = sum / (week / (15 * MINUTE));
		this.scale = options.rate / 4.9 / meanIntensity;
	}

	/** Channel intensities at a moment (relative units). */
	private intensity(ms: number) {
		const open = hallOpen(ms);
		const online = onlineCurve(ms);
		// The mix shifts online over the years: mobile grows against the counter.
		const years = (ms - Date.UTC(2024, 0, 1)) / (365 * DAY);
		const mobile = online * (1.1 + 0.15 * years);
		const web = online * 0.55;
		const counter = open ? 1.6 - 0.1 * years : 0;
		const kiosk = open ? 0.25 : online * 0.03;
		return { counter, web, mobile, kiosk, total: counter + web + mobile + kiosk };
	}

	/** Every event with a time in [cursor, until), in time order. */
	*advance(until: number): Generator<SimEvent> {
		while (this.cursor < until) {
			const minuteEnd = this.cursor + MINUTE;
			this.maybeStartIncident(this.cursor);
			if (this.options.releases !== false) this.maybeRelease(this.cursor);
			const intensity = this.intensity(this.cursor);
			const cases = this.random.poisson(intensity.total * this.scale * 60);
			for (let i = 0; i < cases; i++) this.newCase(this.cursor + Math.floor(this.random.next() * MINUTE), intensity);
			const tickets = this.random.poisson(onlineCurve(this.cursor) * 0.42 * this.scale * 60);
			for (let i = 0; i < tickets; i++) this.newTicket(this.cursor + Math.floor(this.random.next() * MINUTE));
			for (let top = this.queue.peek(); top && top.at < minuteEnd; top = this.queue.peek()) {
				this.queue.pop();
				const e = top.emit();
				if (e) yield e;
			}
			this.cursor = minuteEnd;
		}
	}

	/** Follow-ups still to come (in-flight cases, reviews, tickets). */
	get pending(): number {
		return this.queue.size;
	}

	private schedule(at: number, emit: () => SimEvent | undefined): void {
		this.queue.push({ at, seq: this.seq++, emit });
	}

	private incidentAt(adcode: number, ms: number, kind: Incident['kind']): boolean {
		return this.incidents.some((i) => i.kind === kind && i.adcode === adcode && ms >= i.from && ms < i.to);
	}

	private maybeStartIncident(ms: number): void {
		if (this.options.incidents === false) return;
		// About one incident every two days across the scope, lasting 2–8 hours.
		if (!this.random.chance(1 / (2 * 24 * 60))) return;
		const region = this.regions.pick(this.random);
		const kind = this.random.chance(0.6) ? 'slowdown' : 'complaints';
		const incident: Incident = { adcode: region.adcode, kind, from: ms, to: ms + this.random.int(2, 8) * HOUR };
		this.incidents.push(incident);
		if (this.incidents.length > 50) this.incidents.shift();
		const id = ++this.counters.warning;
		// Monitoring notices the incident a while after it starts.
		const raised = ms + this.random.int(20, 60) * MINUTE;
		this.schedule(raised, () => ({
			type: 'warning',
			warning_id: `w-${this.options.seed}-${id}`,
			ts: beijingIso(raised),
			adcode: region.adcode,
			source: kind === 'slowdown' ? '办件监测' : '12345热线监测',
			severity: this.random.chance(0.3) ? 'high' : 'medium',
			title: kind === 'slowdown' ? `${region.name} 办件处理明显变慢，按时办结率下降` : `${region.name} 12345 投诉量异常上升`,
			detail: kind === 'slowdown' ? '近一小时办结时长显著高于同期，请核查窗口人员与系统状态。' : '投诉工单集中于同一诉求，请关注并及时处置。'
		}));
	}

	private newCase(submitted: number, intensity: ReturnType<Simulator['intensity']>): void {
		const region = this.regions.pick(this.random);
		const channel = new Weighted(['counter', 'web', 'mobile', 'kiosk'] as const, [intensity.counter, intensity.web, intensity.mobile, intensity.kiosk]).pick(
			this.random
		);
		const item = channel === 'counter' ? this.items.pick(this.random) : this.onlineItems.pick(this.random);
		const n = ++this.counters.case;
		const caseId = `c-${this.options.seed}-${n}`;
		// A share of cases is handled by city- or province-level departments.
		const adcode = this.random.chance(0.25) ? region.city_code || region.adcode : region.adcode;
		const trips = channel === 'counter' ? (this.random.chance(0.86) ? 1 : this.random.chance(0.8) ? 2 : 3) : this.random.chance(0.93) ? 0 : 1;
		const base = {
			type: 'case',
			case_id: caseId,
			adcode,
			department: item.department,
			item_code: item.item_code,
			item_name: item.item_name,
			channel,
			promised_days: item.promised_days,
			trips,
			cross_province: this.random.chance(0.015)
		};
		const event = (status: string, at: number, extra: Record<string, unknown> = {}): SimEvent => ({
			...base,
			event_id: `${caseId}-${status}`,
			status,
			ts: beijingIso(at),
			...extra
		});
		this.schedule(submitted, () => event('submitted', submitted));
		const accepted = submitted + (channel === 'counter' ? this.random.int(1, 10) * MINUTE : Math.round(this.random.logNormal(40, 1) * MINUTE));
		this.schedule(accepted, () => event('accepted', accepted));
		if (this.random.chance(0.02)) {
			const rejected = accepted + this.random.int(10, 240) * MINUTE;
			this.schedule(rejected, () => event('rejected', rejected, { submitted_ts: beijingIso(submitted) }));
			return;
		}
		const completed = this.completionTime(item, accepted, region.adcode);
		this.schedule(completed, () => event('completed', completed, { submitted_ts: beijingIso(submitted) }));
		if (this.random.chance(0.76)) this.scheduleReview(caseId, item, channel, adcode, region.adcode, completed);
	}

	private completionTime(item: ServiceItem, accepted: number, county: number): number {
		const slow = this.incidentAt(county, accepted, 'slowdown');
		if (item.promised_days === 0) return accepted + Math.round(this.random.logNormal(slow ? 60 : 12, 0.7) * MINUTE);
		// Share of the promised working days used: median 35 %, long tail; slowdowns push many past 100 %.
		const share = this.random.logNormal(slow ? 1.1 : 0.35, slow ? 0.35 : 0.5);
		const days = share * item.promised_days;
		const whole = Math.floor(days);
		const date = addWorkingDays(beijingDate(accepted), whole);
		const at = withinWorkingHours(date, days - whole);
		return Math.max(at, accepted + 5 * MINUTE);
	}

	private scheduleReview(caseId: string, item: ServiceItem, channel: string, adcode: number, county: number, completed: number): void {
		const at = completed + Math.round(this.random.logNormal(30, 1.5) * MINUTE);
		const n = ++this.counters.review;
		const reviewId = `r-${this.options.seed}-${n}`;
		const slow = this.incidentAt(county, completed, 'slowdown');
		let rating = RATINGS.pick(this.random);
		if (slow && this.random.chance(0.12)) rating = this.random.chance(0.5) ? 2 : 1;
		const negative = rating <= 2;
		const tags = negative
			? [this.random.pick(NEGATIVE_REASONS), ...(this.random.chance(0.3) ? [this.random.pick(NEGATIVE_REASONS)] : [])].filter((t, i, a) => a.indexOf(t) === i)
			: this.random.chance(0.3)
				? [this.random.pick(POSITIVE_TAGS)]
				: [];
		this.schedule(at, () => ({
			type: 'review',
			review_id: reviewId,
			case_id: caseId,
			ts: beijingIso(at),
			adcode,
			department: item.department,
			item_code: item.item_code,
			channel,
			rating,
			named: this.random.chance(negative ? 0.55 : 0.72),
			tags,
			comment: negative ? `${tags[0]}，希望改进。` : ''
		}));
		if (negative) this.scheduleHandling(reviewId, adcode, at);
	}

	/** verify → rectify (within the local deadline in working days, some late) → follow-up; rarely an appeal. */
	private scheduleHandling(reviewId: string, adcode: number, reviewed: number): void {
		const action = (kind: string, at: number, outcome: string) => {
			const id = ++this.counters.action;
			this.schedule(at, () => ({
				type: 'review_action',
				action_id: `a-${this.options.seed}-${id}`,
				review_id: reviewId,
				action: kind,
				ts: beijingIso(at),
				outcome,
				adcode
			}));
		};
		const verified = withinWorkingHours(addWorkingDays(beijingDate(reviewed), this.random.chance(0.7) ? 0 : 1), this.random.next());
		const verifiedAt = Math.max(verified, reviewed + 10 * MINUTE);
		action('verify', verifiedAt, this.random.chance(0.85) ? '情况属实' : '情况不属实');
		if (this.random.chance(0.03)) action('appeal', verifiedAt + 2 * HOUR, '申诉已提交');
		const late = this.random.chance(0.1);
		const days = late ? this.rectifyDays + this.random.int(1, 5) : this.random.int(1, this.rectifyDays);
		const rectified = withinWorkingHours(addWorkingDays(beijingDate(verifiedAt), days), this.random.next());
		action('rectify', rectified, '已整改');
		const followed = withinWorkingHours(addWorkingDays(beijingDate(rectified), this.random.int(0, 2)), this.random.next());
		action('follow_up', Math.max(followed, rectified + HOUR), this.random.chance(0.8) ? '回访满意' : '回访基本满意');
	}

	private newTicket(created: number): void {
		const region = this.regions.pick(this.random);
		const n = ++this.counters.ticket;
		const ticketId = `t-${this.options.seed}-${n}`;
		const surge = this.incidentAt(region.adcode, created, 'complaints');
		const ticketType = surge && this.random.chance(0.6) ? 'complaint' : TICKET_TYPES.pick(this.random);
		const topic = this.random.pick(HOTLINE_TOPICS);
		const base = { type: 'ticket', ticket_id: ticketId, adcode: region.adcode, ticket_type: ticketType, topic };
		// 承办时限 by type, in working days from creation; closed events carry it.
		const due = endOfBeijingDay(addWorkingDays(beijingDate(created), TICKET_DUE_DAYS[ticketType as keyof typeof TICKET_DUE_DAYS]));
		const event = (status: string, at: number, satisfied: boolean | null = null): SimEvent => ({
			...base,
			event_id: `${ticketId}-${status}`,
			status,
			ts: beijingIso(at),
			satisfied,
			...(status === 'closed' ? { due_ts: beijingIso(due) } : {})
		});
		this.schedule(created, () => event('created', created));
		// 95 % answered within 15 s (GB/T 33358); the rest wait longer.
		const answered = created + (this.random.chance(0.95) ? this.random.int(2, 15) : this.random.int(16, 180)) * 1000;
		this.schedule(answered, () => event('answered', answered));
		if (ticketType === 'inquiry' && this.random.chance(0.8)) {
			const closed = answered + this.random.int(2, 8) * MINUTE;
			this.schedule(closed, () => event('closed', closed, this.random.chance(0.9) ? this.random.chance(0.95) : null));
			return;
		}
		const dispatched = answered + this.random.int(5, 60) * MINUTE;
		this.schedule(dispatched, () => event('dispatched', dispatched));
		const closed = withinWorkingHours(addWorkingDays(beijingDate(dispatched), this.random.int(1, ticketType === 'complaint' ? 7 : 4)), this.random.next());
		this.schedule(Math.max(closed, dispatched + HOUR), () =>
			event('closed', Math.max(closed, dispatched + HOUR), this.random.chance(0.9) ? this.random.chance(ticketType === 'complaint' ? 0.82 : 0.93) : null)
		);
	}

	/**
	 * The statistics releases of the `months` months before the simulated start, in time
	 * order, on the bureau's calendar: history for trend charts without simulating every case.
	 */
	*history(months: number): Generator<SimEvent> {
		const start = this.cursor;
		const d = new Date(start + BEIJING);
		const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1);
		// The targets of every year the history touches, set around 20 January.
		for (let year = new Date(first).getUTCFullYear(); year <= d.getUTCFullYear(); year++) {
			const at = Date.UTC(year, 0, 20, 2);
			if (at < start) this.releaseTargets(year, at);
		}
		for (let day = first; day < start; day += DAY) {
			const at = day - BEIJING + 10 * HOUR; // 10:00 Beijing
			if (at < start) this.release(at);
			for (let top = this.queue.peek(); top && top.at < Math.min(start, at + DAY); top = this.queue.peek()) {
				this.queue.pop();
				const e = top.emit();
				if (e) yield e;
			}
		}
	}

	/** Statistics releases at 10:00 Beijing on their days of the bureau's calendar; targets around 20 January. */
	private maybeRelease(ms: number): void {
		const date = beijingDate(ms);
		if (date.slice(5) === '01-20' && hourOf(ms) >= 10 && this.lastTargetsDay !== date) {
			this.lastTargetsDay = date;
			this.releaseTargets(Number(date.slice(0, 4)), ms);
		}
		if (hourOf(ms) < 10 || this.lastReleaseDay === date) return;
		this.lastReleaseDay = date;
		this.release(ms);
	}

	/** The releases of the day of `ms` (the nation's and the provinces' that fall on it), a second apart. */
	private release(ms: number): void {
		let at = ms;
		for (const v of this.statistics.releasesOn(beijingDate(ms))) {
			const t = (at += 1000);
			this.schedule(t, () => ({ type: 'indicator', ...v, release_ts: beijingIso(t) }));
		}
	}

	/** Each province's annual targets: growth targets for GDP, industry and investment, level targets, ceilings; and the service targets. */
	private releaseTargets(year: number, at: number): void {
		let t = at;
		for (const e of this.economies) {
			const growth = Math.round(e.growth * 2) / 2; // targets come in half points: 5.0, 5.5 …
			const targets: Array<[string, number, string]> = [
				['gdp', growth, '%'],
				['industrialValueAdded', growth + 0.5, '%'],
				['fixedAssetInvestment', Math.max(3, growth - 1), '%'],
				['retailSales', Math.round(grown(e, e.retail, e.levelsYear, year) * 1.01), '亿元'],
				['fiscalRevenue', Math.round(grown(e, e.fiscal, e.levelsYear, year)), '亿元'],
				['tradeTotal', Math.round(grown(e, e.trade, e.levelsYear, year) * 0.99), '亿元'],
				['unemploymentRate', 5.5, '%'],
				['cpi', 103, '上年=100'],
				// Service targets (demo values, the same for every province): levels a rate is held to all year.
				...SERVICE_TARGETS
			];
			for (const [indicator, value, unit] of targets) {
				const when = (t += 1000);
				this.schedule(when, () => ({ type: 'target', indicator, adcode: e.adcode, year, value, unit, release_ts: beijingIso(when) }));
			}
		}
	}
}

/**
 * The demo's annual targets for service indicators (政务服务年度目标, made up for the demonstration, not any
 * government's): 按时办结率 ≥ 98 %, 全程网办率 ≥ 80 %, 好评率 ≥ 99 %. /analyze shows a rate against its target line.
 */
export const SERVICE_TARGETS: ReadonlyArray<[string, number, string]> = [
	['onTimeRate', 98, '%'],
	['fullyOnlineRate', 80, '%'],
	['positiveRate', 99, '%']
];

/** A level published for `baseYear`, carried to `year` at the province's growth (+1 point of prices: levels are nominal). */
function grown(e: ProvinceEconomy, value: number, baseYear: number, year: number): number {
	return value * (1 + (e.growth + 1) / 100) ** (year - baseYear);
}
