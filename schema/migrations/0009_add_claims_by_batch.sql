-- The ids each batch claimed, keyed by batch. The claims check (README, "Exactly
-- once") reads a batch's own ids from here through the primary key, then their
-- claims from event_claims through its primary key. It used to read them through a
-- projection of event_claims; under a saturated warehouse that read three times
-- missed one whole batch's claims (one part), and the batch stored ids claimed
-- before it (19–23 reviews stored twice in a test). A plain table has no such path.
-- shard_by: cityHash64(batch)
CREATE TABLE IF NOT EXISTS event_claim_batches
(
    kind LowCardinality(String) COMMENT 'the raw table the events belong to',
    batch String COMMENT 'the claiming batch: its insert deduplication token',
    id String
)
ENGINE = MergeTree
ORDER BY (kind, batch)
SETTINGS non_replicated_deduplication_window = 10000;

-- The claims made before this migration, so every claim has its batch row.
INSERT INTO event_claim_batches (kind, batch, id)
SELECT kind, batch, id
FROM event_claims
WHERE (SELECT count() FROM event_claim_batches) = 0;

ALTER TABLE event_claims DROP PROJECTION IF EXISTS by_batch;
