/**
 * Chinese word segmentation for 差评 comments (jieba, native, server only) and the topic dictionary
 * (ingest/config/review-topics.yaml, bundled with the build). Both loaded once, on first use.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { parse } from 'yaml';
import dictionaryText from '../../../../ingest/config/review-topics.yaml?raw';
import { TopicDictionary } from '../../reviews/topics.ts';

let jieba: Jieba | undefined;
let dictionary: TopicDictionary | undefined;

/** The words of a text, as jieba's precise mode cuts them (no HMM, so unseen words are not invented), trimmed, blanks dropped. */
export function segment(text: string): string[] {
	jieba ??= Jieba.withDict(dict);
	return jieba
		.cut(text, false)
		.map((w) => w.trim())
		.filter((w) => w.length > 0);
}

/** The maintained topic dictionary, checked. */
export function topicDictionary(): TopicDictionary {
	dictionary ??= TopicDictionary.parse(parse(dictionaryText));
	return dictionary;
}
