-- 差评整改率 as GB/T 39735 counts it: a cohort. Of the 差评 received in a period
-- (by the review's Beijing date), the share rectified by the instant. The rate of
-- two flows (rectifications dated in the period ÷ 差评 received in it) counted the
-- rectification of older 差评 and could read over 100 %.
--
-- One row per 差评 whose review has arrived (a rectification stored before its
-- review is not in any cohort yet), with or without a known deadline, bucketed by
-- the Beijing date it was received: `negative` is 1, `rectified` whether its first
-- rectification is stamped by now (the query's now). Callers that answer for an
-- earlier instant count rectified_ts against that instant themselves.
-- Appeals: the feed carries 申诉 with no upheld/overturned outcome, so no 差评 is
-- taken out of the cohort for an appeal.
CREATE VIEW IF NOT EXISTS negative_review_cohort AS
SELECT
    review_id,
    province_code,
    city_code,
    adcode,
    reviewed_ts,
    toDate(reviewed_ts, 'Asia/Shanghai') AS bucket,
    rectified_ts,
    toUInt8(1) AS negative,
    toUInt8(ifNull(rectified_ts <= now64(3, 'UTC'), false)) AS rectified
FROM
(
    SELECT
        review_id,
        max(negative_reviews.province_code) AS province_code,
        max(negative_reviews.city_code) AS city_code,
        max(negative_reviews.adcode) AS adcode,
        max(negative_reviews.reviewed_ts) AS reviewed_ts,
        min(negative_reviews.rectified_ts) AS rectified_ts
    FROM negative_reviews
    GROUP BY review_id
)
WHERE reviewed_ts > toDateTime64(0, 3, 'UTC');
