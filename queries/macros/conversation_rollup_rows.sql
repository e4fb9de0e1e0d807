-- The conversation_rollup rows (queries/derived/conversation_rollup.sql): the conversation_facts starting in
-- [first_at, end_at) counted per UTC quarter-hour of the start x channel x account x priority x incident, with the
-- counts and sums the aggregate page queries add up. Quarter-hours map exactly to local hours and days in every time zone (tz_offsets), and a date range
-- picked in any zone starts and ends on a quarter-hour, so summing rows gives exactly what counting conversations gives.
-- flow_<start>_<end>_count cells: start sentiment (or unscored) x end sentiment (or none). frt_m25 .. frt_p20 count
-- the answered conversations by first-response bin: 10 per decade with an edge at the default 120-minute target, bin k
-- holding first responses in (120 x 10^((k-1)/10), 120 x 10^(k/10)] minutes, the end bins also all faster (under
-- 0.38 min) or slower (over 8.3 days) ones; period_response_bins reads them for medians and percentiles.
create or replace macro conversation_rollup_rows(first_at, end_at) as table
select
    time_bucket(interval 15 minute, started_at) as quarter_at,
    channel,
    account,
    priority,
    incident_id,
    count(*) as conversation_count,
    sum(message_count)::bigint as message_count,
    count(*) filter (where has_start_sentiment) as start_sentiment_count,
    count(*) filter (where is_negative_start) as negative_start_count,
    count(*) filter (where is_negative_start and has_end_sentiment) as recovery_base_count,
    count(*) filter (where is_recovered) as recovered_count,
    count(*) filter (where start_sentiment_label = 'neutral' and has_end_sentiment) as neutral_base_count,
    count(*) filter (where is_neutral_to_positive) as neutral_to_positive_count,
    count(*) filter (where is_answered) as answered_count,
    count(*) filter (where is_sla_due) as sla_due_count,
    count(*) filter (where is_sla_met) as sla_met_count,
    count(*) filter (where sla_status = 'breached_answered') as breached_answered_count,
    count(*) filter (where sla_status = 'breached_unanswered') as breached_unanswered_count,
    count(*) filter (where sla_status = 'pending') as pending_count,
    min(first_response_target_minutes) as min_first_response_target_minutes,
    count(*) filter (where end_sentiment_label = 'negative' or sla_status = 'breached_unanswered') as at_risk_count,
    count(*) filter (where is_influencer) as influencer_count,
    count(*) filter (where is_influencer and is_negative_start) as influencer_negative_count,
    count(*) filter (where follower_count > 0) as followed_count,
    coalesce(sum(follower_count), 0)::bigint as follower_sum,
    coalesce(sum(follower_count) filter (where is_negative_start), 0)::bigint as negative_follower_sum,
    count(*) filter (where first_response_minutes < 15)
        as wait_under15_conversation_count,
    count(*) filter (where is_negative_start and first_response_minutes < 15)
        as wait_under15_negative_start_count,
    count(*) filter (where is_negative_start and has_end_sentiment and first_response_minutes < 15)
        as wait_under15_recovery_base_count,
    count(*) filter (where is_recovered and first_response_minutes < 15)
        as wait_under15_recovered_count,
    count(*) filter (where first_response_minutes >= 15 and first_response_minutes < 60)
        as wait_15to60_conversation_count,
    count(*) filter (where is_negative_start and first_response_minutes >= 15 and first_response_minutes < 60)
        as wait_15to60_negative_start_count,
    count(*) filter (where is_negative_start and has_end_sentiment and first_response_minutes >= 15 and first_response_minutes < 60)
        as wait_15to60_recovery_base_count,
    count(*) filter (where is_recovered and first_response_minutes >= 15 and first_response_minutes < 60)
        as wait_15to60_recovered_count,
    count(*) filter (where first_response_minutes >= 60 and first_response_minutes < 120)
        as wait_60to120_conversation_count,
    count(*) filter (where is_negative_start and first_response_minutes >= 60 and first_response_minutes < 120)
        as wait_60to120_negative_start_count,
    count(*) filter (where is_negative_start and has_end_sentiment and first_response_minutes >= 60 and first_response_minutes < 120)
        as wait_60to120_recovery_base_count,
    count(*) filter (where is_recovered and first_response_minutes >= 60 and first_response_minutes < 120)
        as wait_60to120_recovered_count,
    count(*) filter (where first_response_minutes >= 120 and first_response_minutes < 480)
        as wait_120to480_conversation_count,
    count(*) filter (where is_negative_start and first_response_minutes >= 120 and first_response_minutes < 480)
        as wait_120to480_negative_start_count,
    count(*) filter (where is_negative_start and has_end_sentiment and first_response_minutes >= 120 and first_response_minutes < 480)
        as wait_120to480_recovery_base_count,
    count(*) filter (where is_recovered and first_response_minutes >= 120 and first_response_minutes < 480)
        as wait_120to480_recovered_count,
    count(*) filter (where first_response_minutes >= 480)
        as wait_over480_conversation_count,
    count(*) filter (where is_negative_start and first_response_minutes >= 480)
        as wait_over480_negative_start_count,
    count(*) filter (where is_negative_start and has_end_sentiment and first_response_minutes >= 480)
        as wait_over480_recovery_base_count,
    count(*) filter (where is_recovered and first_response_minutes >= 480)
        as wait_over480_recovered_count,
    count(*) filter (where first_response_minutes is null)
        as wait_never_conversation_count,
    count(*) filter (where is_negative_start and first_response_minutes is null)
        as wait_never_negative_start_count,
    count(*) filter (where is_negative_start and has_end_sentiment and first_response_minutes is null)
        as wait_never_recovery_base_count,
    count(*) filter (where is_recovered and first_response_minutes is null)
        as wait_never_recovered_count,
    count(*) filter (where customer_id is not null) as churn_base_count,
    count(*) filter (where customer_id is not null and is_churned_after) as churned_after_count,
    count(*) filter (where start_sentiment_label = 'negative' and end_sentiment_label = 'negative')
        as flow_negative_negative_count,
    count(*) filter (where start_sentiment_label = 'negative' and end_sentiment_label = 'neutral')
        as flow_negative_neutral_count,
    count(*) filter (where start_sentiment_label = 'negative' and end_sentiment_label = 'positive')
        as flow_negative_positive_count,
    count(*) filter (where start_sentiment_label = 'negative' and end_sentiment_label is null)
        as flow_negative_none_count,
    count(*) filter (where start_sentiment_label = 'neutral' and end_sentiment_label = 'negative')
        as flow_neutral_negative_count,
    count(*) filter (where start_sentiment_label = 'neutral' and end_sentiment_label = 'neutral')
        as flow_neutral_neutral_count,
    count(*) filter (where start_sentiment_label = 'neutral' and end_sentiment_label = 'positive')
        as flow_neutral_positive_count,
    count(*) filter (where start_sentiment_label = 'neutral' and end_sentiment_label is null)
        as flow_neutral_none_count,
    count(*) filter (where start_sentiment_label = 'positive' and end_sentiment_label = 'negative')
        as flow_positive_negative_count,
    count(*) filter (where start_sentiment_label = 'positive' and end_sentiment_label = 'neutral')
        as flow_positive_neutral_count,
    count(*) filter (where start_sentiment_label = 'positive' and end_sentiment_label = 'positive')
        as flow_positive_positive_count,
    count(*) filter (where start_sentiment_label = 'positive' and end_sentiment_label is null)
        as flow_positive_none_count,
    count(*) filter (where start_sentiment_label is null and end_sentiment_label = 'negative')
        as flow_unscored_negative_count,
    count(*) filter (where start_sentiment_label is null and end_sentiment_label = 'neutral')
        as flow_unscored_neutral_count,
    count(*) filter (where start_sentiment_label is null and end_sentiment_label = 'positive')
        as flow_unscored_positive_count,
    count(*) filter (where start_sentiment_label is null and end_sentiment_label is null)
        as flow_unscored_none_count,
    count(*) filter (where response_bin = -25) as frt_m25,
    count(*) filter (where response_bin = -24) as frt_m24,
    count(*) filter (where response_bin = -23) as frt_m23,
    count(*) filter (where response_bin = -22) as frt_m22,
    count(*) filter (where response_bin = -21) as frt_m21,
    count(*) filter (where response_bin = -20) as frt_m20,
    count(*) filter (where response_bin = -19) as frt_m19,
    count(*) filter (where response_bin = -18) as frt_m18,
    count(*) filter (where response_bin = -17) as frt_m17,
    count(*) filter (where response_bin = -16) as frt_m16,
    count(*) filter (where response_bin = -15) as frt_m15,
    count(*) filter (where response_bin = -14) as frt_m14,
    count(*) filter (where response_bin = -13) as frt_m13,
    count(*) filter (where response_bin = -12) as frt_m12,
    count(*) filter (where response_bin = -11) as frt_m11,
    count(*) filter (where response_bin = -10) as frt_m10,
    count(*) filter (where response_bin = -9) as frt_m09,
    count(*) filter (where response_bin = -8) as frt_m08,
    count(*) filter (where response_bin = -7) as frt_m07,
    count(*) filter (where response_bin = -6) as frt_m06,
    count(*) filter (where response_bin = -5) as frt_m05,
    count(*) filter (where response_bin = -4) as frt_m04,
    count(*) filter (where response_bin = -3) as frt_m03,
    count(*) filter (where response_bin = -2) as frt_m02,
    count(*) filter (where response_bin = -1) as frt_m01,
    count(*) filter (where response_bin = 0) as frt_p00,
    count(*) filter (where response_bin = 1) as frt_p01,
    count(*) filter (where response_bin = 2) as frt_p02,
    count(*) filter (where response_bin = 3) as frt_p03,
    count(*) filter (where response_bin = 4) as frt_p04,
    count(*) filter (where response_bin = 5) as frt_p05,
    count(*) filter (where response_bin = 6) as frt_p06,
    count(*) filter (where response_bin = 7) as frt_p07,
    count(*) filter (where response_bin = 8) as frt_p08,
    count(*) filter (where response_bin = 9) as frt_p09,
    count(*) filter (where response_bin = 10) as frt_p10,
    count(*) filter (where response_bin = 11) as frt_p11,
    count(*) filter (where response_bin = 12) as frt_p12,
    count(*) filter (where response_bin = 13) as frt_p13,
    count(*) filter (where response_bin = 14) as frt_p14,
    count(*) filter (where response_bin = 15) as frt_p15,
    count(*) filter (where response_bin = 16) as frt_p16,
    count(*) filter (where response_bin = 17) as frt_p17,
    count(*) filter (where response_bin = 18) as frt_p18,
    count(*) filter (where response_bin = 19) as frt_p19,
    count(*) filter (where response_bin = 20) as frt_p20
from (
    select
        f.*,
        case when f.first_response_minutes is not null then
            least(greatest(ceil(log10(f.first_response_minutes / 120) * 10), -25), 20)::integer
        end as response_bin,
        -- churn after contact (README): the customer left within 90 days after the conversation started
        coalesce(k.churned_at > f.started_at and k.churned_at <= f.started_at + interval 90 day, false)
            as is_churned_after
    from conversation_facts as f
    left join customers as k
        on f.customer_id = k.customer_id
        and k.churned_at is not null
    where f.started_at >= first_at
        and f.started_at < end_at
)
group by all
