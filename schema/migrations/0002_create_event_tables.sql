-- Raw event tables written by the ingest worker (`tianshu ingest`), one per event
-- kind, append-only. Partitioned by Beijing month, ordered by the region and time
-- keys screens filter on. Region columns are derived at ingest from `adcode`, so
-- any level groups without a join. Each batch carries an insert deduplication
-- token (source, table, byte range): the dedup window makes a replay a no-op.

-- shard_by: cityHash64(case_id)
CREATE TABLE IF NOT EXISTS case_events
(
    event_id String,
    case_id String,
    status Enum8('submitted' = 1, 'accepted' = 2, 'completed' = 3, 'rejected' = 4),
    ts DateTime64(3, 'UTC'),
    adcode UInt32,
    province_code UInt32,
    city_code UInt32,
    department LowCardinality(String),
    item_code LowCardinality(String),
    item_name LowCardinality(String),
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    promised_days UInt16 COMMENT '0 = instant item (即办件)',
    trips UInt8,
    cross_province Bool,
    submitted_at Nullable(DateTime64(3, 'UTC')) COMMENT 'on completed/rejected events',
    due_date Nullable(Date) COMMENT 'submission date + promised working days, Beijing calendar',
    duration_s Nullable(UInt32) COMMENT 'completed/rejected: seconds since submission',
    on_time Nullable(Bool) COMMENT 'completed: by the end of due_date, Beijing time',
    source LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts, 'Asia/Shanghai')
ORDER BY (province_code, city_code, adcode, ts)
SETTINGS non_replicated_deduplication_window = 10000;

-- shard_by: cityHash64(review_id)
CREATE TABLE IF NOT EXISTS reviews
(
    review_id String,
    case_id String,
    ts DateTime64(3, 'UTC'),
    adcode UInt32,
    province_code UInt32,
    city_code UInt32,
    department LowCardinality(String),
    item_code LowCardinality(String),
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    rating UInt8 COMMENT '5 非常满意 … 1 非常不满意; ≤ 2 is 差评',
    named Bool COMMENT '实名',
    tags Array(LowCardinality(String)),
    comment String,
    source LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts, 'Asia/Shanghai')
ORDER BY (province_code, city_code, adcode, ts)
SETTINGS non_replicated_deduplication_window = 10000;

-- shard_by: cityHash64(review_id)
CREATE TABLE IF NOT EXISTS review_actions
(
    action_id String,
    review_id String,
    action Enum8('verify' = 1, 'rectify' = 2, 'follow_up' = 3, 'appeal' = 4),
    ts DateTime64(3, 'UTC'),
    outcome String,
    adcode UInt32 COMMENT '0 when the source did not say',
    province_code UInt32,
    city_code UInt32,
    source LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts, 'Asia/Shanghai')
ORDER BY (review_id, ts)
SETTINGS non_replicated_deduplication_window = 10000;

-- shard_by: cityHash64(ticket_id)
CREATE TABLE IF NOT EXISTS hotline_events
(
    event_id String,
    ticket_id String,
    status Enum8('created' = 1, 'answered' = 2, 'dispatched' = 3, 'closed' = 4),
    ts DateTime64(3, 'UTC'),
    adcode UInt32,
    province_code UInt32,
    city_code UInt32,
    ticket_type Enum8('complaint' = 1, 'request' = 2, 'advice' = 3, 'inquiry' = 4, 'praise' = 5),
    topic LowCardinality(String),
    satisfied Nullable(Bool),
    source LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts, 'Asia/Shanghai')
ORDER BY (province_code, city_code, adcode, ts)
SETTINGS non_replicated_deduplication_window = 10000;

-- A later release of the same indicator, region and period revises the earlier one.
CREATE TABLE IF NOT EXISTS indicator_values
(
    indicator LowCardinality(String),
    adcode UInt32 COMMENT '0 = national',
    province_code UInt32,
    city_code UInt32,
    period String COMMENT 'YYYY, YYYY-Qn or YYYY-MM',
    period_kind Enum8('year' = 1, 'quarter' = 2, 'month' = 3),
    period_start Date,
    value Float64,
    unit LowCardinality(String),
    release_ts DateTime64(3, 'UTC'),
    source LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(release_ts)
ORDER BY (indicator, adcode, period)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS risk_warnings
(
    warning_id String,
    ts DateTime64(3, 'UTC'),
    adcode UInt32,
    province_code UInt32,
    city_code UInt32,
    origin LowCardinality(String) COMMENT 'the system that raised it (the event''s `source`)',
    severity Enum8('low' = 1, 'medium' = 2, 'high' = 3, 'critical' = 4),
    title String,
    detail String,
    source LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts, 'Asia/Shanghai')
ORDER BY (province_code, ts)
SETTINGS non_replicated_deduplication_window = 10000;

-- Every line a step refused, with the raw line (its first 64 KiB) and where it came from.
CREATE TABLE IF NOT EXISTS ingest_dead_letter
(
    ingested_at DateTime64(3, 'UTC'),
    source LowCardinality(String),
    position UInt64 COMMENT 'byte offset of the line in its source',
    step LowCardinality(String) COMMENT 'parse, validate, normalise, enrich',
    reason LowCardinality(String),
    detail String,
    type_hint LowCardinality(String) COMMENT 'the line''s `type` when it could be read',
    raw String,
    raw_bytes UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ingested_at)
ORDER BY (source, position)
TTL toDateTime(ingested_at) + INTERVAL 180 DAY
SETTINGS non_replicated_deduplication_window = 10000;

-- Where each source is: `committed` bytes are stored; a batch for [committed, pending_end)
-- is being written. A restart replays exactly that range, so its inserts deduplicate.
CREATE TABLE IF NOT EXISTS ingest_checkpoints
(
    source String,
    committed UInt64,
    pending_end UInt64,
    version UInt64,
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(version)
ORDER BY source;

-- The service catalogue as the data teaches it: an item or department not seen before is learned, not refused.
CREATE TABLE IF NOT EXISTS service_items
(
    item_code String,
    item_name String,
    department LowCardinality(String),
    last_seen DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(last_seen)
ORDER BY item_code;

CREATE TABLE IF NOT EXISTS ingest_metrics
(
    ts DateTime64(3, 'UTC'),
    worker String,
    events_total UInt64,
    stored_total UInt64,
    dropped_total UInt64,
    drops Map(LowCardinality(String), UInt64),
    events_per_s Float64,
    buffer_rows UInt64,
    buffer_bytes UInt64,
    lag_bytes UInt64 COMMENT 'bytes written to file sources and not read yet',
    lag_s Float64 COMMENT 'now minus the newest event time stored'
)
ENGINE = MergeTree
ORDER BY (worker, ts)
TTL toDateTime(ts) + INTERVAL 30 DAY;
