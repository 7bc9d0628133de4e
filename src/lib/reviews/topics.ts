/**
 * 差评 topics: the review's tags and a maintained dictionary (ingest/config/review-topics.yaml) applied to the
 * words of its comment (segmented by jieba on the server, src/lib/server/reviews/segment.ts). Frequent words no
 * topic matched are listed so the dictionary can grow; a topic that comes back for the same item within 30 days
 * is 反复出现. Pure: words in, counts out.
 */
import { z } from 'zod';
import { DAY_MS } from '../time/beijing-time.ts';

const word = z.string().min(1).max(20);
export const TopicDictionary = z.object({
	topics: z
		.array(
			z.object({
				id: z.string().regex(/^[a-z][a-z0-9_]*$/),
				name: z.string().min(1).max(20),
				tags: z.array(word).max(50).default([]),
				words: z.array(word).max(200).default([]),
				near: z
					.array(z.object({ first: z.array(word).min(1).max(50), then: z.array(word).min(1).max(50), within: z.number().int().min(1).max(10) }))
					.max(20)
					.default([])
			})
		)
		.min(1)
		.max(50)
});
export type TopicDictionary = z.output<typeof TopicDictionary>;

/** The topics of one comment (dictionary order). */
export function matchTopics(words: readonly string[], tags: readonly string[], dict: TopicDictionary): string[] {
	const set = new Set(words);
	const out: string[] = [];
	for (const t of dict.topics) {
		const hit =
			t.tags.some((g) => tags.includes(g)) ||
			t.words.some((w) => set.has(w)) ||
			t.near.some((n) => words.some((w, i) => n.first.includes(w) && words.slice(i + 1, i + 1 + n.within).some((x) => n.then.includes(x))));
		if (hit) out.push(t.id);
	}
	return out;
}

/** Words too common to say anything, and what is not a word (punctuation, digits, single characters). */
const STOP = new Set([
	'我们',
	'你们',
	'他们',
	'这个',
	'那个',
	'什么',
	'没有',
	'就是',
	'还是',
	'但是',
	'因为',
	'所以',
	'而且',
	'一个',
	'一下',
	'已经',
	'希望',
	'改进',
	'办理',
	'工作',
	'人员',
	'总是',
	'非常',
	'真的',
	'时间',
	'不是',
	'可以',
	'需要',
	'现在',
	'问题'
]);
const isWordLike = (w: string) => w.length >= 2 && /\p{Script=Han}/u.test(w) && !STOP.has(w);

export interface TopicComment {
	review_id: string;
	ts: number;
	item_code: string;
	/** The hall (see queries/reviews/rankings.ts): a county's counter channel; null for other channels. */
	hall: number | null;
	tags: string[];
	words: string[];
}

export interface TopicSummary {
	topics: Array<{ id: string; name: string; count: number; examples: string[] }>;
	byItem: Array<{ item_code: string; topic: string; count: number; recurring: boolean; lastTs: number }>;
	byHall: Array<{ hall: number; topic: string; count: number }>;
	/** Frequent words (≥ 2 comments) of the comments whose words matched no topic: candidates for the dictionary. */
	unmatched: Array<{ word: string; count: number }>;
	/** 反复出现: the same item and topic again within 30 days. */
	recurring: Array<{ item_code: string; topic: string; count: number; firstTs: number; lastTs: number }>;
	comments: number;
}

export const RECUR_WITHIN_MS = 30 * DAY_MS;

/** Whether some two occurrences (times, any order) are at most 30 days apart. */
export function recurs(times: readonly number[]): boolean {
	const s = [...times].sort((a, b) => a - b);
	return s.some((t, i) => i > 0 && t - s[i - 1]! <= RECUR_WITHIN_MS);
}

export function summarise(comments: readonly TopicComment[], dict: TopicDictionary, texts?: ReadonlyMap<string, string>, unmatchedTop = 30): TopicSummary {
	const names = new Map(dict.topics.map((t) => [t.id, t.name]));
	const topicCount = new Map<string, { count: number; examples: string[] }>();
	const itemTimes = new Map<string, number[]>();
	const hallCount = new Map<string, number>();
	const unmatched = new Map<string, number>();
	const dictWords = new Set(dict.topics.flatMap((t) => [...t.words, ...t.near.flatMap((n) => [...n.first, ...n.then])]));
	for (const c of comments) {
		const topics = matchTopics(c.words, c.tags, dict);
		for (const t of topics) {
			const x = topicCount.get(t) ?? { count: 0, examples: [] };
			x.count++;
			const text = texts?.get(c.review_id);
			if (text && x.examples.length < 3) x.examples.push(text.slice(0, 80));
			topicCount.set(t, x);
			const k = `${c.item_code}\u0000${t}`;
			(itemTimes.get(k) ?? itemTimes.set(k, []).get(k)!).push(c.ts);
			if (c.hall !== null) hallCount.set(`${c.hall}\u0000${t}`, (hallCount.get(`${c.hall}\u0000${t}`) ?? 0) + 1);
		}
		// The dictionary's gaps: words of comments whose words matched no topic (a tag may have matched).
		if (matchTopics(c.words, [], dict).length === 0)
			for (const w of new Set(c.words)) if (isWordLike(w) && !dictWords.has(w)) unmatched.set(w, (unmatched.get(w) ?? 0) + 1);
	}
	const byItem = [...itemTimes].map(([k, times]) => {
		const [item_code, topic] = k.split('\u0000') as [string, string];
		return { item_code, topic, count: times.length, recurring: recurs(times), lastTs: Math.max(...times), firstTs: Math.min(...times) };
	});
	return {
		topics: dict.topics
			.filter((t) => topicCount.has(t.id))
			.map((t) => ({ id: t.id, name: names.get(t.id)!, ...topicCount.get(t.id)! }))
			.sort((a, b) => b.count - a.count),
		byItem: byItem.map(({ firstTs: _f, ...x }) => x).sort((a, b) => b.count - a.count || a.item_code.localeCompare(b.item_code)),
		byHall: [...hallCount]
			.map(([k, count]) => {
				const [hall, topic] = k.split('\u0000') as [string, string];
				return { hall: Number(hall), topic, count };
			})
			.sort((a, b) => b.count - a.count || a.hall - b.hall),
		unmatched: [...unmatched]
			.filter(([, n]) => n >= 2)
			.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
			.slice(0, unmatchedTop)
			.map(([word, count]) => ({ word, count })),
		recurring: byItem
			.filter((x) => x.recurring)
			.map(({ item_code, topic, count, firstTs, lastTs }) => ({ item_code, topic, count, firstTs, lastTs }))
			.sort((a, b) => b.count - a.count),
		comments: comments.length
	};
}
