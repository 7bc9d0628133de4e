/**
 * What every statement in queries/ shares: the caller (its warehouse and scope),
 * one way to read rows, and the guard for names that cannot be bound. The forms of
 * instants ClickHouse receives are src/lib/time/clickhouse-params.ts.
 */
import type { Context } from '../api/context.ts';

/** A statement needs the warehouse and the caller's scope, nothing else of the request. */
export type QueryCtx = Pick<Context, 'warehouse' | 'scope'>;

/** Rows of one statement; every value in `params` is bound (`{name:Type}`), never spliced. */
export async function rows<T>(ctx: Pick<QueryCtx, 'warehouse'>, sql: string, params: Record<string, unknown>): Promise<T[]> {
	const rs = await ctx.warehouse.query({ query: sql, query_params: params, format: 'JSONEachRow' });
	return rs.json<T>();
}

/** WHERE terms (from regionFilter) to append after a first condition. */
export const andAll = (terms: string[]) => terms.map((c) => `AND ${c}`).join(' ');

/**
 * A table or column name where ClickHouse cannot bind one (DDL, INSERT targets,
 * column lists): Tianshu's own names, never input, checked to be plain names so
 * nothing else can reach the text.
 */
export function identifier(name: string): string {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain table or column name: ${JSON.stringify(name.slice(0, 80))}`);
	return name;
}
