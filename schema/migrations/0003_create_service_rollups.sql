-- Rollups: AggregatingMergeTree tables fed by materialized views from the raw
-- tables. Screens read these; raw tables serve drill-to-detail only. Day buckets
-- are Beijing calendar days; hour buckets are the same hours in UTC and Beijing.
-- A rollup is changed by building a new one and swapping, never edited in place.
-- Each is backfilled from the rows stored before it existed; migrations run before
-- ingestion starts (tianshu start), so no row is counted twice or missed.

-- Cases by Beijing day × region × department × item × channel.
CREATE TABLE IF NOT EXISTS case_stats_day
(
    bucket Date COMMENT 'Beijing calendar day',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    department LowCardinality(String),
    item_code LowCardinality(String),
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    submitted SimpleAggregateFunction(sum, UInt64),
    accepted SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    completed_on_time SimpleAggregateFunction(sum, UInt64),
    completed_early SimpleAggregateFunction(sum, UInt64) COMMENT 'completed on a date before its due date',
    completed_timed SimpleAggregateFunction(sum, UInt64) COMMENT 'completed with a known processing time',
    duration_sum SimpleAggregateFunction(sum, Float64) COMMENT 'seconds',
    duration_digest AggregateFunction(quantilesIf(0.5, 0.9), UInt32, UInt8) COMMENT 'reservoir sample (8192) of processing times',
    zero_trip SimpleAggregateFunction(sum, UInt64) COMMENT 'completed without a visit',
    fully_online SimpleAggregateFunction(sum, UInt64) COMMENT 'completed on web or mobile without a visit',
    cross_province SimpleAggregateFunction(sum, UInt64) COMMENT 'submitted across provinces'
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, adcode, bucket, department, item_code, channel);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO case_stats_day
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, department, item_code, channel,
    countIf(status = 'submitted') AS submitted,
    countIf(status = 'accepted') AS accepted,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'completed' AND on_time) AS completed_on_time,
    countIf(status = 'completed' AND toDate(ts, 'Asia/Shanghai') < due_date) AS completed_early,
    countIf(status = 'completed' AND duration_s IS NOT NULL) AS completed_timed,
    sumIf(toFloat64(assumeNotNull(duration_s)), status = 'completed' AND duration_s IS NOT NULL) AS duration_sum,
    quantilesStateIf(0.5, 0.9)(toUInt32(assumeNotNull(duration_s)), status = 'completed' AND duration_s IS NOT NULL) AS duration_digest,
    countIf(status = 'completed' AND trips = 0) AS zero_trip,
    countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) AS fully_online,
    countIf(status = 'submitted' AND cross_province) AS cross_province
FROM case_events
WHERE (SELECT count() FROM case_stats_day) = 0
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_stats_day_mv TO case_stats_day AS
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, department, item_code, channel,
    countIf(status = 'submitted') AS submitted,
    countIf(status = 'accepted') AS accepted,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'completed' AND on_time) AS completed_on_time,
    countIf(status = 'completed' AND toDate(ts, 'Asia/Shanghai') < due_date) AS completed_early,
    countIf(status = 'completed' AND duration_s IS NOT NULL) AS completed_timed,
    sumIf(toFloat64(assumeNotNull(duration_s)), status = 'completed' AND duration_s IS NOT NULL) AS duration_sum,
    quantilesStateIf(0.5, 0.9)(toUInt32(assumeNotNull(duration_s)), status = 'completed' AND duration_s IS NOT NULL) AS duration_digest,
    countIf(status = 'completed' AND trips = 0) AS zero_trip,
    countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) AS fully_online,
    countIf(status = 'submitted' AND cross_province) AS cross_province
FROM case_events
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

-- Cases by hour × region × department × item × channel.
CREATE TABLE IF NOT EXISTS case_stats_hour
(
    bucket DateTime('UTC') COMMENT 'start of the hour (UTC; the same hours in Beijing)',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    department LowCardinality(String),
    item_code LowCardinality(String),
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    submitted SimpleAggregateFunction(sum, UInt64),
    accepted SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    completed_on_time SimpleAggregateFunction(sum, UInt64),
    completed_early SimpleAggregateFunction(sum, UInt64) COMMENT 'completed on a date before its due date',
    completed_timed SimpleAggregateFunction(sum, UInt64) COMMENT 'completed with a known processing time',
    duration_sum SimpleAggregateFunction(sum, Float64) COMMENT 'seconds',
    duration_digest AggregateFunction(quantilesIf(0.5, 0.9), UInt32, UInt8) COMMENT 'reservoir sample (8192) of processing times',
    zero_trip SimpleAggregateFunction(sum, UInt64) COMMENT 'completed without a visit',
    fully_online SimpleAggregateFunction(sum, UInt64) COMMENT 'completed on web or mobile without a visit',
    cross_province SimpleAggregateFunction(sum, UInt64) COMMENT 'submitted across provinces'
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, adcode, bucket, department, item_code, channel);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO case_stats_hour
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, department, item_code, channel,
    countIf(status = 'submitted') AS submitted,
    countIf(status = 'accepted') AS accepted,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'completed' AND on_time) AS completed_on_time,
    countIf(status = 'completed' AND toDate(ts, 'Asia/Shanghai') < due_date) AS completed_early,
    countIf(status = 'completed' AND duration_s IS NOT NULL) AS completed_timed,
    sumIf(toFloat64(assumeNotNull(duration_s)), status = 'completed' AND duration_s IS NOT NULL) AS duration_sum,
    quantilesStateIf(0.5, 0.9)(toUInt32(assumeNotNull(duration_s)), status = 'completed' AND duration_s IS NOT NULL) AS duration_digest,
    countIf(status = 'completed' AND trips = 0) AS zero_trip,
    countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) AS fully_online,
    countIf(status = 'submitted' AND cross_province) AS cross_province
FROM case_events
WHERE (SELECT count() FROM case_stats_hour) = 0
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_stats_hour_mv TO case_stats_hour AS
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, department, item_code, channel,
    countIf(status = 'submitted') AS submitted,
    countIf(status = 'accepted') AS accepted,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'completed' AND on_time) AS completed_on_time,
    countIf(status = 'completed' AND toDate(ts, 'Asia/Shanghai') < due_date) AS completed_early,
    countIf(status = 'completed' AND duration_s IS NOT NULL) AS completed_timed,
    sumIf(toFloat64(assumeNotNull(duration_s)), status = 'completed' AND duration_s IS NOT NULL) AS duration_sum,
    quantilesStateIf(0.5, 0.9)(toUInt32(assumeNotNull(duration_s)), status = 'completed' AND duration_s IS NOT NULL) AS duration_digest,
    countIf(status = 'completed' AND trips = 0) AS zero_trip,
    countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) AS fully_online,
    countIf(status = 'submitted' AND cross_province) AS cross_province
FROM case_events
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

-- Cases by minute × region × channel, for live tiles; kept 14 days.
CREATE TABLE IF NOT EXISTS case_stats_minute
(
    bucket DateTime('UTC') COMMENT 'start of the minute (UTC)',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    submitted SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    completed_on_time SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, adcode, bucket, channel)
TTL bucket + INTERVAL 14 DAY;

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO case_stats_minute
SELECT
    toStartOfMinute(ts) AS bucket,
    province_code, city_code, adcode, channel,
    countIf(status = 'submitted') AS submitted,
    countIf(status = 'completed') AS completed,
    countIf(status = 'completed' AND on_time) AS completed_on_time
FROM case_events
WHERE (SELECT count() FROM case_stats_minute) = 0
GROUP BY bucket, province_code, city_code, adcode, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_stats_minute_mv TO case_stats_minute AS
SELECT
    toStartOfMinute(ts) AS bucket,
    province_code, city_code, adcode, channel,
    countIf(status = 'submitted') AS submitted,
    countIf(status = 'completed') AS completed,
    countIf(status = 'completed' AND on_time) AS completed_on_time
FROM case_events
GROUP BY bucket, province_code, city_code, adcode, channel;

-- Reviews (好差评) by Beijing day × region × department × item × channel.
CREATE TABLE IF NOT EXISTS review_stats_day
(
    bucket Date COMMENT 'Beijing calendar day',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    department LowCardinality(String),
    item_code LowCardinality(String),
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    reviews SimpleAggregateFunction(sum, UInt64),
    rating_sum SimpleAggregateFunction(sum, UInt64),
    rated_5 SimpleAggregateFunction(sum, UInt64),
    rated_4 SimpleAggregateFunction(sum, UInt64),
    rated_3 SimpleAggregateFunction(sum, UInt64),
    rated_2 SimpleAggregateFunction(sum, UInt64),
    rated_1 SimpleAggregateFunction(sum, UInt64),
    positive SimpleAggregateFunction(sum, UInt64) COMMENT 'rating ≥ 3 (好评)',
    negative SimpleAggregateFunction(sum, UInt64) COMMENT 'rating ≤ 2 (差评)',
    named_negative SimpleAggregateFunction(sum, UInt64) COMMENT '实名差评'
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, adcode, bucket, department, item_code, channel);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO review_stats_day
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, department, item_code, channel,
    count() AS reviews,
    sum(rating) AS rating_sum,
    countIf(rating = 5) AS rated_5,
    countIf(rating = 4) AS rated_4,
    countIf(rating = 3) AS rated_3,
    countIf(rating = 2) AS rated_2,
    countIf(rating = 1) AS rated_1,
    countIf(rating >= 3) AS positive,
    countIf(rating <= 2) AS negative,
    countIf(rating <= 2 AND named) AS named_negative
FROM reviews
WHERE (SELECT count() FROM review_stats_day) = 0
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_stats_day_mv TO review_stats_day AS
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, department, item_code, channel,
    count() AS reviews,
    sum(rating) AS rating_sum,
    countIf(rating = 5) AS rated_5,
    countIf(rating = 4) AS rated_4,
    countIf(rating = 3) AS rated_3,
    countIf(rating = 2) AS rated_2,
    countIf(rating = 1) AS rated_1,
    countIf(rating >= 3) AS positive,
    countIf(rating <= 2) AS negative,
    countIf(rating <= 2 AND named) AS named_negative
FROM reviews
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

-- Reviews by hour × region × department × item × channel.
CREATE TABLE IF NOT EXISTS review_stats_hour
(
    bucket DateTime('UTC') COMMENT 'start of the hour (UTC; the same hours in Beijing)',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    department LowCardinality(String),
    item_code LowCardinality(String),
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    reviews SimpleAggregateFunction(sum, UInt64),
    rating_sum SimpleAggregateFunction(sum, UInt64),
    rated_5 SimpleAggregateFunction(sum, UInt64),
    rated_4 SimpleAggregateFunction(sum, UInt64),
    rated_3 SimpleAggregateFunction(sum, UInt64),
    rated_2 SimpleAggregateFunction(sum, UInt64),
    rated_1 SimpleAggregateFunction(sum, UInt64),
    positive SimpleAggregateFunction(sum, UInt64) COMMENT 'rating ≥ 3 (好评)',
    negative SimpleAggregateFunction(sum, UInt64) COMMENT 'rating ≤ 2 (差评)',
    named_negative SimpleAggregateFunction(sum, UInt64) COMMENT '实名差评'
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, adcode, bucket, department, item_code, channel);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO review_stats_hour
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, department, item_code, channel,
    count() AS reviews,
    sum(rating) AS rating_sum,
    countIf(rating = 5) AS rated_5,
    countIf(rating = 4) AS rated_4,
    countIf(rating = 3) AS rated_3,
    countIf(rating = 2) AS rated_2,
    countIf(rating = 1) AS rated_1,
    countIf(rating >= 3) AS positive,
    countIf(rating <= 2) AS negative,
    countIf(rating <= 2 AND named) AS named_negative
FROM reviews
WHERE (SELECT count() FROM review_stats_hour) = 0
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_stats_hour_mv TO review_stats_hour AS
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, department, item_code, channel,
    count() AS reviews,
    sum(rating) AS rating_sum,
    countIf(rating = 5) AS rated_5,
    countIf(rating = 4) AS rated_4,
    countIf(rating = 3) AS rated_3,
    countIf(rating = 2) AS rated_2,
    countIf(rating = 1) AS rated_1,
    countIf(rating >= 3) AS positive,
    countIf(rating <= 2) AS negative,
    countIf(rating <= 2 AND named) AS named_negative
FROM reviews
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

-- Handling of 差评 by Beijing day × region.
CREATE TABLE IF NOT EXISTS review_action_stats_day
(
    bucket Date COMMENT 'Beijing calendar day',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    verified SimpleAggregateFunction(sum, UInt64),
    rectified SimpleAggregateFunction(sum, UInt64),
    followed_up SimpleAggregateFunction(sum, UInt64),
    appealed SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, adcode, bucket);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO review_action_stats_day
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode,
    countIf(action = 'verify') AS verified,
    countIf(action = 'rectify') AS rectified,
    countIf(action = 'follow_up') AS followed_up,
    countIf(action = 'appeal') AS appealed
FROM review_actions
WHERE (SELECT count() FROM review_action_stats_day) = 0
GROUP BY bucket, province_code, city_code, adcode;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_action_stats_day_mv TO review_action_stats_day AS
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode,
    countIf(action = 'verify') AS verified,
    countIf(action = 'rectify') AS rectified,
    countIf(action = 'follow_up') AS followed_up,
    countIf(action = 'appeal') AS appealed
FROM review_actions
GROUP BY bucket, province_code, city_code, adcode;

-- 12345 tickets by Beijing day × region × type × topic.
CREATE TABLE IF NOT EXISTS hotline_stats_day
(
    bucket Date COMMENT 'Beijing calendar day',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    ticket_type Enum8('complaint' = 1, 'request' = 2, 'advice' = 3, 'inquiry' = 4, 'praise' = 5),
    topic LowCardinality(String),
    created SimpleAggregateFunction(sum, UInt64),
    answered SimpleAggregateFunction(sum, UInt64),
    dispatched SimpleAggregateFunction(sum, UInt64),
    closed SimpleAggregateFunction(sum, UInt64),
    closed_rated SimpleAggregateFunction(sum, UInt64) COMMENT 'closed with a satisfaction answer',
    closed_satisfied SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, adcode, bucket, ticket_type, topic);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO hotline_stats_day
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, ticket_type, topic,
    countIf(status = 'created') AS created,
    countIf(status = 'answered') AS answered,
    countIf(status = 'dispatched') AS dispatched,
    countIf(status = 'closed') AS closed,
    countIf(status = 'closed' AND satisfied IS NOT NULL) AS closed_rated,
    countIf(status = 'closed' AND satisfied = true) AS closed_satisfied
FROM hotline_events
WHERE (SELECT count() FROM hotline_stats_day) = 0
GROUP BY bucket, province_code, city_code, adcode, ticket_type, topic;

CREATE MATERIALIZED VIEW IF NOT EXISTS hotline_stats_day_mv TO hotline_stats_day AS
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, ticket_type, topic,
    countIf(status = 'created') AS created,
    countIf(status = 'answered') AS answered,
    countIf(status = 'dispatched') AS dispatched,
    countIf(status = 'closed') AS closed,
    countIf(status = 'closed' AND satisfied IS NOT NULL) AS closed_rated,
    countIf(status = 'closed' AND satisfied = true) AS closed_satisfied
FROM hotline_events
GROUP BY bucket, province_code, city_code, adcode, ticket_type, topic;

-- 12345 tickets by hour × region × type × topic.
CREATE TABLE IF NOT EXISTS hotline_stats_hour
(
    bucket DateTime('UTC') COMMENT 'start of the hour (UTC; the same hours in Beijing)',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    ticket_type Enum8('complaint' = 1, 'request' = 2, 'advice' = 3, 'inquiry' = 4, 'praise' = 5),
    topic LowCardinality(String),
    created SimpleAggregateFunction(sum, UInt64),
    answered SimpleAggregateFunction(sum, UInt64),
    dispatched SimpleAggregateFunction(sum, UInt64),
    closed SimpleAggregateFunction(sum, UInt64),
    closed_rated SimpleAggregateFunction(sum, UInt64) COMMENT 'closed with a satisfaction answer',
    closed_satisfied SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, adcode, bucket, ticket_type, topic);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO hotline_stats_hour
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, ticket_type, topic,
    countIf(status = 'created') AS created,
    countIf(status = 'answered') AS answered,
    countIf(status = 'dispatched') AS dispatched,
    countIf(status = 'closed') AS closed,
    countIf(status = 'closed' AND satisfied IS NOT NULL) AS closed_rated,
    countIf(status = 'closed' AND satisfied = true) AS closed_satisfied
FROM hotline_events
WHERE (SELECT count() FROM hotline_stats_hour) = 0
GROUP BY bucket, province_code, city_code, adcode, ticket_type, topic;

CREATE MATERIALIZED VIEW IF NOT EXISTS hotline_stats_hour_mv TO hotline_stats_hour AS
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, ticket_type, topic,
    countIf(status = 'created') AS created,
    countIf(status = 'answered') AS answered,
    countIf(status = 'dispatched') AS dispatched,
    countIf(status = 'closed') AS closed,
    countIf(status = 'closed' AND satisfied IS NOT NULL) AS closed_rated,
    countIf(status = 'closed' AND satisfied = true) AS closed_satisfied
FROM hotline_events
GROUP BY bucket, province_code, city_code, adcode, ticket_type, topic;
