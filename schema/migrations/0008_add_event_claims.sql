-- Exactly once to the rollups: an event id counts once in every raw table and in
-- every rollup, whatever the batching, retries, differing bodies or crashes
-- (README, "Exactly once"). Three parts:
--
-- 1. Replays of the same block. Every materialized view's target keeps a
--    deduplication window, as the raw tables do. The worker inserts with
--    deduplicate_blocks_in_dependent_materialized_views = 1, so each view's block
--    is deduplicated under an id derived from the source block's token: a replay
--    that the raw table drops is dropped by every target too, and one that had
--    reached only some targets before a crash completes the others.
ALTER TABLE case_stats_day MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE case_stats_hour MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE case_stats_minute MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE review_stats_day MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE review_stats_hour MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE review_action_stats_day MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE hotline_stats_day MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE hotline_stats_hour MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE negative_reviews MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE review_reason_stats_day MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE case_region_stats_day MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE case_region_stats_hour MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE review_region_stats_day MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE review_region_stats_hour MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE case_city_stats_day MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE case_city_stats_hour MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE review_city_stats_day MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE review_city_stats_hour MODIFY SETTING non_replicated_deduplication_window = 10000;

-- 2. The same event id in different blocks. Before storing a batch's rows, the
--    worker claims their ids here (under the batch's own token), then keeps only the
--    rows whose id it claimed first. "First" is the claim committed first: a
--    block number is taken when a part is committed, so a batch reading after its
--    own claim is committed sees every claim that can precede it. A replay of a
--    crashed batch finds its own claims and keeps exactly the same rows.
--    Not partitioned: block numbers are per partition on a replicated table.
-- shard_by: cityHash64(id)
CREATE TABLE IF NOT EXISTS event_claims
(
    kind LowCardinality(String) COMMENT 'the raw table the event belongs to',
    id String COMMENT 'event_id, review_id, action_id or warning_id',
    batch String COMMENT 'the claiming batch: its insert deduplication token',
    claimed_at DateTime64(3, 'UTC') DEFAULT now64(3),
    PROJECTION by_batch (SELECT kind, batch, id ORDER BY kind, batch)
)
ENGINE = MergeTree
ORDER BY (kind, id)
SETTINGS non_replicated_deduplication_window = 10000, enable_block_number_column = 1;

-- Events stored before this migration are claimed by it, so a copy sent again is not counted again.

INSERT INTO event_claims (kind, id, batch)
SELECT DISTINCT 'case_events', event_id, 'before-0008'
FROM case_events
WHERE (SELECT count() FROM event_claims WHERE kind = 'case_events') = 0;

INSERT INTO event_claims (kind, id, batch)
SELECT DISTINCT 'reviews', review_id, 'before-0008'
FROM reviews
WHERE (SELECT count() FROM event_claims WHERE kind = 'reviews') = 0;

INSERT INTO event_claims (kind, id, batch)
SELECT DISTINCT 'review_actions', action_id, 'before-0008'
FROM review_actions
WHERE (SELECT count() FROM event_claims WHERE kind = 'review_actions') = 0;

INSERT INTO event_claims (kind, id, batch)
SELECT DISTINCT 'hotline_events', event_id, 'before-0008'
FROM hotline_events
WHERE (SELECT count() FROM event_claims WHERE kind = 'hotline_events') = 0;

INSERT INTO event_claims (kind, id, batch)
SELECT DISTINCT 'risk_warnings', warning_id, 'before-0008'
FROM risk_warnings
WHERE (SELECT count() FROM event_claims WHERE kind = 'risk_warnings') = 0;

-- 3. Batches stored whole: a batch replayed after its rows were acknowledged (an
--    HTTP client retrying a body whose reply it lost) is skipped without relying on
--    the deduplication window. Kept 90 days.
CREATE TABLE IF NOT EXISTS ingest_batches
(
    batch String,
    stored_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY batch
TTL toDateTime(stored_at) + INTERVAL 90 DAY;
