/** Moved to ingest/sources/ (lines.ts: the one splitter; file-follow.ts: readLines); kept so old imports work. */
export { DEAD_LETTER_HEAD_BYTES, lineOf, utf8Head, type Line } from '../sources/lines.ts';
export { readLines, type ReadOptions } from '../sources/file-follow.ts';
