-- Region rollups: the same measures as the detailed rollups of 0003 without
-- department and item, so tiles about regions (the cockpit's) read thousands of
-- rows instead of millions. The planner picks the smallest rollup whose dimensions
-- cover the request.

-- Cases by Beijing day × region × channel.
CREATE TABLE IF NOT EXISTS case_region_stats_day
(
    bucket Date COMMENT 'Beijing calendar day',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
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
ORDER BY (province_code, city_code, adcode, bucket, channel);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO case_region_stats_day
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, channel,
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
WHERE (SELECT count() FROM case_region_stats_day) = 0
GROUP BY bucket, province_code, city_code, adcode, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_region_stats_day_mv TO case_region_stats_day AS
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, channel,
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
GROUP BY bucket, province_code, city_code, adcode, channel;

-- Cases by hour × region × channel.
CREATE TABLE IF NOT EXISTS case_region_stats_hour
(
    bucket DateTime('UTC') COMMENT 'start of the hour (UTC; the same hours in Beijing)',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
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
ORDER BY (province_code, city_code, adcode, bucket, channel);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO case_region_stats_hour
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, channel,
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
WHERE (SELECT count() FROM case_region_stats_hour) = 0
GROUP BY bucket, province_code, city_code, adcode, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_region_stats_hour_mv TO case_region_stats_hour AS
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, channel,
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
GROUP BY bucket, province_code, city_code, adcode, channel;

-- Reviews (好差评) by Beijing day × region × channel.
CREATE TABLE IF NOT EXISTS review_region_stats_day
(
    bucket Date COMMENT 'Beijing calendar day',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
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
ORDER BY (province_code, city_code, adcode, bucket, channel);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO review_region_stats_day
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, channel,
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
WHERE (SELECT count() FROM review_region_stats_day) = 0
GROUP BY bucket, province_code, city_code, adcode, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_region_stats_day_mv TO review_region_stats_day AS
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, channel,
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
GROUP BY bucket, province_code, city_code, adcode, channel;

-- Reviews by hour × region × channel.
CREATE TABLE IF NOT EXISTS review_region_stats_hour
(
    bucket DateTime('UTC') COMMENT 'start of the hour (UTC; the same hours in Beijing)',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
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
ORDER BY (province_code, city_code, adcode, bucket, channel);

-- Backfill from what is stored already, once (only while the rollup is empty).
INSERT INTO review_region_stats_hour
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, channel,
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
WHERE (SELECT count() FROM review_region_stats_hour) = 0
GROUP BY bucket, province_code, city_code, adcode, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_region_stats_hour_mv TO review_region_stats_hour AS
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, channel,
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
GROUP BY bucket, province_code, city_code, adcode, channel;
