-- Deadlines the indicators 差评超期数 and 12345 按时办结率 need.
--
-- 差评: the worker stamps each negative review with its rectification deadline
-- (a Beijing date, N working days after the review; N per region, configured in
-- ingest/deadlines.json). The state of every negative review — deadline, first
-- rectification — is kept per review_id, fed by two views (reviews, actions).
--
-- 12345: the platform sets a ticket's deadline (承办时限) on dispatch; closed
-- events carry it as due_ts. The hotline rollups count closings with a known
-- deadline and those on time.

ALTER TABLE reviews ADD COLUMN IF NOT EXISTS rectify_due_date Nullable(Date) COMMENT 'negative reviews: Beijing date by which it must be rectified' AFTER comment;

ALTER TABLE hotline_events ADD COLUMN IF NOT EXISTS due_ts Nullable(DateTime64(3, 'UTC')) COMMENT '承办时限, on closed events' AFTER satisfied;

-- One row per negative review once merged: aggregate with GROUP BY review_id.
-- shard_by: cityHash64(review_id)
CREATE TABLE IF NOT EXISTS negative_reviews
(
    review_id String,
    province_code SimpleAggregateFunction(max, UInt32),
    city_code SimpleAggregateFunction(max, UInt32),
    adcode SimpleAggregateFunction(max, UInt32),
    reviewed_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC')) COMMENT '1970 until the review itself arrives',
    rectify_due_date SimpleAggregateFunction(max, Date) COMMENT '1970 when no deadline is known',
    rectified_ts SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))) COMMENT 'first rectification'
)
ENGINE = AggregatingMergeTree
ORDER BY review_id;

-- Backfill from what is stored already, once (only while the table is empty).
INSERT INTO negative_reviews (review_id, province_code, city_code, adcode, reviewed_ts, rectify_due_date, rectified_ts)
SELECT review_id, province_code, city_code, adcode, ts, ifNull(rectify_due_date, toDate(0)), NULL
FROM reviews
WHERE rating <= 2 AND (SELECT count() FROM negative_reviews) = 0;

INSERT INTO negative_reviews (review_id, province_code, city_code, adcode, reviewed_ts, rectify_due_date, rectified_ts)
SELECT review_id, province_code, city_code, adcode, toDateTime64(0, 3, 'UTC'), toDate(0), ts
FROM review_actions
WHERE action = 'rectify' AND (SELECT count() FROM negative_reviews WHERE rectified_ts IS NOT NULL) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS negative_reviews_opened_mv TO negative_reviews AS
SELECT review_id, province_code, city_code, adcode, ts AS reviewed_ts, ifNull(rectify_due_date, toDate(0)) AS rectify_due_date, CAST(NULL AS Nullable(DateTime64(3, 'UTC'))) AS rectified_ts
FROM reviews
WHERE rating <= 2;

CREATE MATERIALIZED VIEW IF NOT EXISTS negative_reviews_rectified_mv TO negative_reviews AS
SELECT review_id, province_code, city_code, adcode, toDateTime64(0, 3, 'UTC') AS reviewed_ts, toDate(0) AS rectify_due_date, CAST(ts AS Nullable(DateTime64(3, 'UTC'))) AS rectified_ts
FROM review_actions
WHERE action = 'rectify';

-- The state of each negative review with a deadline, bucketed by its deadline
-- (Beijing date): overdue = the deadline's day has ended without a rectification
-- by then; open = not rectified yet. "Now" is the query's now.
CREATE VIEW IF NOT EXISTS negative_review_status AS
SELECT
    review_id,
    province_code,
    city_code,
    adcode,
    reviewed_ts,
    rectify_due_date AS bucket,
    rectified_ts,
    toUInt8(rectified_ts IS NULL) AS open,
    toUInt8(rectify_due_date < toDate(now(), 'Asia/Shanghai')
        AND (rectified_ts IS NULL OR rectified_ts >= toDateTime64(toDateTime(rectify_due_date + 1, 'Asia/Shanghai'), 3, 'UTC'))) AS overdue,
    toUInt8(rectified_ts IS NULL AND rectify_due_date < toDate(now(), 'Asia/Shanghai')) AS overdue_open
FROM
(
    SELECT
        review_id,
        max(negative_reviews.province_code) AS province_code,
        max(negative_reviews.city_code) AS city_code,
        max(negative_reviews.adcode) AS adcode,
        max(negative_reviews.reviewed_ts) AS reviewed_ts,
        max(negative_reviews.rectify_due_date) AS rectify_due_date,
        min(negative_reviews.rectified_ts) AS rectified_ts
    FROM negative_reviews
    GROUP BY review_id
)
WHERE reviewed_ts > toDateTime64(0, 3, 'UTC') AND rectify_due_date > toDate(0);

-- 12345 closings against their deadline. The views are recreated with the new
-- measures (nothing is ingested while migrations run).
ALTER TABLE hotline_stats_day ADD COLUMN IF NOT EXISTS closed_with_due SimpleAggregateFunction(sum, UInt64) COMMENT 'closed with a known deadline';
ALTER TABLE hotline_stats_day ADD COLUMN IF NOT EXISTS closed_on_time SimpleAggregateFunction(sum, UInt64) COMMENT 'closed by the deadline';
ALTER TABLE hotline_stats_hour ADD COLUMN IF NOT EXISTS closed_with_due SimpleAggregateFunction(sum, UInt64) COMMENT 'closed with a known deadline';
ALTER TABLE hotline_stats_hour ADD COLUMN IF NOT EXISTS closed_on_time SimpleAggregateFunction(sum, UInt64) COMMENT 'closed by the deadline';

DROP VIEW IF EXISTS hotline_stats_day_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS hotline_stats_day_mv TO hotline_stats_day AS
SELECT
    toDate(ts, 'Asia/Shanghai') AS bucket,
    province_code, city_code, adcode, ticket_type, topic,
    countIf(status = 'created') AS created,
    countIf(status = 'answered') AS answered,
    countIf(status = 'dispatched') AS dispatched,
    countIf(status = 'closed') AS closed,
    countIf(status = 'closed' AND satisfied IS NOT NULL) AS closed_rated,
    countIf(status = 'closed' AND satisfied = true) AS closed_satisfied,
    countIf(status = 'closed' AND due_ts IS NOT NULL) AS closed_with_due,
    countIf(status = 'closed' AND ts <= due_ts) AS closed_on_time
FROM hotline_events
GROUP BY bucket, province_code, city_code, adcode, ticket_type, topic;

DROP VIEW IF EXISTS hotline_stats_hour_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS hotline_stats_hour_mv TO hotline_stats_hour AS
SELECT
    toStartOfHour(ts) AS bucket,
    province_code, city_code, adcode, ticket_type, topic,
    countIf(status = 'created') AS created,
    countIf(status = 'answered') AS answered,
    countIf(status = 'dispatched') AS dispatched,
    countIf(status = 'closed') AS closed,
    countIf(status = 'closed' AND satisfied IS NOT NULL) AS closed_rated,
    countIf(status = 'closed' AND satisfied = true) AS closed_satisfied,
    countIf(status = 'closed' AND due_ts IS NOT NULL) AS closed_with_due,
    countIf(status = 'closed' AND ts <= due_ts) AS closed_on_time
FROM hotline_events
GROUP BY bucket, province_code, city_code, adcode, ticket_type, topic;

-- Reasons (tags) given with 差评, by Beijing day × region: the cockpit's top reasons.
CREATE TABLE IF NOT EXISTS review_reason_stats_day
(
    bucket Date COMMENT 'Beijing calendar day',
    province_code UInt32,
    city_code UInt32,
    adcode UInt32,
    tag LowCardinality(String),
    negative SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (province_code, city_code, adcode, bucket, tag);

INSERT INTO review_reason_stats_day
SELECT toDate(ts, 'Asia/Shanghai') AS bucket, province_code, city_code, adcode, arrayJoin(tags) AS tag, count() AS negative
FROM reviews
WHERE rating <= 2 AND (SELECT count() FROM review_reason_stats_day) = 0
GROUP BY bucket, province_code, city_code, adcode, tag;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_reason_stats_day_mv TO review_reason_stats_day AS
SELECT toDate(ts, 'Asia/Shanghai') AS bucket, province_code, city_code, adcode, arrayJoin(tags) AS tag, count() AS negative
FROM reviews
WHERE rating <= 2
GROUP BY bucket, province_code, city_code, adcode, tag;
