import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WallStream, type Subscribe, type WallTick } from './wall-stream.svelte.ts';

/** A stand-in for the tRPC subscription that records each opening and lets the test drive it. */
function fakeServer() {
	const openings: Array<{ lastEventId: string | undefined; handlers: Parameters<Subscribe>[1]; closed: boolean }> = [];
	const subscribe: Subscribe = (lastEventId, handlers) => {
		const o = { lastEventId, handlers, closed: false };
		openings.push(o);
		return { unsubscribe: () => (o.closed = true) };
	};
	return { openings, subscribe, current: () => openings[openings.length - 1]! };
}

const tick = (panel: WallTick['panel'], at: number, mapIndicator?: WallTick['mapIndicator']): WallTick => ({ panel, at, mapIndicator, data: {} });

describe('the wall stream', () => {
	const t0 = Date.parse('2026-11-28T10:00:00+08:00');
	beforeEach(() => {
		vi.useFakeTimers();
		vi.setSystemTime(t0);
	});
	afterEach(() => vi.useRealTimers());

	it('hands every value on and remembers the last id', () => {
		const server = fakeServer();
		const seen: string[] = [];
		const s = new WallStream(server.subscribe, (t) => seen.push(t.panel), t0);
		s.open();
		server.current().handlers.onData({ id: '7', data: tick('kpis', t0) });
		server.current().handlers.onData({ id: '8', data: tick('map', t0, 'onTimeRate') });
		expect(seen).toEqual(['kpis', 'map']);
		expect(s.lastId).toBe('8');
		s.close();
	});

	it('greys on a connection error and reopens from the last id 5 s after the stream ends', () => {
		const server = fakeServer();
		const s = new WallStream(server.subscribe, () => {}, t0);
		s.open();
		server.current().handlers.onData({ id: '41', data: tick('kpis', t0) });
		server.current().handlers.onConnectionStateChange({ state: 'connecting', error: new Error('down') });
		expect(s.stale).toBe(true);
		server.current().handlers.onError(new Error('gone'));
		vi.advanceTimersByTime(4_999);
		expect(server.openings).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(server.openings).toHaveLength(2);
		expect(server.current().lastEventId).toBe('41');
		server.current().handlers.onData({ id: '42', data: tick('kpis', Date.now()) });
		expect(s.stale).toBe(false);
		s.close();
	});

	it('does not reopen once the page closed it', () => {
		const server = fakeServer();
		const s = new WallStream(server.subscribe, () => {}, t0);
		s.open();
		s.close();
		expect(server.current().closed).toBe(true);
		server.current().handlers.onComplete();
		vi.advanceTimersByTime(60_000);
		expect(server.openings).toHaveLength(1);
	});

	it('names a panel whose values stopped coming while others keep arriving, with the instant of its newest value', () => {
		const server = fakeServer();
		const s = new WallStream(server.subscribe, () => {}, t0 - 2_000, t0);
		s.open();
		let i = 0;
		const feed = (seconds: number) => {
			for (const end = i + seconds; i < end; i++) {
				vi.advanceTimersByTime(1_000);
				// kpis and the economy keep coming; the ticker stopped at 10:00:05; nothing else ever came after the first picture.
				server.current().handlers.onData({ id: String(i), data: tick('kpis', Date.now()) });
				if (i % 30 === 0) server.current().handlers.onData({ id: `e${i}`, data: tick('economy', Date.now()) });
				if (i === 4) server.current().handlers.onData({ id: 't', data: tick('ticker', Date.now() - 500) });
			}
		};
		feed(40);
		expect(s.stopped('caseVolume')).toEqual({});
		feed(10); // 50 s after opening: the panels that got nothing since the first picture are past 45 s
		const stopped = s.stopped('caseVolume');
		expect(stopped.ticker).toBeUndefined(); // its newest value is 45 s old
		expect(stopped.kpis).toBeUndefined();
		expect(stopped.economy).toBeUndefined(); // 135 s allowed
		expect(stopped.services).toBe(t0 - 2_000); // only the first picture: stopped at the first picture's instant
		feed(1);
		expect(s.stopped('caseVolume').ticker).toBe(t0 + 5_000 - 500);
		s.close();
	});

	it('judges the map by the colouring on screen', () => {
		const server = fakeServer();
		const s = new WallStream(server.subscribe, () => {}, t0, t0);
		s.open();
		for (let i = 0; i < 60; i++) {
			vi.advanceTimersByTime(1_000);
			server.current().handlers.onData({ id: String(i), data: tick('map', Date.now(), 'onTimeRate') });
		}
		expect(s.stopped('onTimeRate').map).toBeUndefined();
		expect(s.stopped('caseVolume').map).toBe(t0);
		s.close();
	});

	it('says nothing about panels while the connection is down (the marker covers it)', () => {
		const server = fakeServer();
		const s = new WallStream(server.subscribe, () => {}, t0, t0);
		s.open();
		server.current().handlers.onConnectionStateChange({ state: 'connecting', error: new Error('down') });
		vi.advanceTimersByTime(600_000);
		expect(s.stopped('caseVolume')).toEqual({});
		s.close();
	});
});
