-- 申诉成立 out of the review rollups. A 差评 whose appeal was upheld leaves every numerator and
-- denominator of 好评率 and 差评数 (src/lib/reviews/figures.ts); /reviews and the cockpit's 好差评 panel
-- take it out, but the review rollups counted it, so /analyze and the cockpit's tiles read another figure.
--
-- Each review rollup (0003, 0005, 0007) gets `upheld`: the 差评 of its bucket — by the review's own time,
-- region, department, item and channel — whose appeal was upheld, whenever that was decided. A decision
-- made today moves the figure of the day the review was given. The planner and the cockpit read
-- 好评率 = positive ÷ (reviews − upheld) and 差评数 = negative − upheld (planner/rollups.ts).
--
-- The decision (review_actions) rarely carries the review's columns (feeds often send no region), so an
-- upheld 差评 is written once to `review_upheld` with its review's columns, and views from there add 1 to
-- `upheld` in the rollups. The decision and the review may arrive in either order; each view counts the
-- pair when its own row is the later stored (ingested_at; the review first on a tie), so the pair counts
-- once, also when `tianshu rollups rebuild` runs both views over everything stored. An action id counts
-- once (event_claims, 0008); the state check (src/lib/reviews/state.ts) stores at most one upheld
-- decision per review, and a view block holds a review once. Migrations run before ingestion starts.

-- 1. The columns the review rollups bucket a 差评 by, one row per 差评, looked up by review_id when its decision arrives.
-- shard_by: cityHash64(review_id)
CREATE TABLE IF NOT EXISTS negative_review_buckets
(
    review_id String,
    reviewed_ts DateTime64(3, 'UTC') COMMENT 'the review''s time',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    department LowCardinality(String),
    item_code LowCardinality(String),
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    ingested_at DateTime64(3, 'UTC') COMMENT 'when the review was stored'
)
ENGINE = ReplacingMergeTree
ORDER BY review_id
SETTINGS non_replicated_deduplication_window = 10000;

INSERT INTO negative_review_buckets
SELECT review_id, ts, province_code, city_code, adcode, department, item_code, channel, ingested_at
FROM reviews
WHERE rating <= 2 AND (SELECT count() FROM negative_review_buckets) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS negative_review_buckets_mv TO negative_review_buckets AS
SELECT review_id, ts AS reviewed_ts, province_code, city_code, adcode, department, item_code, channel, ingested_at
FROM reviews
WHERE rating <= 2;

-- The upheld decisions alone (a few rows, where review_actions holds every step): looked up by review_id when a 差评
-- arrives, and the source of the view that joins a new decision to its 差评 (step 6).
-- shard_by: cityHash64(review_id)
CREATE TABLE IF NOT EXISTS review_upheld_decisions
(
    review_id String,
    upheld_ts DateTime64(3, 'UTC') COMMENT 'the decision',
    ingested_at DateTime64(3, 'UTC') COMMENT 'when the decision was stored'
)
ENGINE = MergeTree
ORDER BY review_id
SETTINGS non_replicated_deduplication_window = 10000;

INSERT INTO review_upheld_decisions
SELECT review_id, ts, ingested_at
FROM review_actions
WHERE action = 'appeal_upheld' AND (SELECT count() FROM review_upheld_decisions) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_upheld_decisions_mv TO review_upheld_decisions AS
SELECT review_id, ts AS upheld_ts, ingested_at
FROM review_actions
WHERE action = 'appeal_upheld';

-- 2. The rollups' column.
ALTER TABLE review_stats_day ADD COLUMN IF NOT EXISTS upheld SimpleAggregateFunction(sum, UInt64) COMMENT '差评 whose appeal was upheld (申诉成立), by the review''s bucket' AFTER named_negative;
ALTER TABLE review_stats_hour ADD COLUMN IF NOT EXISTS upheld SimpleAggregateFunction(sum, UInt64) COMMENT '差评 whose appeal was upheld (申诉成立), by the review''s bucket' AFTER named_negative;
ALTER TABLE review_region_stats_day ADD COLUMN IF NOT EXISTS upheld SimpleAggregateFunction(sum, UInt64) COMMENT '差评 whose appeal was upheld (申诉成立), by the review''s bucket' AFTER named_negative;
ALTER TABLE review_region_stats_hour ADD COLUMN IF NOT EXISTS upheld SimpleAggregateFunction(sum, UInt64) COMMENT '差评 whose appeal was upheld (申诉成立), by the review''s bucket' AFTER named_negative;
ALTER TABLE review_city_stats_day ADD COLUMN IF NOT EXISTS upheld SimpleAggregateFunction(sum, UInt64) COMMENT '差评 whose appeal was upheld (申诉成立), by the review''s bucket' AFTER named_negative;
ALTER TABLE review_city_stats_hour ADD COLUMN IF NOT EXISTS upheld SimpleAggregateFunction(sum, UInt64) COMMENT '差评 whose appeal was upheld (申诉成立), by the review''s bucket' AFTER named_negative;

-- 3. The city rollups sum `upheld` of the region rollups too (their views rewritten, as 0012 did).
DROP VIEW IF EXISTS review_city_stats_day_mv;
DROP VIEW IF EXISTS review_city_stats_hour_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_city_stats_day_mv TO review_city_stats_day AS
SELECT bucket, province_code, city_code, channel,
    sum(reviews) AS reviews, sum(rating_sum) AS rating_sum, sum(rated_5) AS rated_5, sum(rated_4) AS rated_4, sum(rated_3) AS rated_3,
    sum(rated_2) AS rated_2, sum(rated_1) AS rated_1, sum(positive) AS positive, sum(negative) AS negative, sum(named_negative) AS named_negative,
    sum(upheld) AS upheld
FROM review_region_stats_day
GROUP BY bucket, province_code, city_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_city_stats_hour_mv TO review_city_stats_hour AS
SELECT bucket, province_code, city_code, channel,
    sum(reviews) AS reviews, sum(rating_sum) AS rating_sum, sum(rated_5) AS rated_5, sum(rated_4) AS rated_4, sum(rated_3) AS rated_3,
    sum(rated_2) AS rated_2, sum(rated_1) AS rated_1, sum(positive) AS positive, sum(negative) AS negative, sum(named_negative) AS named_negative,
    sum(upheld) AS upheld
FROM review_region_stats_hour
GROUP BY bucket, province_code, city_code, channel;

-- 4. Each upheld 差评 with its review's columns; the views below add it to the rollups.
-- shard_by: cityHash64(review_id)
CREATE TABLE IF NOT EXISTS review_upheld
(
    review_id String,
    reviewed_ts DateTime64(3, 'UTC') COMMENT 'the review''s time: the rollups'' bucket',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    department LowCardinality(String),
    item_code LowCardinality(String),
    channel Enum8('counter' = 1, 'web' = 2, 'mobile' = 3, 'kiosk' = 4, 'hotline' = 5),
    upheld_ts DateTime64(3, 'UTC') COMMENT 'the decision'
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(reviewed_ts, 'Asia/Shanghai')
ORDER BY review_id
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_stats_day_upheld_mv TO review_stats_day AS
SELECT toDate(reviewed_ts, 'Asia/Shanghai') AS bucket, province_code, city_code, adcode, department, item_code, channel, count() AS upheld
FROM review_upheld
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_stats_hour_upheld_mv TO review_stats_hour AS
SELECT toStartOfHour(reviewed_ts) AS bucket, province_code, city_code, adcode, department, item_code, channel, count() AS upheld
FROM review_upheld
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_region_stats_day_upheld_mv TO review_region_stats_day AS
SELECT toDate(reviewed_ts, 'Asia/Shanghai') AS bucket, province_code, city_code, adcode, channel, count() AS upheld
FROM review_upheld
GROUP BY bucket, province_code, city_code, adcode, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_region_stats_hour_upheld_mv TO review_region_stats_hour AS
SELECT toStartOfHour(reviewed_ts) AS bucket, province_code, city_code, adcode, channel, count() AS upheld
FROM review_upheld
GROUP BY bucket, province_code, city_code, adcode, channel;

-- 5. Backfill from what is stored already, once (only while review_upheld is empty): through the views
--    above into every rollup (the city ones through the region ones).
INSERT INTO review_upheld (review_id, reviewed_ts, province_code, city_code, adcode, department, item_code, channel, upheld_ts)
SELECT r.review_id, r.ts, r.province_code, r.city_code, r.adcode, r.department, r.item_code, r.channel, u.upheld_ts
FROM (SELECT review_id, ts, province_code, city_code, adcode, department, item_code, channel FROM reviews WHERE rating <= 2 ORDER BY ingested_at LIMIT 1 BY review_id) AS r
INNER JOIN (SELECT review_id, min(ts) AS upheld_ts FROM review_actions WHERE action = 'appeal_upheld' GROUP BY review_id) AS u ON u.review_id = r.review_id
WHERE (SELECT count() FROM review_upheld) = 0;

-- 6. From now on: a decision stored after its review (the usual order) — read from review_upheld_decisions, so the
--    join runs only for upheld decisions, not for every block of actions …
--    (The source table is named only in FROM, unqualified, as the cluster renderer and the rebuild rewrite it.)
CREATE MATERIALIZED VIEW IF NOT EXISTS review_upheld_decided_mv TO review_upheld AS
SELECT review_id, any(b_reviewed_ts) AS reviewed_ts, any(b_province_code) AS province_code, any(b_city_code) AS city_code, any(b_adcode) AS adcode,
    any(b_department) AS department, any(b_item_code) AS item_code, any(b_channel) AS channel, min(upheld_ts) AS upheld_ts
FROM review_upheld_decisions
INNER JOIN
(
    SELECT review_id AS b_review_id, reviewed_ts AS b_reviewed_ts, province_code AS b_province_code, city_code AS b_city_code, adcode AS b_adcode,
        department AS b_department, item_code AS b_item_code, channel AS b_channel, ingested_at AS b_ingested_at
    FROM negative_review_buckets
    WHERE review_id IN (SELECT review_id FROM review_upheld_decisions)
) AS b ON b_review_id = review_id
WHERE b_ingested_at <= ingested_at
GROUP BY review_id;

-- … and a 差评 stored after its decision (feeds out of order).
CREATE MATERIALIZED VIEW IF NOT EXISTS review_upheld_reviewed_mv TO review_upheld AS
SELECT review_id, any(ts) AS reviewed_ts, any(province_code) AS province_code, any(city_code) AS city_code, any(adcode) AS adcode,
    any(department) AS department, any(item_code) AS item_code, any(channel) AS channel, min(u_ts) AS upheld_ts
FROM reviews
INNER JOIN
(
    SELECT review_id AS u_review_id, upheld_ts AS u_ts, ingested_at AS u_ingested_at
    FROM review_upheld_decisions
    WHERE review_id IN (SELECT review_id FROM reviews WHERE rating <= 2)
) AS u ON u_review_id = review_id
WHERE rating <= 2 AND u_ingested_at < ingested_at
GROUP BY review_id;
