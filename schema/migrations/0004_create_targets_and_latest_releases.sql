-- Annual targets (年度目标) per indicator and region are data: the `target` event
-- type (or a CSV table with the header indicator,adcode,year,value,unit,release_ts).
-- A later release of the same target revises it.
CREATE TABLE IF NOT EXISTS indicator_targets
(
    indicator LowCardinality(String),
    adcode UInt32 COMMENT '0 = national',
    province_code UInt32,
    city_code UInt32,
    year UInt16,
    value Float64,
    unit LowCardinality(String) COMMENT '% for a growth or rate target, 亿元 for a level',
    release_ts DateTime64(3, 'UTC'),
    source LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(release_ts)
ORDER BY (indicator, adcode, year)
SETTINGS non_replicated_deduplication_window = 10000;

-- The latest release of every indicator value: what screens show (earlier releases stay
-- in indicator_values until merges replace them). Columns are qualified inside the
-- aggregates: an alias may not shadow the column it aggregates.
CREATE VIEW IF NOT EXISTS indicator_latest AS
SELECT
    v.indicator AS indicator,
    v.adcode AS adcode,
    v.period AS period,
    any(v.period_kind) AS period_kind,
    any(v.period_start) AS period_start,
    argMax(v.value, v.release_ts) AS value,
    argMax(v.unit, v.release_ts) AS unit,
    max(v.release_ts) AS release_ts
FROM indicator_values AS v
GROUP BY v.indicator, v.adcode, v.period;

CREATE VIEW IF NOT EXISTS target_latest AS
SELECT
    t.indicator AS indicator,
    t.adcode AS adcode,
    t.year AS year,
    argMax(t.value, t.release_ts) AS value,
    argMax(t.unit, t.release_ts) AS unit,
    max(t.release_ts) AS release_ts
FROM indicator_targets AS t
GROUP BY t.indicator, t.adcode, t.year;

-- The ingest watermark: each worker records a new version after every batch or push
-- it has stored. The live hub reads its maximum once per tick to know new data is in.
CREATE TABLE IF NOT EXISTS ingest_watermark
(
    worker String,
    version UInt64,
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(version)
ORDER BY worker;
