-- The 好差评 workbench (issue 15): the whole handling of a 差评.
--
-- Actions: besides verify, rectify, follow_up and appeal, a reply (回复) to the
-- citizen and the decision of an appeal — upheld (申诉成立: the review leaves the
-- figures, the reason kept in `outcome`) or overturned (申诉驳回: handling goes on).
-- A follow-up carries the citizen's satisfaction with the rectification (1–5).
-- src/lib/reviews/state.ts is the one state machine that decides which action is
-- allowed; the ingest worker refuses the others to the dead-letter table.

ALTER TABLE review_actions MODIFY COLUMN action Enum8('verify' = 1, 'rectify' = 2, 'follow_up' = 3, 'appeal' = 4, 'reply' = 5, 'appeal_upheld' = 6, 'appeal_overturned' = 7);

ALTER TABLE review_actions ADD COLUMN IF NOT EXISTS satisfaction Nullable(UInt8) COMMENT 'follow_up: 回访整改满意度 5 非常满意 … 1 非常不满意' AFTER outcome;

-- The state of each 差评 gains the times of its other steps, so the handling rates
-- (回复率, 回访率, 回访整改满意率) and the exclusion of upheld appeals are cohorts
-- read per review, as 整改率 is (migration 0010).
ALTER TABLE negative_reviews ADD COLUMN IF NOT EXISTS replied_ts SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))) COMMENT 'first verify or reply (回复)';

ALTER TABLE negative_reviews ADD COLUMN IF NOT EXISTS followed_up_ts SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))) COMMENT 'first follow-up';

ALTER TABLE negative_reviews ADD COLUMN IF NOT EXISTS follow_up_satisfaction SimpleAggregateFunction(max, Nullable(UInt8)) COMMENT '回访整改满意度 of the follow-up';

ALTER TABLE negative_reviews ADD COLUMN IF NOT EXISTS upheld_ts SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))) COMMENT 'appeal upheld: out of the figures from then';

-- Backfill from the actions stored already, once (only while no row has the new times).
INSERT INTO negative_reviews (review_id, province_code, city_code, adcode, reviewed_ts, rectify_due_date, rectified_ts, replied_ts, followed_up_ts, follow_up_satisfaction, upheld_ts)
SELECT review_id, province_code, city_code, adcode, toDateTime64(0, 3, 'UTC'), toDate(0), NULL,
       if(action IN ('verify', 'reply'), CAST(ts AS Nullable(DateTime64(3, 'UTC'))), NULL),
       if(action = 'follow_up', CAST(ts AS Nullable(DateTime64(3, 'UTC'))), NULL),
       if(action = 'follow_up', satisfaction, NULL),
       if(action = 'appeal_upheld', CAST(ts AS Nullable(DateTime64(3, 'UTC'))), NULL)
FROM review_actions
WHERE action IN ('verify', 'reply', 'follow_up', 'appeal_upheld')
  AND (SELECT count() FROM negative_reviews WHERE replied_ts IS NOT NULL OR followed_up_ts IS NOT NULL OR upheld_ts IS NOT NULL) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS negative_reviews_handled_mv TO negative_reviews AS
SELECT review_id, province_code, city_code, adcode, toDateTime64(0, 3, 'UTC') AS reviewed_ts, toDate(0) AS rectify_due_date,
       CAST(NULL AS Nullable(DateTime64(3, 'UTC'))) AS rectified_ts,
       if(action IN ('verify', 'reply'), CAST(ts AS Nullable(DateTime64(3, 'UTC'))), NULL) AS replied_ts,
       if(action = 'follow_up', CAST(ts AS Nullable(DateTime64(3, 'UTC'))), NULL) AS followed_up_ts,
       if(action = 'follow_up', satisfaction, NULL) AS follow_up_satisfaction,
       if(action = 'appeal_upheld', CAST(ts AS Nullable(DateTime64(3, 'UTC'))), NULL) AS upheld_ts
FROM review_actions
WHERE action IN ('verify', 'reply', 'follow_up', 'appeal_upheld');
