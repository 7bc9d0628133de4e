-- Reference data: regions (GB/T 2260), published indices and statistics.
-- Loaded by `tianshu seed`. Each table is a ReplacingMergeTree on its natural key
-- with the load time as version, so reloading a source replaces rows rather than
-- doubling them; reads use FINAL. Insert deduplication (a token per source file)
-- makes a repeated load of the same file a no-op.

CREATE TABLE IF NOT EXISTS regions
(
    adcode UInt32 COMMENT 'GB/T 2260 six-digit code',
    name String COMMENT '名称, e.g. 广东省',
    short_name String COMMENT '简称 as maps label it, e.g. 广东',
    level Enum8('province' = 1, 'city' = 2, 'county' = 3),
    parent_code UInt32 COMMENT '0 for provinces',
    province_code UInt32,
    city_code UInt32 COMMENT '0 for provinces',
    source LowCardinality(String),
    loaded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY adcode
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS region_statistics
(
    adcode UInt32,
    metric LowCardinality(String) COMMENT 'population, gdp, gdp_growth, retail_sales, fiscal_revenue, trade_total',
    year UInt16,
    value Float64,
    unit LowCardinality(String) COMMENT '万人, 亿元, %',
    source_url String,
    loaded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (metric, adcode, year)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS national_monthly_statistics
(
    period String COMMENT 'YYYY-MM, or YYYY-01/02 for the combined January–February release',
    metric LowCardinality(String),
    value Float64,
    unit LowCardinality(String),
    source_url String,
    loaded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (metric, period)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS platform_totals
(
    year UInt16,
    metric String,
    value Float64,
    unit LowCardinality(String),
    source_url String,
    loaded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (year, metric)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS capability_index_published
(
    edition UInt16 COMMENT 'report edition year',
    data_year UInt16,
    adcode UInt32,
    name String,
    overall_index Nullable(Float64) COMMENT '总体指数 0–100; NULL where the source omits it',
    published_rank Nullable(UInt16) COMMENT 'rank as printed (ties shared)',
    note String,
    source_url String,
    loaded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (edition, adcode)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS egdi_published
(
    survey_year UInt16,
    country String,
    egdi Float64,
    osi Float64,
    hci Float64,
    tii Float64,
    published_rank UInt16,
    epi Nullable(Float64),
    source_url String,
    loaded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (survey_year, country)
SETTINGS non_replicated_deduplication_window = 1000;
