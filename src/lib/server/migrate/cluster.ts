/**
 * Renders single-server DDL for a ClickHouse cluster. Pure.
 *
 * - `CREATE TABLE t … ENGINE = XMergeTree(args)` becomes a replicated local table
 *   `t_local ON CLUSTER c … ENGINE = ReplicatedXMergeTree('/clickhouse/tables/{shard}/{database}/t_local', '{replica}', args)`
 *   plus a `Distributed` table named `t` that reads (and may write) across shards,
 *   so queries keep using `t`. The sharding key is `rand()` unless the statement
 *   carries a `-- shard_by: <expr>` directive.
 * - Materialized views are created on every node and write to the local table.
 * - `ALTER TABLE t` goes to `t_local`, and column changes to `t` as well.
 * - Other statements get `ON CLUSTER`.
 */
import type { Statement } from './sql-statements.ts';

const IDENT = '([A-Za-z_][A-Za-z0-9_]*)';

export class ClusterRenderError extends Error {}

/**
 * `localTables` carries the tables split into local + Distributed by earlier
 * statements; pass the same set through every migration, in order, so a view in
 * a later migration reads the local tables of an earlier one.
 */
export function renderForCluster(statements: Statement[], cluster: string, localTables: Set<string> = new Set()): string[] {
	if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(cluster)) throw new ClusterRenderError(`invalid cluster name '${cluster}'`);
	const onCluster = `ON CLUSTER ${quoteIfNeeded(cluster)}`;
	const out: string[] = [];
	for (const { sql, directives } of statements) {
		let m: RegExpExecArray | null;
		if ((m = new RegExp(`^CREATE\\s+DATABASE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}`, 'i').exec(sql))) {
			out.push(insertAfter(sql, m[0], ` ${onCluster}`));
		} else if ((m = new RegExp(`^CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}`, 'i').exec(sql))) {
			const name = m[2]!;
			const engine = /ENGINE\s*=\s*([A-Za-z]*MergeTree)(?:\s*\(([^()]*)\))?/i.exec(sql);
			if (!engine || /^Replicated/i.test(engine[1]!)) {
				out.push(insertAfter(sql, m[0], ` ${onCluster}`));
				continue;
			}
			const local = `${name}_local`;
			localTables.add(name);
			const args = [`'/clickhouse/tables/{shard}/{database}/${local}'`, `'{replica}'`];
			if (engine[2]?.trim()) args.push(engine[2].trim());
			const header = `CREATE TABLE ${m[1] ?? ''}${local} ${onCluster}`;
			const replicated = sql.replace(m[0], header).replace(engine[0], `ENGINE = Replicated${engine[1]}(${args.join(', ')})`);
			out.push(replicated);
			const shardBy = directives['shard_by'] ?? 'rand()';
			out.push(
				`CREATE TABLE ${m[1] ?? ''}${name} ${onCluster} AS ${local}\nENGINE = Distributed(${quoteIfNeeded(cluster)}, currentDatabase(), ${local}, ${shardBy})`
			);
		} else if ((m = new RegExp(`^CREATE\\s+MATERIALIZED\\s+VIEW\\s+(IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}`, 'i').exec(sql))) {
			let view = insertAfter(sql, m[0], ` ${onCluster}`);
			view = view.replace(new RegExp(`\\bTO\\s+${IDENT}`, 'i'), (all, t: string) => (localTables.has(t) ? `TO ${t}_local` : all));
			view = view.replace(new RegExp(`\\b(FROM|JOIN)\\s+${IDENT}`, 'gi'), (all, kw: string, t: string) => (localTables.has(t) ? `${kw} ${t}_local` : all));
			out.push(view);
		} else if ((m = new RegExp(`^CREATE\\s+VIEW\\s+(IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}`, 'i').exec(sql))) {
			// A plain view on every node, reading the Distributed tables: it sees all shards.
			out.push(insertAfter(sql, m[0], ` ${onCluster}`));
		} else if ((m = new RegExp(`^ALTER\\s+TABLE\\s+${IDENT}`, 'i').exec(sql))) {
			const name = m[1]!;
			const rest = sql.slice(m[0].length);
			if (!localTables.has(name)) {
				out.push(`ALTER TABLE ${name} ${onCluster}${rest}`);
				continue;
			}
			out.push(`ALTER TABLE ${name}_local ${onCluster}${rest}`);
			if (/^\s*(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b/i.test(rest)) out.push(`ALTER TABLE ${name} ${onCluster}${rest}`);
		} else if ((m = new RegExp(`^DROP\\s+(TABLE|VIEW)\\s+(IF\\s+EXISTS\\s+)?${IDENT}`, 'i').exec(sql))) {
			const name = m[3]!;
			out.push(`DROP ${m[1]} ${m[2] ?? ''}${name} ${onCluster}${sql.slice(m[0].length)}`);
			if (localTables.has(name)) out.push(`DROP ${m[1]} ${m[2] ?? ''}${name}_local ${onCluster}${sql.slice(m[0].length)}`);
		} else if (/^(INSERT|SELECT|OPTIMIZE|SYSTEM)\b/i.test(sql)) {
			out.push(sql);
		} else {
			throw new ClusterRenderError(`cannot render this statement for a cluster: ${sql.slice(0, 80)}`);
		}
	}
	return out;
}

function insertAfter(sql: string, head: string, addition: string): string {
	return head + addition + sql.slice(head.length);
}

function quoteIfNeeded(name: string): string {
	return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name}'`;
}
