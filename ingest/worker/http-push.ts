/** Moved to ingest/sources/http-push.ts; kept so old imports work. */
export * from '../sources/http-push.ts';
