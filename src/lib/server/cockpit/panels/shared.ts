/** What the panel modules share: the caller, indicator labels, planner queries, and running tasks together. */
import { indicator as catalogueIndicator } from '../../../indicators/catalogue.ts';
import { beijingLocal } from '../../../time/beijing-time.ts';
import type { IndicatorLabel } from '../../../cockpit/model.ts';
import type { Context } from '../../api/context.ts';
import { MUNICIPALITIES } from '../../planner/plan.ts';
import { QueryRequest, type QueryInput } from '../../planner/request.ts';
import { runQuery, type QueryResult } from '../../planner/run.ts';
import { rollupIndicator } from '../../planner/rollups.ts';
import type { Counts } from '../../queries/cockpit/so-far.ts';

export type Ctx = Pick<Context, 'warehouse' | 'scope'>;

export function label(code: string): IndicatorLabel {
	const d = catalogueIndicator(code)!;
	return { code: d.code, nameZh: d.nameZh, unit: d.unit, polarity: d.polarity, kind: d.kind };
}

/** One planner request, validated as the API validates it, inside the caller's scope. */
export function query(ctx: Ctx, input: QueryInput): Promise<QueryResult> {
	return runQuery(ctx.warehouse, QueryRequest.parse(input), ctx.scope);
}

/**
 * Starts every task at once and waits for all. A task that throws before its query
 * starts (a bad date, say) rejects like the others instead of leaving the queries
 * already started unawaited — the unhandled rejection that once killed the web process.
 */
export function parallel<T extends readonly (() => Promise<unknown>)[]>(...tasks: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
	return Promise.all(tasks.map(async (task) => task())) as Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }>;
}

/**
 * An indicator's value from counts named as the rollups' columns (queries/cockpit/so-far.ts), by the
 * formula of the rollup catalogue (planner/rollups.ts); a count not there is that of an empty bucket.
 */
export function valueFromCounts(code: string, counts: Counts | undefined): number | null {
	const ind = rollupIndicator(code)!;
	const m: Record<string, number | null> = {};
	for (const [name, def] of Object.entries(ind.measures)) {
		// sum(column), or sum(column - less): the reviews that count, less the upheld appeals (planner/rollups.ts).
		const [, column, less] = /^sum\((\w+)(?: - (\w+))?\)$/.exec(def.sql) ?? [];
		// A programming error, not data: only summed counts can be added up across the rollups and the events.
		if (!column) throw new Error(`${code}: ${def.sql} is not a count`);
		const have = counts?.[column];
		m[name] = have === undefined ? def.empty : have - (less ? (counts?.[less] ?? 0) : 0);
	}
	return ind.value(m);
}

/** A planner window [from, to) in Beijing local time. */
export const range = (from: number, to: number) => ({ from: beijingLocal(from), to: beijingLocal(to) });

/** The region a county is ranked within: its city, or its province when the province has no cities (直辖市, 省直辖县). */
export function countyParent(adcode: number): number {
	const province = Math.floor(adcode / 10000) * 10000;
	const city = Math.floor(adcode / 100) * 100;
	return MUNICIPALITIES.has(province) || city % 10000 === 9000 ? province : city;
}
