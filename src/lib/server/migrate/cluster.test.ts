import { describe, expect, it } from 'vitest';
import { ClusterRenderError, renderForCluster } from './cluster.ts';
import { splitStatements } from './sql-statements.ts';

const render = (sql: string) => renderForCluster(splitStatements(sql), 'prod');

describe('renderForCluster', () => {
	it('turns a MergeTree table into a replicated local table and a Distributed table under the original name', () => {
		const [local, distributed, ...rest] = render(`CREATE TABLE IF NOT EXISTS regions
(
    adcode UInt32
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY adcode`);
		expect(rest).toEqual([]);
		expect(local).toBe(`CREATE TABLE IF NOT EXISTS regions_local ON CLUSTER prod
(
    adcode UInt32
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/regions_local', '{replica}', loaded_at)
ORDER BY adcode`);
		expect(distributed).toBe(
			'CREATE TABLE IF NOT EXISTS regions ON CLUSTER prod AS regions_local\nENGINE = Distributed(prod, currentDatabase(), regions_local, rand())'
		);
	});

	it('keeps an engine without arguments argument-free apart from path and replica', () => {
		const [local] = render('CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a');
		expect(local).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/t_local', '{replica}') ORDER BY a");
	});

	it('shards by the key a `-- shard_by:` directive names', () => {
		const out = render('-- shard_by: cityHash64(case_id)\nCREATE TABLE IF NOT EXISTS case_events (case_id String) ENGINE = MergeTree ORDER BY case_id');
		expect(out[1]).toContain('Distributed(prod, currentDatabase(), case_events_local, cityHash64(case_id))');
	});

	it('points materialized views at local tables and creates them on every node', () => {
		const out = render(`CREATE TABLE IF NOT EXISTS src (a UInt8) ENGINE = MergeTree ORDER BY a;
CREATE TABLE IF NOT EXISTS dst (a UInt8, n AggregateFunction(count)) ENGINE = AggregatingMergeTree ORDER BY a;
CREATE MATERIALIZED VIEW IF NOT EXISTS dst_mv TO dst AS SELECT a, countState() AS n FROM src GROUP BY a`);
		expect(out.at(-1)).toBe(
			'CREATE MATERIALIZED VIEW IF NOT EXISTS dst_mv ON CLUSTER prod TO dst_local AS SELECT a, countState() AS n FROM src_local GROUP BY a'
		);
		expect(out[2]).toContain('ReplicatedAggregatingMergeTree(');
	});

	it('remembers distributed tables across migrations', () => {
		const tables = new Set<string>();
		renderForCluster(splitStatements('CREATE TABLE IF NOT EXISTS raw (a UInt8) ENGINE = MergeTree ORDER BY a'), 'prod', tables);
		const later = renderForCluster(
			splitStatements(
				'CREATE TABLE IF NOT EXISTS r (a UInt8) ENGINE = AggregatingMergeTree ORDER BY a; CREATE MATERIALIZED VIEW IF NOT EXISTS r_mv TO r AS SELECT a FROM raw'
			),
			'prod',
			tables
		);
		expect(later.at(-1)).toBe('CREATE MATERIALIZED VIEW IF NOT EXISTS r_mv ON CLUSTER prod TO r_local AS SELECT a FROM raw_local');
	});

	it('alters the local table, and the Distributed one too for column changes', () => {
		const out = render(`CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = MergeTree ORDER BY a;
ALTER TABLE t ADD COLUMN IF NOT EXISTS b String;
ALTER TABLE t MODIFY TTL toDate(now()) + 30`);
		expect(out.slice(2)).toEqual([
			'ALTER TABLE t_local ON CLUSTER prod ADD COLUMN IF NOT EXISTS b String',
			'ALTER TABLE t ON CLUSTER prod ADD COLUMN IF NOT EXISTS b String',
			'ALTER TABLE t_local ON CLUSTER prod MODIFY TTL toDate(now()) + 30'
		]);
	});

	it('drops both tables of a distributed pair', () => {
		const out = render('CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = MergeTree ORDER BY a; DROP TABLE IF EXISTS t');
		expect(out.slice(2)).toEqual(['DROP TABLE IF EXISTS t ON CLUSTER prod', 'DROP TABLE IF EXISTS t_local ON CLUSTER prod']);
	});

	it('adds ON CLUSTER to databases and non-MergeTree tables', () => {
		expect(render('CREATE DATABASE IF NOT EXISTS tianshu')).toEqual(['CREATE DATABASE IF NOT EXISTS tianshu ON CLUSTER prod']);
		expect(render('CREATE TABLE IF NOT EXISTS m (a UInt8) ENGINE = Memory')).toEqual([
			'CREATE TABLE IF NOT EXISTS m ON CLUSTER prod (a UInt8) ENGINE = Memory'
		]);
	});

	it('refuses statements it cannot render rather than guessing', () => {
		expect(() => render('RENAME TABLE a TO b')).toThrow(ClusterRenderError);
		expect(() => renderForCluster([], 'bad name;')).toThrow(/invalid cluster name/);
	});
});
