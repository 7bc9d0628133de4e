-- 办理时长 P50/P90 that a recount from the raw events reproduces exactly. The rollups kept
-- quantilesState(0.5, 0.9): a reservoir sample of 8 192 values per state, so past 8 192 completed cases a
-- percentile depended on how the warehouse had split and merged the data (two warehouses fed the same events
-- showed 45.5/142.9 h and 46/141.1 h for the nation). They keep instead a histogram of processing times in fixed
-- bins, merged by adding counts (sumMap), and a percentile is read off the cumulative counts: the same events
-- give the same histogram whatever the batches, their order or the merges.
--
-- Bins of a processing time d (seconds), key UInt16:
--   d < 1 day           1-minute bins    key = d div 60                         (0 … 1439)
--   1 day ≤ d < 7 days  10-minute bins   key = 1440 + (d − 86400) div 600       (1440 … 2303)
--   7 days ≤ d < 90 days 1-hour bins     key = 2304 + (d − 604800) div 3600     (2304 … 4295)
--   d ≥ 90 days         1-day bins       key = 4296 + (d − 7776000) div 86400   (4296 … 54006 for any UInt32)
-- The percentile q of n timed completions is read at the start of the bin holding the ⌈q·n⌉-th smallest
-- time (src/lib/server/planner/rollups.ts, durationQuantileSql): that exact time rounded down to the
-- minute under a day, to 10 minutes under 7 days, to the hour under 90 days, to the day beyond.
--
-- Each rollup that had duration_digest (0003, 0005, 0007) gets duration_hist, its view is rewritten, the
-- histogram is backfilled from case_events (the city rollups from the region rollups, while their views are
-- gone, so nothing is counted twice), and the samples are dropped. Migrations run before ingestion starts.

-- 1. The views stop while the rollups change.
DROP VIEW IF EXISTS case_stats_day_mv;
DROP VIEW IF EXISTS case_stats_hour_mv;
DROP VIEW IF EXISTS case_region_stats_day_mv;
DROP VIEW IF EXISTS case_region_stats_hour_mv;
DROP VIEW IF EXISTS case_city_stats_day_mv;
DROP VIEW IF EXISTS case_city_stats_hour_mv;

-- 2. The histogram column.
ALTER TABLE case_stats_day ADD COLUMN IF NOT EXISTS duration_hist SimpleAggregateFunction(sumMap, Map(UInt16, UInt64)) COMMENT 'processing times: bin (migration 0012) → completed cases' AFTER duration_sum;
ALTER TABLE case_stats_hour ADD COLUMN IF NOT EXISTS duration_hist SimpleAggregateFunction(sumMap, Map(UInt16, UInt64)) COMMENT 'processing times: bin (migration 0012) → completed cases' AFTER duration_sum;
ALTER TABLE case_region_stats_day ADD COLUMN IF NOT EXISTS duration_hist SimpleAggregateFunction(sumMap, Map(UInt16, UInt64)) COMMENT 'processing times: bin (migration 0012) → completed cases' AFTER duration_sum;
ALTER TABLE case_region_stats_hour ADD COLUMN IF NOT EXISTS duration_hist SimpleAggregateFunction(sumMap, Map(UInt16, UInt64)) COMMENT 'processing times: bin (migration 0012) → completed cases' AFTER duration_sum;
ALTER TABLE case_city_stats_day ADD COLUMN IF NOT EXISTS duration_hist SimpleAggregateFunction(sumMap, Map(UInt16, UInt64)) COMMENT 'processing times: bin (migration 0012) → completed cases' AFTER duration_sum;
ALTER TABLE case_city_stats_hour ADD COLUMN IF NOT EXISTS duration_hist SimpleAggregateFunction(sumMap, Map(UInt16, UInt64)) COMMENT 'processing times: bin (migration 0012) → completed cases' AFTER duration_sum;

-- 3. Backfill from the events stored already, once (only while no row of the rollup has a histogram).
INSERT INTO case_stats_day (bucket, province_code, city_code, adcode, department, item_code, channel, duration_hist)
WITH toUInt32(assumeNotNull(duration_s)) AS d
SELECT toDate(ts, 'Asia/Shanghai') AS bucket, province_code, city_code, adcode, department, item_code, channel, sumMap(map(toUInt16(multiIf(d < 86400, intDiv(d, 60), d < 604800, 1440 + intDiv(d - 86400, 600), d < 7776000, 2304 + intDiv(d - 604800, 3600), 4296 + intDiv(d - 7776000, 86400))), toUInt64(1))) AS hist
FROM case_events
WHERE status = 'completed' AND duration_s IS NOT NULL AND (SELECT count() FROM case_stats_day WHERE notEmpty(mapKeys(duration_hist))) = 0
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

INSERT INTO case_stats_hour (bucket, province_code, city_code, adcode, department, item_code, channel, duration_hist)
WITH toUInt32(assumeNotNull(duration_s)) AS d
SELECT toStartOfHour(ts) AS bucket, province_code, city_code, adcode, department, item_code, channel, sumMap(map(toUInt16(multiIf(d < 86400, intDiv(d, 60), d < 604800, 1440 + intDiv(d - 86400, 600), d < 7776000, 2304 + intDiv(d - 604800, 3600), 4296 + intDiv(d - 7776000, 86400))), toUInt64(1))) AS hist
FROM case_events
WHERE status = 'completed' AND duration_s IS NOT NULL AND (SELECT count() FROM case_stats_hour WHERE notEmpty(mapKeys(duration_hist))) = 0
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

INSERT INTO case_region_stats_day (bucket, province_code, city_code, adcode, channel, duration_hist)
WITH toUInt32(assumeNotNull(duration_s)) AS d
SELECT toDate(ts, 'Asia/Shanghai') AS bucket, province_code, city_code, adcode, channel, sumMap(map(toUInt16(multiIf(d < 86400, intDiv(d, 60), d < 604800, 1440 + intDiv(d - 86400, 600), d < 7776000, 2304 + intDiv(d - 604800, 3600), 4296 + intDiv(d - 7776000, 86400))), toUInt64(1))) AS hist
FROM case_events
WHERE status = 'completed' AND duration_s IS NOT NULL AND (SELECT count() FROM case_region_stats_day WHERE notEmpty(mapKeys(duration_hist))) = 0
GROUP BY bucket, province_code, city_code, adcode, channel;

INSERT INTO case_region_stats_hour (bucket, province_code, city_code, adcode, channel, duration_hist)
WITH toUInt32(assumeNotNull(duration_s)) AS d
SELECT toStartOfHour(ts) AS bucket, province_code, city_code, adcode, channel, sumMap(map(toUInt16(multiIf(d < 86400, intDiv(d, 60), d < 604800, 1440 + intDiv(d - 86400, 600), d < 7776000, 2304 + intDiv(d - 604800, 3600), 4296 + intDiv(d - 7776000, 86400))), toUInt64(1))) AS hist
FROM case_events
WHERE status = 'completed' AND duration_s IS NOT NULL AND (SELECT count() FROM case_region_stats_hour WHERE notEmpty(mapKeys(duration_hist))) = 0
GROUP BY bucket, province_code, city_code, adcode, channel;

INSERT INTO case_city_stats_day (bucket, province_code, city_code, channel, duration_hist)
SELECT bucket, province_code, city_code, channel, sumMap(duration_hist) AS hist
FROM case_region_stats_day
WHERE notEmpty(mapKeys(duration_hist)) AND (SELECT count() FROM case_city_stats_day WHERE notEmpty(mapKeys(duration_hist))) = 0
GROUP BY bucket, province_code, city_code, channel;

INSERT INTO case_city_stats_hour (bucket, province_code, city_code, channel, duration_hist)
SELECT bucket, province_code, city_code, channel, sumMap(duration_hist) AS hist
FROM case_region_stats_hour
WHERE notEmpty(mapKeys(duration_hist)) AND (SELECT count() FROM case_city_stats_hour WHERE notEmpty(mapKeys(duration_hist))) = 0
GROUP BY bucket, province_code, city_code, channel;

-- 4. The reservoir samples go.
ALTER TABLE case_stats_day DROP COLUMN IF EXISTS duration_digest;
ALTER TABLE case_stats_hour DROP COLUMN IF EXISTS duration_digest;
ALTER TABLE case_region_stats_day DROP COLUMN IF EXISTS duration_digest;
ALTER TABLE case_region_stats_hour DROP COLUMN IF EXISTS duration_digest;
ALTER TABLE case_city_stats_day DROP COLUMN IF EXISTS duration_digest;
ALTER TABLE case_city_stats_hour DROP COLUMN IF EXISTS duration_digest;

-- 5. The views again, with the histogram.
CREATE MATERIALIZED VIEW IF NOT EXISTS case_stats_day_mv TO case_stats_day AS
WITH toUInt32(assumeNotNull(duration_s)) AS d
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
    sumMapIf(map(toUInt16(multiIf(d < 86400, intDiv(d, 60), d < 604800, 1440 + intDiv(d - 86400, 600), d < 7776000, 2304 + intDiv(d - 604800, 3600), 4296 + intDiv(d - 7776000, 86400))), toUInt64(1)), status = 'completed' AND duration_s IS NOT NULL) AS duration_hist,
    countIf(status = 'completed' AND trips = 0) AS zero_trip,
    countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) AS fully_online,
    countIf(status = 'submitted' AND cross_province) AS cross_province
FROM case_events
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_stats_hour_mv TO case_stats_hour AS
WITH toUInt32(assumeNotNull(duration_s)) AS d
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
    sumMapIf(map(toUInt16(multiIf(d < 86400, intDiv(d, 60), d < 604800, 1440 + intDiv(d - 86400, 600), d < 7776000, 2304 + intDiv(d - 604800, 3600), 4296 + intDiv(d - 7776000, 86400))), toUInt64(1)), status = 'completed' AND duration_s IS NOT NULL) AS duration_hist,
    countIf(status = 'completed' AND trips = 0) AS zero_trip,
    countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) AS fully_online,
    countIf(status = 'submitted' AND cross_province) AS cross_province
FROM case_events
GROUP BY bucket, province_code, city_code, adcode, department, item_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_region_stats_day_mv TO case_region_stats_day AS
WITH toUInt32(assumeNotNull(duration_s)) AS d
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
    sumMapIf(map(toUInt16(multiIf(d < 86400, intDiv(d, 60), d < 604800, 1440 + intDiv(d - 86400, 600), d < 7776000, 2304 + intDiv(d - 604800, 3600), 4296 + intDiv(d - 7776000, 86400))), toUInt64(1)), status = 'completed' AND duration_s IS NOT NULL) AS duration_hist,
    countIf(status = 'completed' AND trips = 0) AS zero_trip,
    countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) AS fully_online,
    countIf(status = 'submitted' AND cross_province) AS cross_province
FROM case_events
GROUP BY bucket, province_code, city_code, adcode, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_region_stats_hour_mv TO case_region_stats_hour AS
WITH toUInt32(assumeNotNull(duration_s)) AS d
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
    sumMapIf(map(toUInt16(multiIf(d < 86400, intDiv(d, 60), d < 604800, 1440 + intDiv(d - 86400, 600), d < 7776000, 2304 + intDiv(d - 604800, 3600), 4296 + intDiv(d - 7776000, 86400))), toUInt64(1)), status = 'completed' AND duration_s IS NOT NULL) AS duration_hist,
    countIf(status = 'completed' AND trips = 0) AS zero_trip,
    countIf(status = 'completed' AND trips = 0 AND channel IN ('web', 'mobile')) AS fully_online,
    countIf(status = 'submitted' AND cross_province) AS cross_province
FROM case_events
GROUP BY bucket, province_code, city_code, adcode, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_city_stats_day_mv TO case_city_stats_day AS
SELECT bucket, province_code, city_code, channel,
    sum(submitted) AS submitted, sum(accepted) AS accepted, sum(completed) AS completed, sum(rejected) AS rejected,
    sum(completed_on_time) AS completed_on_time, sum(completed_early) AS completed_early, sum(completed_timed) AS completed_timed,
    sum(duration_sum) AS duration_sum, sumMap(duration_hist) AS duration_hist,
    sum(zero_trip) AS zero_trip, sum(fully_online) AS fully_online, sum(cross_province) AS cross_province
FROM case_region_stats_day
GROUP BY bucket, province_code, city_code, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_city_stats_hour_mv TO case_city_stats_hour AS
SELECT bucket, province_code, city_code, channel,
    sum(submitted) AS submitted, sum(accepted) AS accepted, sum(completed) AS completed, sum(rejected) AS rejected,
    sum(completed_on_time) AS completed_on_time, sum(completed_early) AS completed_early, sum(completed_timed) AS completed_timed,
    sum(duration_sum) AS duration_sum, sumMap(duration_hist) AS duration_hist,
    sum(zero_trip) AS zero_trip, sum(fully_online) AS fully_online, sum(cross_province) AS cross_province
FROM case_region_stats_hour
GROUP BY bucket, province_code, city_code, channel;
