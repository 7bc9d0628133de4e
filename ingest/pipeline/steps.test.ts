import { describe, expect, it } from 'vitest';
import { Refusal, process as run, type Routed } from './steps.ts';
import { RegionIndex } from './regions.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadlinePolicy } from './deadlines.ts';

const regions = RegionIndex.of([
	{ adcode: 440000, province_code: 440000, city_code: 0 },
	{ adcode: 440300, province_code: 440000, city_code: 440300 },
	{ adcode: 440305, province_code: 440000, city_code: 440300 },
	{ adcode: 330000, province_code: 330000, city_code: 0 },
	{ adcode: 330100, province_code: 330000, city_code: 330100 },
	{ adcode: 330106, province_code: 330000, city_code: 330100 },
	{ adcode: 330203, province_code: 330000, city_code: 330200 }
]);
let policy: DeadlinePolicy | undefined;
const ctx = {
	regions,
	now: () => Date.UTC(2026, 10, 22, 6),
	source: 'test',
	// Built when a test first asks, not on import: a policy that cannot be built fails those tests. (A test file that
	// throws while loading runs no test, and a mutation run would count that as a mutant surviving.)
	get deadlines(): DeadlinePolicy {
		return (policy ??= new DeadlinePolicy({ negativeReviewRectifyDays: { default: 5, regions: { '330000': 7, '330100': 15 } } }));
	}
};
const line = (o: unknown) => Buffer.from(JSON.stringify(o));

const completed = {
	type: 'case',
	event_id: 'e1',
	case_id: 'c1',
	status: 'completed',
	ts: '2026-10-08T16:00:00+08:00',
	submitted_ts: '2026-09-30T10:00:00+08:00',
	adcode: 440305,
	department: '市场监督管理局',
	item_code: 'SCJG-003',
	item_name: '食品经营许可',
	channel: 'web',
	promised_days: 1,
	trips: 0,
	cross_province: false
};

describe('the steps', () => {
	it('route a case with region columns, the working-day deadline and on-time flag', () => {
		const r = run(line(completed), ctx) as Routed;
		expect(r.ok).toBe(true);
		expect(r.table).toBe('case_events');
		expect(r.row).toMatchObject({
			adcode: 440305,
			province_code: 440000,
			city_code: 440300,
			ts: '2026-10-08 08:00:00.000',
			submitted_at: '2026-09-30 02:00:00.000',
			// 1 working day after 09-30 skips the National Day holiday (10-01…10-07).
			due_date: '2026-10-08',
			on_time: true,
			duration_s: (Date.UTC(2026, 9, 8, 8) - Date.UTC(2026, 8, 30, 2)) / 1000
		});
		expect(r.item).toEqual({ item_code: 'SCJG-003', item_name: '食品经营许可', department: '市场监督管理局' });
	});

	it('mark a case completed after its deadline as late', () => {
		const r = run(line({ ...completed, ts: '2026-10-09T09:00:00+08:00' }), ctx) as Routed;
		expect(r.row.on_time).toBe(false);
	});

	it.each([
		['{"type":"case"', 'parse', 'invalid_json'],
		['"just a string"', 'parse', 'not_an_object'],
		['{"event_id":"x"}', 'validate', 'missing_type'],
		['{"type":"appointment"}', 'validate', 'unknown_type']
	])('refuse %s at %s as %s', (text, step, reason) => {
		const r = run(Buffer.from(text), ctx);
		expect(r).toBeInstanceOf(Refusal);
		expect(r).toMatchObject({ step, reason });
	});

	it('refuse invalid UTF-8 but accept U+FFFD written as a character', () => {
		expect(run(Buffer.from([0x7b, 0xff, 0x7d]), ctx)).toMatchObject({ reason: 'invalid_utf8' });
		const withReplacementChar = run(line({ ...completed, item_name: '许可\uFFFD' }), ctx);
		expect(withReplacementChar.ok).toBe(true);
	});

	it.each([
		[{ promised_days: -1 }, 'schema_violation', 'promised_days'],
		[{ channel: 'fax' }, 'schema_violation', 'channel'],
		[{ adcode: 'abc' }, 'schema_violation', 'adcode'],
		[{ adcode: 440399 }, 'unknown_adcode', '440399'],
		[{ ts: '1970-01-01T00:00:00Z', submitted_ts: undefined }, 'timestamp_too_old', '1970'],
		[{ ts: '2026-11-24T00:00:00+08:00' }, 'timestamp_in_future', '2026-11-23'],
		[{ submitted_ts: '2026-10-09T00:00:00+08:00' }, 'inconsistent_times', 'submitted_ts']
	])('refuse a case with %o as %s', (change, reason, mention) => {
		// The step that refuses each, as the README's ingest section names them.
		const stepOf: Record<string, string> = {
			schema_violation: 'validate',
			unknown_adcode: 'enrich',
			timestamp_too_old: 'normalise',
			timestamp_in_future: 'normalise',
			inconsistent_times: 'normalise'
		};
		const step = stepOf[reason];
		const r = run(line({ ...completed, ...change }), ctx);
		expect(r).toBeInstanceOf(Refusal);
		expect((r as Refusal).reason).toBe(reason);
		expect((r as Refusal).step).toBe(step);
		expect((r as Refusal).detail).toContain(mention);
		expect((r as Refusal).typeHint).toBe('case');
	});

	it('never take a line for a refusal because of its own fields', () => {
		const r = run(line({ ...completed, ok: false, step: 'parse', reason: 'invalid_json' }), ctx);
		expect(r).not.toBeInstanceOf(Refusal);
		expect(r.ok).toBe(true);
	});

	it('accept a national indicator with adcode 0', () => {
		const r = run(
			line({ type: 'indicator', indicator: 'cpi', adcode: 0, period: '2026-10', value: 100.2, unit: '上年=100', release_ts: '2026-11-15T09:30:00+08:00' }),
			ctx
		) as Routed;
		expect(r.row).toMatchObject({ adcode: 0, province_code: 0, period_kind: 'month', period_start: '2026-10-01' });
	});

	it('refuse a release time more than 5 minutes ahead of now (indicators and targets), accept one within', () => {
		// ctx.now is 2026-11-22 14:00 Beijing time.
		const indicator = (release_ts: string) =>
			line({ type: 'indicator', indicator: 'retailSales', adcode: 0, period: '2026-10', value: 1, unit: '亿元', release_ts });
		const target = (release_ts: string) => line({ type: 'target', indicator: 'gdp', adcode: 0, year: 2026, value: 0.1, unit: '%', release_ts });
		expect(run(indicator('2026-11-22T14:04:00+08:00'), ctx).ok).toBe(true);
		expect(run(indicator('2026-11-22T14:05:00.000+08:00'), ctx).ok).toBe(true);
		expect(run(indicator('2026-11-22T14:05:00.001+08:00'), ctx)).toMatchObject({ reason: 'release_in_future' });
		expect(run(indicator('2026-11-22T14:06:00+08:00'), ctx)).toMatchObject({ step: 'normalise', reason: 'release_in_future', typeHint: 'indicator' });
		expect(run(target('2026-11-22T20:00:00+08:00'), ctx)).toMatchObject({ reason: 'release_in_future', typeHint: 'target' });
		// Other events keep the day of tolerance.
		expect(run(line({ ...completed, status: 'submitted', submitted_ts: undefined, ts: '2026-11-22T20:00:00+08:00' }), ctx).ok).toBe(true);
	});

	it('refuse an event of a type the source was not granted, before any other check', () => {
		const granted = { ...ctx, allowedTypes: new Set(['review'] as const) };
		expect(run(line(completed), granted)).toMatchObject({ step: 'validate', reason: 'type_not_granted', typeHint: 'case' });
		expect(run(line({ ...completed, adcode: 440399 }), granted)).toMatchObject({ reason: 'type_not_granted' });
		expect(run(line({ type: 'indicator' }), granted)).toMatchObject({ reason: 'type_not_granted', typeHint: 'indicator' });
		expect(run(line({ type: 'visa' }), granted)).toMatchObject({ reason: 'unknown_type' });
		expect(run(line(completed), { ...ctx, allowedTypes: new Set(['case'] as const) }).ok).toBe(true);
		// A local source (no grant) may send every type.
		expect(run(line(completed), ctx).ok).toBe(true);
	});
});

describe('deadlines', () => {
	const review = (adcode: number, rating: number) =>
		run(
			line({
				type: 'review',
				review_id: `r${adcode}${rating}`,
				case_id: 'c1',
				ts: '2026-11-20T10:00:00',
				adcode,
				department: '市场监管局',
				item_code: 'X1',
				channel: 'web',
				rating,
				named: true
			}),
			ctx
		) as Routed;

	it('stamps a negative review with its rectification deadline in working days, the most specific region winning', () => {
		// Friday 20 November 2026: 5 working days → Fri 27th, 7 → Tue 1 Dec, 15 → Fri 11 Dec.
		expect(review(440305, 1).row.rectify_due_date).toBe('2026-11-27'); // default
		expect(review(330203, 2).row.rectify_due_date).toBe('2026-12-01'); // province rule
		expect(review(330106, 2).row.rectify_due_date).toBe('2026-12-11'); // city rule beats the province's
	});

	it('gives positive reviews no deadline', () => {
		expect(review(440305, 3).row.rectify_due_date).toBeNull();
		expect(review(440305, 5).row.rectify_due_date).toBeNull();
	});

	it("keeps a ticket's deadline (承办时限) and leaves it empty when the source does not send one", () => {
		const ticket = (extra: object) =>
			run(
				line({
					type: 'ticket',
					event_id: 'e1',
					ticket_id: 't1',
					status: 'closed',
					ts: '2026-11-20T10:00:00',
					adcode: 440305,
					ticket_type: 'complaint',
					topic: '交通',
					...extra
				}),
				ctx
			) as Routed;
		expect(ticket({ due_ts: '2026-11-25T18:00:00' }).row.due_ts).toBe('2026-11-25 10:00:00.000');
		expect(ticket({}).row.due_ts).toBeNull();
	});

	describe('the one rule: receipt on a non-working day or after a cut-off counts from the next working day', () => {
		// 浙江 closes receipts at 17:00, 杭州 at 16:30, 西湖区 (330106) lifts it; 广东 has none.
		// Built when a test first asks (as ctx's policy is): a policy built while the file is collected throws before any test
		// runs when its schema is mutated, and Stryker counted that as the mutant surviving with 0 tests run. (Spreading ctx
		// would call its getter at collection too.)
		let cutoffPolicy: DeadlinePolicy | undefined;
		const cutoffs = () =>
			(cutoffPolicy ??= new DeadlinePolicy({
				negativeReviewRectifyDays: { default: 5 },
				receiptCutoff: { default: null, regions: { '330000': '17:00', '330100': '16:30', '330106': null } }
			}));
		const withCutoffs = {
			regions,
			now: ctx.now,
			source: ctx.source,
			get deadlines() {
				return cutoffs();
			}
		};
		const instant = (over: object) =>
			run(line({ ...completed, item_code: 'RSSB-001', item_name: '社保卡申领', promised_days: 0, ...over }), withCutoffs) as Routed;

		it('a 即办件 received on Saturday 23:15 and completed on Sunday 01:00 is on time (due at the end of Monday)', () => {
			const r = instant({ submitted_ts: '2026-11-14T23:15:00+08:00', ts: '2026-11-15T01:00:00+08:00' });
			expect(r.row).toMatchObject({ due_date: '2026-11-16', on_time: true });
		});

		it('a 即办件 received on Monday 10:00 and completed on Tuesday 09:00 is late', () => {
			const r = instant({ submitted_ts: '2026-11-16T10:00:00+08:00', ts: '2026-11-17T09:00:00+08:00' });
			expect(r.row).toMatchObject({ due_date: '2026-11-16', on_time: false });
		});

		it('judges on_time at the end of the Beijing day, not the UTC day', () => {
			// Monday's UTC day ends at Tuesday 08:00 Beijing time: a completion at Tuesday 00:30 is late by the Beijing day.
			const late = instant({ submitted_ts: '2026-11-16T10:00:00+08:00', ts: '2026-11-17T00:30:00+08:00' });
			expect(late.row).toMatchObject({ due_date: '2026-11-16', on_time: false });
			const lastMinute = instant({ submitted_ts: '2026-11-16T10:00:00+08:00', ts: '2026-11-16T23:59:30+08:00' });
			expect(lastMinute.row).toMatchObject({ due_date: '2026-11-16', on_time: true });
		});

		it("applies the most specific region's cut-off", () => {
			const at = (adcode: number, submitted: string) => instant({ adcode, submitted_ts: submitted, ts: '2026-11-17T09:00:00+08:00' }).row.due_date;
			expect(at(440305, '2026-11-16T18:00:00+08:00')).toBe('2026-11-16'); // 广东: no cut-off
			expect(at(330203, '2026-11-16T16:59:00+08:00')).toBe('2026-11-16'); // 浙江 17:00, before it
			expect(at(330203, '2026-11-16T17:00:00+08:00')).toBe('2026-11-17'); // 浙江 17:00, at it
			expect(at(330100, '2026-11-16T16:30:00+08:00')).toBe('2026-11-17'); // 杭州's own 16:30
			expect(at(330106, '2026-11-16T18:00:00+08:00')).toBe('2026-11-16'); // 西湖区 lifted it
			expect(cutoffs().receiptCutoff(330203, 330200, 330000)).toBe(17 * 60);
			expect(cutoffs().receiptCutoff(330106, 330100, 330000)).toBeNull();
			expect(cutoffs().receiptCutoff(440305, 440300, 440000)).toBeNull();
		});

		it('counts a 差评 received on a Saturday or after the cut-off from the next working day', () => {
			const negative = (adcode: number, ts: string) =>
				(
					run(
						line({
							type: 'review',
							review_id: 'rx',
							case_id: 'c1',
							ts,
							adcode,
							department: '市场监管局',
							item_code: 'X1',
							channel: 'web',
							rating: 1,
							named: true
						}),
						withCutoffs
					) as Routed
				).row.rectify_due_date;
			// Saturday 21 Nov 2026 → counts from Mon 23rd; 5 working days → Mon 30th.
			expect(negative(440305, '2026-11-21T10:00:00+08:00')).toBe('2026-11-30');
			// Friday 20th 17:30 in 浙江 (cut-off 17:00) → counts from Mon 23rd → Mon 30th; in 广东 → Fri 27th.
			expect(negative(330203, '2026-11-20T17:30:00+08:00')).toBe('2026-11-30');
			expect(negative(440305, '2026-11-20T17:30:00+08:00')).toBe('2026-11-27');
		});

		it('leaves cases without a submission time without a deadline', () => {
			const r = instant({ status: 'accepted', submitted_ts: undefined, ts: '2026-11-16T10:00:00+08:00' });
			expect(r.row).toMatchObject({ submitted_at: null, due_date: null, on_time: null, duration_s: null });
			const submitted = instant({ status: 'submitted', submitted_ts: undefined, ts: '2026-11-14T23:15:00+08:00' });
			expect(submitted.row).toMatchObject({ submitted_at: '2026-11-14 15:15:00.000', due_date: '2026-11-16', on_time: null, duration_s: null });
			const rejected = instant({ status: 'rejected', submitted_ts: '2026-11-16T10:00:00+08:00', ts: '2026-11-16T10:30:00+08:00' });
			expect(rejected.row).toMatchObject({ due_date: '2026-11-16', on_time: null, duration_s: 1800 });
		});
	});

	it('refuses a bad deadlines file with a message naming the file and the field', () => {
		const dir = mkdtempSync(join(tmpdir(), 'deadlines-'));
		const write = (name: string, body: string) => (writeFileSync(join(dir, name), body), join(dir, name));
		expect(() => DeadlinePolicy.load(write('zero.json', JSON.stringify({ negativeReviewRectifyDays: { default: 0 } })))).toThrow(
			/zero\.json: negativeReviewRectifyDays\.default/
		);
		expect(() => DeadlinePolicy.load(write('keys.json', JSON.stringify({ negativeReviewRectifyDays: { default: 5, regions: { abc: 7 } } })))).toThrow(
			/keys\.json: negativeReviewRectifyDays\.regions.*keys must be GB\/T 2260 codes/
		);
		// The bounds of a number of working days, both ends: 1 and 60 are allowed.
		expect(
			DeadlinePolicy.load(write('one.json', JSON.stringify({ negativeReviewRectifyDays: { default: 1, regions: { '440300': 60 } } }))).rectifyDays(
				440305,
				440300,
				440000
			)
		).toBe(60);
		expect(DeadlinePolicy.load(write('one.json', JSON.stringify({ negativeReviewRectifyDays: { default: 1 } }))).rectifyDays(440305, 440300, 440000)).toBe(1);
		expect(() => DeadlinePolicy.load(write('broken.json', '{'))).toThrow(/cannot read the deadlines file .*broken\.json/);
		expect(() =>
			DeadlinePolicy.load(write('cutoff.json', JSON.stringify({ negativeReviewRectifyDays: { default: 5 }, receiptCutoff: { default: '17' } })))
		).toThrow(/cutoff\.json: receiptCutoff\.default: a cut-off is a time of day HH:MM/);
		expect(() =>
			DeadlinePolicy.load(
				write('cutoff-key.json', JSON.stringify({ negativeReviewRectifyDays: { default: 5 }, receiptCutoff: { default: null, regions: { '44': '17:00' } } }))
			)
		).toThrow(/receiptCutoff\.regions/);
		const rectify = (regions: object, days = 5) => write('r.json', JSON.stringify({ negativeReviewRectifyDays: { default: days, regions } }));
		for (const key of ['4403', '4403001', 'x44030', '44030x', '940300'])
			expect(() => DeadlinePolicy.load(rectify({ [key]: 7 })), key).toThrow(/negativeReviewRectifyDays\.regions/);
		expect(() => DeadlinePolicy.load(rectify({}, 61))).toThrow(/default/);
		expect(DeadlinePolicy.load(rectify({}, 60)).rectifyDays(440305, 440300, 440000)).toBe(60);
		expect(() => DeadlinePolicy.load(rectify({ '440300': 0 }, 0))).toThrow(
			/r\.json: negativeReviewRectifyDays\.default: .*; negativeReviewRectifyDays\.regions\.440300: /
		);
		for (const bad of ['17:00x', 'x17:00', '24:00', '17:60', '3:00', '1a:00', '17:0a'])
			expect(() => new DeadlinePolicy({ negativeReviewRectifyDays: { default: 5 }, receiptCutoff: { default: bad } }), bad).toThrow(/HH:MM/);
		expect(new DeadlinePolicy({ negativeReviewRectifyDays: { default: 5 }, receiptCutoff: { default: '23:59' } }).receiptCutoff(1, 1, 1)).toBe(1439);
		expect(
			DeadlinePolicy.load(write('no-cutoff.json', JSON.stringify({ negativeReviewRectifyDays: { default: 5 } }))).receiptCutoff(440305, 440300, 440000)
		).toBeNull();
		expect(DeadlinePolicy.load().rectifyDays(440305, 440300, 440000)).toBeGreaterThan(0); // the shipped file is valid
	});
});

// Every table's row written out by hand, field by field (ctx.now is 2026-11-22 14:00 Beijing time).
describe('the row of each event type', () => {
	const routed = (o: object, c: Parameters<typeof run>[1] = ctx) => run(line(o), c) as Routed;

	it('a 差评: region keys, masked comment, tags, and its rectification deadline', () => {
		const review = {
			type: 'review',
			review_id: 'r-1',
			case_id: 'c-1',
			ts: '2026-11-20T10:00:00+08:00',
			adcode: 440305,
			department: '市场监管局',
			item_code: 'X1',
			channel: 'mobile',
			rating: 2,
			named: false,
			tags: ['态度差'],
			comment: '电话13812345678没人接'
		};
		const r = routed(review);
		expect(r).toEqual({
			ok: true,
			table: 'reviews',
			ts: Date.UTC(2026, 10, 20, 2),
			row: {
				review_id: 'r-1',
				case_id: 'c-1',
				ts: '2026-11-20 02:00:00.000',
				adcode: 440305,
				province_code: 440000,
				city_code: 440300,
				department: '市场监管局',
				item_code: 'X1',
				channel: 'mobile',
				rating: 2,
				named: false,
				tags: ['态度差'],
				comment: '电话138****5678没人接',
				rectify_due_date: '2026-11-27',
				source: 'test'
			}
		});
		expect(routed(review, { ...ctx, keepRawText: true }).row.comment).toBe('电话13812345678没人接');
		// Rating 3 is no 差评: no deadline; the boundary is 2.
		expect(routed({ ...review, rating: 3 }).row.rectify_due_date).toBeNull();
	});

	it('a handling action: satisfaction only on a follow-up, the region when the source knows it', () => {
		const action = {
			type: 'review_action',
			action_id: 'a-1',
			review_id: 'r-1',
			action: 'follow_up',
			ts: '2026-11-21T09:30:00+08:00',
			outcome: '已回访，身份证11010519491231002X核对无误',
			satisfaction: '满意',
			adcode: 330106
		};
		expect(routed(action)).toEqual({
			ok: true,
			table: 'review_actions',
			ts: Date.UTC(2026, 10, 21, 1, 30),
			row: {
				action_id: 'a-1',
				review_id: 'r-1',
				action: 'follow_up',
				ts: '2026-11-21 01:30:00.000',
				outcome: '已回访，身份证110105********002X核对无误',
				satisfaction: 4,
				adcode: 330106,
				province_code: 330000,
				city_code: 330100,
				source: 'test'
			}
		});
		const reply = routed({ ...action, action: 'reply', satisfaction: 5, adcode: undefined });
		expect(reply.row).toMatchObject({ satisfaction: null, adcode: 0, province_code: 0, city_code: 0 });
	});

	it('a 12345 ticket: masked topic, satisfaction as sent', () => {
		const r = routed({
			type: 'ticket',
			event_id: 'e-9',
			ticket_id: 't-9',
			status: 'closed',
			ts: '2026-11-20T10:00:00+08:00',
			adcode: 440305,
			ticket_type: 'complaint',
			topic: '噪音 联系电话13912345678',
			satisfied: false
		});
		expect(r).toEqual({
			ok: true,
			table: 'hotline_events',
			ts: Date.UTC(2026, 10, 20, 2),
			row: {
				event_id: 'e-9',
				ticket_id: 't-9',
				status: 'closed',
				ts: '2026-11-20 02:00:00.000',
				adcode: 440305,
				province_code: 440000,
				city_code: 440300,
				ticket_type: 'complaint',
				topic: '噪音 联系电话139****5678',
				satisfied: false,
				due_ts: null,
				source: 'test'
			}
		});
	});

	it('a statistic of a city for a quarter, and a province’s annual target', () => {
		const release = '2026-10-20T10:00:00+08:00';
		expect(routed({ type: 'indicator', indicator: 'gdp', adcode: '440300', period: '2026-Q3', value: 2.5, unit: '%', release_ts: release })).toEqual({
			ok: true,
			table: 'indicator_values',
			ts: Date.UTC(2026, 9, 20, 2),
			row: {
				indicator: 'gdp',
				adcode: 440300,
				province_code: 440000,
				city_code: 440300,
				period: '2026-Q3',
				period_kind: 'quarter',
				period_start: '2026-07-01',
				value: 2.5,
				unit: '%',
				release_ts: '2026-10-20 02:00:00.000',
				source: 'test'
			}
		});
		expect(routed({ type: 'target', indicator: 'gdp', adcode: 440000, year: 2026, value: 5, unit: '%', release_ts: release })).toEqual({
			ok: true,
			table: 'indicator_targets',
			ts: Date.UTC(2026, 9, 20, 2),
			row: {
				indicator: 'gdp',
				adcode: 440000,
				province_code: 440000,
				city_code: 0,
				year: 2026,
				value: 5,
				unit: '%',
				release_ts: '2026-10-20 02:00:00.000',
				source: 'test'
			}
		});
	});

	it('a risk warning: its origin kept apart from the ingest source', () => {
		expect(
			routed({
				type: 'warning',
				warning_id: 'w-1',
				ts: '2026-11-22T08:00:00+08:00',
				adcode: 330203,
				source: '应急管理局',
				severity: 'high',
				title: '暴雨',
				detail: '请注意'
			})
		).toEqual({
			ok: true,
			table: 'risk_warnings',
			ts: Date.UTC(2026, 10, 22, 0),
			row: {
				warning_id: 'w-1',
				ts: '2026-11-22 00:00:00.000',
				adcode: 330203,
				province_code: 330000,
				city_code: 330200,
				origin: '应急管理局',
				severity: 'high',
				title: '暴雨',
				detail: '请注意',
				source: 'test'
			}
		});
	});
});

describe('refusals at their edges', () => {
	it('names what a line that is no object is', () => {
		expect(run(Buffer.from('[1,2]'), ctx)).toMatchObject({ step: 'parse', reason: 'not_an_object', detail: 'a JSON array, not an object' });
		expect(run(Buffer.from('null'), ctx)).toMatchObject({ reason: 'not_an_object', detail: 'a JSON object, not an object' });
		expect(run(Buffer.from('42'), ctx)).toMatchObject({ reason: 'not_an_object', detail: 'a JSON number, not an object' });
		expect(run(Buffer.from('{"type":'), ctx)).toMatchObject({ reason: 'invalid_json', typeHint: '' });
		expect((run(Buffer.from('{"type":'), ctx) as Refusal).detail).toMatch(/JSON/);
	});

	it('says why in each refusal of a step before the schema', () => {
		expect(run(Buffer.from([0x7b, 0xff, 0x7d]), ctx)).toMatchObject({ step: 'parse', detail: 'the line is not valid UTF-8', typeHint: '' });
		expect(run(line({ event_id: 'x' }), ctx)).toMatchObject({ reason: 'missing_type', detail: 'the event has no `type`' });
		expect(run(line(completed), { ...ctx, allowedTypes: new Set(['review'] as const) })).toMatchObject({
			detail: "this source may not send 'case' events"
		});
	});

	it('counts a completion at the last millisecond of the due day (Beijing) as on time', () => {
		// Due 2026-10-08 (see the first test): its last instant is 23:59:59.999 Beijing time.
		expect(run(line({ ...completed, ts: '2026-10-08T23:59:59.999+08:00' }), ctx)).toMatchObject({ row: { due_date: '2026-10-08', on_time: true } });
		expect(run(line({ ...completed, ts: '2026-10-09T00:00:00.000+08:00' }), ctx)).toMatchObject({ row: { on_time: false } });
	});

	it('takes a national target (adcode 0) with no region keys', () => {
		const r = run(line({ type: 'target', indicator: 'onTimeRate', adcode: '000000', year: 2026, value: 98, unit: '%', release_ts: '2026-01-05T09:00' }), ctx);
		expect(r).toMatchObject({ ok: true, table: 'indicator_targets', row: { adcode: 0, province_code: 0, city_code: 0, value: 98 } });
	});

	it('lists at most five schema problems, each with its path', () => {
		const r = run(line({ type: 'case', event_id: '', case_id: '', status: 'x', ts: 'x', adcode: 1, promised_days: -1 }), ctx) as Refusal;
		expect(r).toMatchObject({ step: 'validate', reason: 'schema_violation', typeHint: 'case' });
		const parts = r.detail.split('; ');
		expect(parts).toHaveLength(5);
		expect(parts[0]).toMatch(/^event_id: /);
		const nested = run(line({ ...completed, type: 'review', review_id: 'r', rating: 1, named: true, tags: ['x'.repeat(65)] }), ctx) as Refusal;
		expect(nested.detail).toMatch(/^tags\.0: /);
	});

	it('keeps a long unknown type short in the hint and the message', () => {
		// 100 characters: the hint keeps 40, the message the first 60 of the quoted type (its opening quote and 59).
		const r = run(line({ type: 'x'.repeat(100) }), ctx) as Refusal;
		expect(r).toMatchObject({ reason: 'unknown_type', typeHint: 'x'.repeat(40), detail: `unknown type "${'x'.repeat(59)}` });
		expect(run(line({ type: 7 }), ctx)).toMatchObject({ reason: 'unknown_type', typeHint: '' });
	});

	it('accepts times up to each limit and refuses one millisecond past it', () => {
		const submitted = (ts: string) => run(line({ ...completed, status: 'submitted', submitted_ts: undefined, ts }), ctx);
		expect(submitted('2000-01-01T00:00:00.000Z').ok).toBe(true);
		expect(submitted('1999-12-31T23:59:59.999Z')).toMatchObject({ reason: 'timestamp_too_old', detail: '1999-12-31T23:59:59.999Z is before 2000-01-01' });
		// Now + 24 h: 23 November 14:00 Beijing time.
		expect(submitted('2026-11-23T14:00:00.000+08:00').ok).toBe(true);
		expect(submitted('2026-11-23T14:00:00.001+08:00')).toMatchObject({
			reason: 'timestamp_in_future',
			detail: '2026-11-23T06:00:00.001Z is more than a day ahead'
		});
		const indicator = run(
			line({ type: 'indicator', indicator: 'cpi', adcode: 0, period: '2026-10', value: 1, unit: '%', release_ts: '2026-11-22T14:05:00.001+08:00' }),
			ctx
		);
		expect(indicator).toMatchObject({ detail: 'release_ts 2026-11-22T06:05:00.001Z is ahead of now by more than 5 minutes' });
		// Submitted and completed at the same instant is consistent; a millisecond later submission is not.
		expect(run(line({ ...completed, submitted_ts: completed.ts }), ctx).ok).toBe(true);
		expect(run(line({ ...completed, submitted_ts: '2026-10-08T16:00:00.001+08:00' }), ctx)).toMatchObject({ reason: 'inconsistent_times' });
	});
});
