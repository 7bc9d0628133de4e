-- City-level rollups: the region rollups of 0005 summed over the counties of each
-- prefecture city, so a national or provincial tile reads a few hundred rows per
-- bucket instead of a few thousand. Fed by views on the region rollups (a chained
-- view sees each block the first one writes); the planner uses them when a request
-- needs no county. Processing-time samples are merged, as a query over the counties would.

CREATE TABLE IF NOT EXISTS case_city_stats_day
(
    bucket Date COMMENT 'Beijing calendar day',
    province_code UInt32,
    city_code UInt32,
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    submitted SimpleAggregateFunction(sum, UInt64),
    accepted SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    completed_on_time SimpleAggregateFunction(sum, UInt64),
    completed_early SimpleAggregateFunction(sum, UInt64),
    completed_timed SimpleAggregateFunction(sum, UInt64),
    duration_sum SimpleAggregateFunction(sum, Float64),
    duration_digest AggregateFunction(quantilesIf(0.5, 0.9), UInt32, UInt8),
    zero_trip SimpleAggregateFunction(sum, UInt64),
    fully_online SimpleAggregateFunction(sum, UInt64),
    cross_province SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, bucket, channel);

-- Backfill from the region rollup, once (only while this one is empty).
INSERT INTO case_city_stats_day
SELECT bucket, province_code, city_code, channel,
    sum(submitted) AS submitted, sum(accepted) AS accepted, sum(completed) AS completed, sum(rejected) AS rejected,
    sum(completed_on_time) AS completed_on_time, sum(completed_early) AS completed_early, sum(completed_timed) AS completed_timed,
    sum(duration_sum) AS duration_sum, quantilesIfMergeState(0.5, 0.9)(duration_digest) AS duration_digest,
    sum(zero_trip) AS zero_trip, sum(fully_online) AS fully_online, sum(cross_province) AS cross_province
FROM case_region_stats_day
WHERE (SELECT count() FROM case_city_stats_day) = 0
GROUP BY bucket, province_code, city_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_city_stats_day_mv TO case_city_stats_day AS
SELECT bucket, province_code, city_code, channel,
    sum(submitted) AS submitted, sum(accepted) AS accepted, sum(completed) AS completed, sum(rejected) AS rejected,
    sum(completed_on_time) AS completed_on_time, sum(completed_early) AS completed_early, sum(completed_timed) AS completed_timed,
    sum(duration_sum) AS duration_sum, quantilesIfMergeState(0.5, 0.9)(duration_digest) AS duration_digest,
    sum(zero_trip) AS zero_trip, sum(fully_online) AS fully_online, sum(cross_province) AS cross_province
FROM case_region_stats_day
GROUP BY bucket, province_code, city_code, channel;

CREATE TABLE IF NOT EXISTS case_city_stats_hour
(
    bucket DateTime('UTC') COMMENT 'start of the hour (UTC)',
    province_code UInt32,
    city_code UInt32,
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    submitted SimpleAggregateFunction(sum, UInt64),
    accepted SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    completed_on_time SimpleAggregateFunction(sum, UInt64),
    completed_early SimpleAggregateFunction(sum, UInt64),
    completed_timed SimpleAggregateFunction(sum, UInt64),
    duration_sum SimpleAggregateFunction(sum, Float64),
    duration_digest AggregateFunction(quantilesIf(0.5, 0.9), UInt32, UInt8),
    zero_trip SimpleAggregateFunction(sum, UInt64),
    fully_online SimpleAggregateFunction(sum, UInt64),
    cross_province SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, bucket, channel);

-- Backfill from the region rollup, once (only while this one is empty).
INSERT INTO case_city_stats_hour
SELECT bucket, province_code, city_code, channel,
    sum(submitted) AS submitted, sum(accepted) AS accepted, sum(completed) AS completed, sum(rejected) AS rejected,
    sum(completed_on_time) AS completed_on_time, sum(completed_early) AS completed_early, sum(completed_timed) AS completed_timed,
    sum(duration_sum) AS duration_sum, quantilesIfMergeState(0.5, 0.9)(duration_digest) AS duration_digest,
    sum(zero_trip) AS zero_trip, sum(fully_online) AS fully_online, sum(cross_province) AS cross_province
FROM case_region_stats_hour
WHERE (SELECT count() FROM case_city_stats_hour) = 0
GROUP BY bucket, province_code, city_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_city_stats_hour_mv TO case_city_stats_hour AS
SELECT bucket, province_code, city_code, channel,
    sum(submitted) AS submitted, sum(accepted) AS accepted, sum(completed) AS completed, sum(rejected) AS rejected,
    sum(completed_on_time) AS completed_on_time, sum(completed_early) AS completed_early, sum(completed_timed) AS completed_timed,
    sum(duration_sum) AS duration_sum, quantilesIfMergeState(0.5, 0.9)(duration_digest) AS duration_digest,
    sum(zero_trip) AS zero_trip, sum(fully_online) AS fully_online, sum(cross_province) AS cross_province
FROM case_region_stats_hour
GROUP BY bucket, province_code, city_code, channel;

CREATE TABLE IF NOT EXISTS review_city_stats_day
(
    bucket Date COMMENT 'Beijing calendar day',
    province_code UInt32,
    city_code UInt32,
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    reviews SimpleAggregateFunction(sum, UInt64),
    rating_sum SimpleAggregateFunction(sum, UInt64),
    rated_5 SimpleAggregateFunction(sum, UInt64),
    rated_4 SimpleAggregateFunction(sum, UInt64),
    rated_3 SimpleAggregateFunction(sum, UInt64),
    rated_2 SimpleAggregateFunction(sum, UInt64),
    rated_1 SimpleAggregateFunction(sum, UInt64),
    positive SimpleAggregateFunction(sum, UInt64),
    negative SimpleAggregateFunction(sum, UInt64),
    named_negative SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, bucket, channel);

-- Backfill from the region rollup, once (only while this one is empty).
INSERT INTO review_city_stats_day
SELECT bucket, province_code, city_code, channel,
    sum(reviews) AS reviews, sum(rating_sum) AS rating_sum, sum(rated_5) AS rated_5, sum(rated_4) AS rated_4, sum(rated_3) AS rated_3,
    sum(rated_2) AS rated_2, sum(rated_1) AS rated_1, sum(positive) AS positive, sum(negative) AS negative, sum(named_negative) AS named_negative
FROM review_region_stats_day
WHERE (SELECT count() FROM review_city_stats_day) = 0
GROUP BY bucket, province_code, city_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_city_stats_day_mv TO review_city_stats_day AS
SELECT bucket, province_code, city_code, channel,
    sum(reviews) AS reviews, sum(rating_sum) AS rating_sum, sum(rated_5) AS rated_5, sum(rated_4) AS rated_4, sum(rated_3) AS rated_3,
    sum(rated_2) AS rated_2, sum(rated_1) AS rated_1, sum(positive) AS positive, sum(negative) AS negative, sum(named_negative) AS named_negative
FROM review_region_stats_day
GROUP BY bucket, province_code, city_code, channel;

CREATE TABLE IF NOT EXISTS review_city_stats_hour
(
    bucket DateTime('UTC') COMMENT 'start of the hour (UTC)',
    province_code UInt32,
    city_code UInt32,
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    reviews SimpleAggregateFunction(sum, UInt64),
    rating_sum SimpleAggregateFunction(sum, UInt64),
    rated_5 SimpleAggregateFunction(sum, UInt64),
    rated_4 SimpleAggregateFunction(sum, UInt64),
    rated_3 SimpleAggregateFunction(sum, UInt64),
    rated_2 SimpleAggregateFunction(sum, UInt64),
    rated_1 SimpleAggregateFunction(sum, UInt64),
    positive SimpleAggregateFunction(sum, UInt64),
    negative SimpleAggregateFunction(sum, UInt64),
    named_negative SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, bucket, channel);

-- Backfill from the region rollup, once (only while this one is empty).
INSERT INTO review_city_stats_hour
SELECT bucket, province_code, city_code, channel,
    sum(reviews) AS reviews, sum(rating_sum) AS rating_sum, sum(rated_5) AS rated_5, sum(rated_4) AS rated_4, sum(rated_3) AS rated_3,
    sum(rated_2) AS rated_2, sum(rated_1) AS rated_1, sum(positive) AS positive, sum(negative) AS negative, sum(named_negative) AS named_negative
FROM review_region_stats_hour
WHERE (SELECT count() FROM review_city_stats_hour) = 0
GROUP BY bucket, province_code, city_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_city_stats_hour_mv TO review_city_stats_hour AS
SELECT bucket, province_code, city_code, channel,
    sum(reviews) AS reviews, sum(rating_sum) AS rating_sum, sum(rated_5) AS rated_5, sum(rated_4) AS rated_4, sum(rated_3) AS rated_3,
    sum(rated_2) AS rated_2, sum(rated_1) AS rated_1, sum(positive) AS positive, sum(negative) AS negative, sum(named_negative) AS named_negative
FROM review_region_stats_hour
GROUP BY bucket, province_code, city_code, channel;
