/** Moved to src/lib/time/ (the one home of time); kept so old imports work. */
export * from '../time/beijing-time.ts';
