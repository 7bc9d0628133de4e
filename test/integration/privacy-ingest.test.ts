/**
 * Privacy at ingest through `tianshu ingest` and the real warehouse: realistic
 * 差评 comments, handling notes and 12345 topics full of phone, ID and card numbers
 * and e-mail addresses, and refused lines quoting them. Nothing matching a phone,
 * ID or card pattern (checked here with this file's own rules) reaches a raw table
 * or an API reply; checksum-invalid look-alikes are stored as sent; with
 * TIANSHU_KEEP_RAW_TEXT=true the texts are stored as sent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../src/lib/server/api/root.ts';
import { SYSTEM } from '../../src/lib/server/auth/principal.ts';
import { LiveHub } from '../../src/lib/server/live/hub.ts';
import { ingestDatabase, runIngest } from '../helpers/ingest.ts';

type Db = Awaited<ReturnType<typeof ingestDatabase>>;
let db: Db;
let dir: string;

// Valid numbers checked outside Tianshu: the GB 11643 example ID, a hand-computed ID, Luhn test cards.
const TEXTS = [
	'窗口人员态度差，我电话13912345678打了三次没人回',
	'请联系我 138 1234 5678 或者座机0755-88886666',
	'身份证11010519491231002X复印了三份还说不行',
	'退款打到6222021234567890128，身份证440305199003071236',
	'卡号 4111 1111 1111 1111，邮箱 zhang.san@example.com',
	'全角号码１８９２２２２３３３３也留了',
	'办公室电话：8888 6666'
];
// Look-alikes whose check fails, and a number inside a longer run: stored as sent.
const LOOK_ALIKES = ['身份证440305199003071234写错了', '卡号4111111111111112不对', '订单号2024050113812345678'];

const ts = '2026-11-20T10:00:00+08:00';
const review = (id: string, comment: string) => ({
	type: 'review',
	review_id: id,
	case_id: `case-${id}`,
	ts,
	adcode: 440305,
	department: '市场监督管理局',
	item_code: 'ITEM-1',
	channel: 'web',
	rating: 1,
	named: true,
	tags: ['态度差'],
	comment
});
// Each 差评 verified once: an action its state allows (a follow-up before any rectification is refused at ingest).
const action = (id: string, reviewId: string, outcome: string) => ({
	type: 'review_action',
	action_id: id,
	review_id: reviewId,
	action: 'verify',
	ts,
	outcome,
	adcode: 440305
});
const ticket = (id: string, topic: string) => ({
	type: 'ticket',
	event_id: id,
	ticket_id: `t-${id}`,
	status: 'created',
	ts,
	adcode: 440305,
	ticket_type: 'complaint',
	topic
});

function feed(prefix: string): string {
	const lines = [
		...TEXTS.map((t, i) => review(`${prefix}r-${i}`, t)),
		...TEXTS.map((t, i) => action(`${prefix}a-${i}`, `${prefix}r-${i}`, `核实：${t}`)),
		...TEXTS.map((t, i) => ticket(`${prefix}t-${i}`, t)),
		...LOOK_ALIKES.map((t, i) => review(`${prefix}l-${i}`, t))
	].map((e) => JSON.stringify(e));
	// Refused lines whose head and parser message quote the number: not JSON, and a schema violation.
	lines.push(`{"type":"review","comment":"电话13912345678 身份证11010519491231002X" oops`);
	lines.push(JSON.stringify({ ...review(`${prefix}bad`, '卡号6222021234567890128'), rating: 9 }));
	return `${lines.join('\n')}\n`;
}

/** This file's own rules: a mobile number, a checksum-valid ID, a Luhn-valid 16–19-digit run, an e-mail address. */
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11);
function leaks(text: string): string[] {
	const plain = text.replace(/[０-９Ｘ＠]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
	const found: string[] = [];
	const runs = plain.replace(/(\d)[ -](?=\d)/g, '$1').match(/\d+[Xx]?/g) ?? [];
	for (const run of runs) {
		if (/^(?:0086|86)?1[3-9]\d{9}$/.test(run)) found.push(`mobile ${run}`);
		if (/^\d{17}[\dXx]$/.test(run)) {
			const sum = [...run.slice(0, 17)].reduce((s, c, i) => s + Number(c) * WEIGHTS[i]!, 0);
			if ('10X98765432'[sum % 11] === run[17]!.toUpperCase()) found.push(`id ${run}`);
		}
		if (/^\d{16,19}$/.test(run)) {
			const luhn = [...run].reverse().reduce((s, c, i) => s + (i % 2 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(c)]! : Number(c)), 0);
			if (luhn % 10 === 0) found.push(`card ${run}`);
		}
	}
	if (/8888\s?6666/.test(plain)) found.push('landline');
	if (/[a-z0-9._-]{2,}@example\.com/i.test(plain)) found.push('email');
	return found;
}

async function rows<T>(query: string): Promise<T[]> {
	return (await db.warehouse.query({ query, format: 'JSONEachRow' })).json<T>();
}

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'tianshu-privacy-'));
	db = await ingestDatabase('privacy');
	writeFileSync(path.join(dir, 'masked.ndjson'), feed(''));
	writeFileSync(path.join(dir, 'raw.ndjson'), feed('raw-'));
	const masked = await runIngest(db.database, ['--file', path.join(dir, 'masked.ndjson'), '--once']).done;
	expect(masked.code, masked.stderr).toBe(0);
}, 240_000);
afterAll(async () => {
	await db?.drop();
	rmSync(dir, { recursive: true, force: true });
});

describe('privacy at ingest', () => {
	it('the rules of this test find every planted number in the texts as sent', () => {
		expect(TEXTS.map((t) => leaks(t).length)).toEqual([1, 2, 1, 2, 2, 1, 1]);
		expect(LOOK_ALIKES.map(leaks)).toEqual([[], [], []]);
	});

	it('no phone, ID or card number and no e-mail address reaches a raw table', async () => {
		const stored = await rows<Record<string, unknown>>(
			`SELECT * FROM (
				SELECT 'reviews' AS t, comment AS text FROM reviews
				UNION ALL SELECT 'review_actions', outcome FROM review_actions
				UNION ALL SELECT 'hotline_events', topic FROM hotline_events
				UNION ALL SELECT 'ingest_dead_letter', concat(raw, ' ', detail) FROM ingest_dead_letter
			) ORDER BY t`
		);
		const count = (t: string) => stored.filter((r) => r.t === t).length;
		expect([count('reviews'), count('review_actions'), count('hotline_events'), count('ingest_dead_letter')]).toEqual([10, 7, 7, 2]);
		const found = stored.flatMap((r) => leaks(String(r.text)).map((l) => `${String(r.t)}: ${l}`));
		expect(found).toEqual([]);
		// Masked, not dropped: what is kept of each number is there.
		const comments = (await rows<{ comment: string }>("SELECT comment FROM reviews WHERE review_id LIKE 'r-%' ORDER BY review_id")).map((r) => r.comment);
		expect(comments).toEqual([
			'窗口人员态度差，我电话139****5678打了三次没人回',
			'请联系我 138 **** 5678 或者座机0755-****6666',
			'身份证110105********002X复印了三份还说不行',
			'退款打到6222***********0128，身份证440305********1236',
			'卡号 4111 **** **** 1111，邮箱 z***@example.com',
			'全角号码１８９****３３３３也留了',
			'办公室电话：**** 6666'
		]);
	});

	it('keeps checksum-invalid look-alikes as sent', async () => {
		const comments = (await rows<{ comment: string }>("SELECT comment FROM reviews WHERE review_id LIKE 'l-%' ORDER BY review_id")).map((r) => r.comment);
		expect(comments).toEqual(LOOK_ALIKES);
	});

	it('no API reply carries one either (12345 topics grouped through the planner, dead letters through ingest.health)', async () => {
		const caller = createCaller({ warehouse: db.warehouse, hub: new LiveHub({ watermark: async () => '' }), principal: SYSTEM, scope: { all: true } });
		const reply = await caller.indicators.query({
			indicators: ['ticketVolume'],
			from: '2026-11-20',
			to: '2026-11-21',
			grain: 'total',
			region: { adcode: 440305, by: 'self' },
			groupBy: ['topic']
		});
		const text = JSON.stringify(reply);
		expect(text).toContain('139****5678');
		expect(leaks(text)).toEqual([]);
		const health = JSON.stringify(await caller.ingest.health());
		expect(leaks(health)).toEqual([]);
	});

	it('stores the texts as sent with TIANSHU_KEEP_RAW_TEXT=true', async () => {
		const raw = await runIngest(db.database, ['--file', path.join(dir, 'raw.ndjson'), '--once'], { TIANSHU_KEEP_RAW_TEXT: 'true' }).done;
		expect(raw.code, raw.stderr).toBe(0);
		const comments = (await rows<{ comment: string }>("SELECT comment FROM reviews WHERE review_id LIKE 'raw-r-%' ORDER BY review_id")).map((r) => r.comment);
		expect(comments).toEqual(TEXTS);
		// The refused line too: this file's rules see the card in it now.
		const [dead] = await rows<{ text: string }>("SELECT concat(raw, ' ', detail) AS text FROM ingest_dead_letter WHERE position(raw, 'raw-bad') > 0");
		expect(leaks(dead!.text)).toEqual(['card 6222021234567890128']);
	});
});
