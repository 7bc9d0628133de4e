import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contributionPeriods, defaultViewState, inclusiveEnd, parseViewState, pivotInput, serialiseViewState, type ViewState } from './view-state.ts';
import { parseTimestamp } from '../time/timestamps.ts';

const NOW = parseTimestamp('2026-11-29T12:00');

describe('view state in the URL', () => {
	it('an empty query is the default view: the last 30 whole Beijing days', () => {
		const r = parseViewState('', { now: NOW, region: 440100 });
		expect(r).toEqual({
			ok: true,
			state: {
				indicators: ['onTimeRate'],
				region: 440100,
				from: '2026-10-30',
				to: '2026-11-29',
				grain: 'day',
				compare: 'previousPeriod',
				filters: {},
				by: 'region',
				tab: 'chart'
			}
		});
		expect(serialiseViewState(defaultViewState(NOW), { now: NOW })).toBe('');
	});

	it('reads every key and writes it back the same', () => {
		const q =
			'ind=onTimeRate%2CcaseVolume&r=440106&from=2026-11-01&to=2026-11-08&g=week&cmp=yoy&by=item&s=channel&bf=2026-10-01&bt=2026-10-08&dim=region%2Citem&tab=contributions&item=A1&item=A2&channel=web';
		const r = parseViewState(`?${q}`, { now: NOW });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.state.filters).toEqual({ item: ['A1', 'A2'], channel: ['web'] });
		expect(r.state.base).toEqual({ from: '2026-10-01', to: '2026-10-08' });
		expect(serialiseViewState(r.state, { now: NOW })).toBe(q);
	});

	it('refuses unknown keys, bad values, five indicators, a reversed period and a query over 4 kB', () => {
		const bad = [
			'x=1',
			'g=minute',
			'ind=a,b',
			'ind=caseVolume,onTimeRate,earlyRate,avgDuration,zeroTripRate',
			'from=2026-11-08&to=2026-11-01',
			'r=12',
			'channel=fax',
			'bf=2026-10-01',
			`item=${'a'.repeat(4100)}`
		];
		for (const q of bad) expect(parseViewState(q, { now: NOW }).ok, q).toBe(false);
	});

	it('round-trips any valid view (property)', () => {
		const view = fc.record({
			indicators: fc.uniqueArray(fc.constantFrom('caseVolume', 'onTimeRate', 'ticketVolume', 'positiveRate', 'avgDuration'), { minLength: 1, maxLength: 4 }),
			region: fc.constantFrom(0, 440000, 440100, 440106),
			from: fc.constantFrom('2026-01-01', '2026-10-01T08:00'),
			to: fc.constantFrom('2026-12-01', '2026-11-02T10:00'),
			grain: fc.constantFrom('hour', 'day', 'week', 'month', 'quarter', 'year'),
			compare: fc.constantFrom('none', 'yoy', 'mom', 'previousPeriod'),
			filters: fc.record(
				{ item: fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }), channel: fc.constant(['web', 'kiosk']) },
				{ requiredKeys: [] }
			),
			by: fc.constantFrom('region', 'department', 'item', 'channel', 'ticketType', 'topic'),
			tab: fc.constantFrom('chart', 'table', 'contributions', 'detail')
		}) as fc.Arbitrary<ViewState>;
		fc.assert(
			fc.property(view, (v) => {
				const r = parseViewState(serialiseViewState(v, { now: NOW }), { now: NOW });
				expect(r).toEqual({ ok: true, state: v });
			})
		);
	});

	it('the base of "what moved it" is the comparison period by the Beijing calendar', () => {
		const v = { ...defaultViewState(NOW), from: '2024-02-01', to: '2024-03-01' };
		expect(contributionPeriods({ ...v, compare: 'yoy' }).base).toEqual({ from: '2023-02-01', to: '2023-03-01' });
		expect(contributionPeriods({ ...v, compare: 'mom' }).base).toEqual({ from: '2024-01-01', to: '2024-02-01' });
		expect(contributionPeriods({ ...v, compare: 'none' }).base).toEqual({ from: '2024-01-03', to: '2024-02-01' });
		expect(inclusiveEnd('2024-03-01')).toBe('2024-02-29');
	});
});

describe('the pivot table in the URL (pc, pr, pg)', () => {
	it('columns alone: rows are the view’s `by`, the grain month; written back the same', () => {
		const r = parseViewState('by=region&pc=item&tab=pivot', { now: NOW });
		expect(r).toMatchObject({ ok: true, state: { by: 'region', tab: 'pivot', pivot: { rows: 'region', columns: 'item', grain: 'month' } } });
		if (!r.ok) return;
		expect(serialiseViewState(r.state, { now: NOW })).toBe('tab=pivot&pc=item');
	});

	it('time rows at a week grain round-trip; the grain is written only for a time axis', () => {
		const q = 'by=item&tab=pivot&pc=item&pr=time&pg=week';
		const r = parseViewState(q, { now: NOW });
		expect(r).toMatchObject({ ok: true, state: { pivot: { rows: 'time', columns: 'item', grain: 'week' } } });
		if (!r.ok) return;
		expect(serialiseViewState(r.state, { now: NOW })).toBe(q);
		const noTime: ViewState = { ...r.state, pivot: { rows: 'region', columns: 'item', grain: 'week' } };
		expect(serialiseViewState(noTime, { now: NOW })).toBe('by=item&tab=pivot&pc=item&pr=region');
		// The default grain is not written.
		expect(serialiseViewState({ ...r.state, pivot: { rows: 'item', columns: 'time', grain: 'month' } }, { now: NOW })).toBe('by=item&tab=pivot&pc=time');
	});

	it('refuses the same dimension twice, an unknown dimension or grain, pr or pg without pc, and pg without time', () => {
		const bad: Array<[string, RegExp]> = [
			['pc=region', /行与列不能是同一维度/],
			['pc=item&pr=item', /行与列不能是同一维度/],
			['pc=time&pr=time', /行与列不能是同一维度/],
			['pc=weather', /透视维度须为/],
			['pc=time&pg=hour', /时间粒度须为/],
			['pc=time&pg=year', /时间粒度须为/],
			['pr=item', /列维度（pc）/],
			['pg=week', /列维度（pc）/],
			['pc=item&pg=week', /仅用于按时间透视/],
			['tab=pivots', /视图参数无效/]
		];
		for (const [q, message] of bad) {
			const r = parseViewState(q, { now: NOW });
			expect(r.ok, q).toBe(false);
			if (!r.ok) expect(r.message, q).toMatch(message);
		}
	});

	it('pivotInput carries the axes, and the grain only for a time axis', () => {
		const base = defaultViewState(NOW, 440100);
		expect(pivotInput(base)).toBeUndefined();
		expect(pivotInput({ ...base, pivot: { rows: 'region', columns: 'item', grain: 'week' } })).toEqual({
			indicator: 'onTimeRate',
			region: 440100,
			from: '2026-10-30',
			to: '2026-11-29',
			filters: {},
			rows: 'region',
			columns: 'item'
		});
		expect(pivotInput({ ...base, pivot: { rows: 'item', columns: 'time', grain: 'week' } })).toMatchObject({ rows: 'item', columns: 'time', grain: 'week' });
	});

	it('round-trips any valid pivot (property)', () => {
		const dims = ['region', 'department', 'item', 'channel', 'ticketType', 'topic', 'time'] as const;
		const axes = fc
			.record({
				rows: fc.constantFrom(...dims),
				columns: fc.constantFrom(...dims),
				grain: fc.constantFrom('day', 'week', 'month', 'quarter') as fc.Arbitrary<'day'>
			})
			.filter((p) => p.rows !== p.columns)
			// A grain without a time axis is not kept in the URL: the view has the default then.
			.map((p) => (p.rows === 'time' || p.columns === 'time' ? p : { ...p, grain: 'month' as const }));
		fc.assert(
			fc.property(axes, fc.constantFrom('region', 'item', 'channel') as fc.Arbitrary<'item'>, (pivot, by) => {
				const v: ViewState = { ...defaultViewState(NOW), by, tab: 'pivot', pivot };
				expect(parseViewState(serialiseViewState(v, { now: NOW }), { now: NOW })).toEqual({ ok: true, state: v });
			})
		);
	});
});
