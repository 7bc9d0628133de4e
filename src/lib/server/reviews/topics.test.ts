/** Topics with the real segmenter (jieba) and the maintained dictionary, on real-looking comments. */
import { describe, expect, it } from 'vitest';
import { matchTopics, summarise } from '../../reviews/topics.ts';
import { segment, topicDictionary } from './segment.ts';

const DAY = 86_400_000;
const topicsOf = (text: string, tags: string[] = []) => matchTopics(segment(text), tags, topicDictionary());

describe('差评 topics', () => {
	it('puts 排队时间太长 and 等了两个小时 in one topic and 系统总是卡 in another', () => {
		expect(topicsOf('排队时间太长')).toEqual(['waiting']);
		expect(topicsOf('等了两个小时')).toEqual(['waiting']);
		expect(topicsOf('系统总是卡')).toEqual(['system']);
	});

	it('reads more real-looking comments, and tags alone', () => {
		expect(topicsOf('APP老是闪退，登录不了')).toEqual(['system']);
		expect(topicsOf('窗口工作人员态度冷漠，互相推诿')).toEqual(['attitude']);
		expect(topicsOf('材料要求反复提交，跑了三趟才办成')).toEqual(expect.arrayContaining(['materials', 'trips']));
		expect(topicsOf('', ['排队时间长'])).toEqual(['waiting']);
		// 卡片 is one word: no 系统故障.
		expect(topicsOf('社保卡片领取很方便')).toEqual([]);
	});

	it('lists frequent unmatched words and flags the same item and topic within 30 days as 反复出现', () => {
		const c = (id: string, ts: number, item: string, text: string) => ({ review_id: id, ts, item_code: item, hall: 440305, tags: [], words: segment(text) });
		const s = summarise(
			[
				c('1', 0, 'A', '排队时间太长'),
				c('2', 20 * DAY, 'A', '等了两个小时'),
				c('3', 0, 'B', '系统总是卡'),
				c('4', 45 * DAY, 'B', '系统又卡了'),
				c('5', 1, 'C', '停车场收费太贵'),
				c('6', 2, 'C', '停车场没有车位')
			],
			topicDictionary()
		);
		expect(s.topics.map((t) => [t.id, t.count])).toEqual([
			['waiting', 2],
			['system', 2]
		]);
		expect(s.recurring.map((r) => [r.item_code, r.topic])).toEqual([['A', 'waiting']]);
		expect(s.unmatched[0]).toEqual({ word: '停车场', count: 2 });
		expect(s.byHall).toEqual([
			{ hall: 440305, topic: 'waiting', count: 2 },
			{ hall: 440305, topic: 'system', count: 2 }
		]);
	});
});
