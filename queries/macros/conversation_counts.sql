-- Every conversation_facts row starting in [first_at, end_at) as one conversation_rollup row: its UTC quarter-hour,
-- channel, account, priority and incident, and each measure as 0 or 1 (or its value), so adding these rows up gives
-- the rollup (conversation_rollup_rows) and a query can add a few of them to rollup rows (range_rollup's edges).
-- flow_<start>_<end>_count: start sentiment (or unscored) x end sentiment (or none). wait_<bucket>_: by first-response
-- bucket (sentiment_recovery_response_bucket). frt_m25 .. frt_p20: answered conversations by first-response bin, 10 per
-- decade with an edge at the default 120-minute target: bin k holds first responses in
-- (120 x 10^((k-1)/10), 120 x 10^(k/10)] minutes, the end bins also every faster (under 0.38 min) or slower (over 8.3
-- days) one (period_response_quantiles reads them).
create or replace macro conversation_counts(first_at, end_at) as table
select
    time_bucket(interval 15 minute, started_at) as quarter_at,
    channel,
    account,
    priority,
    incident_id,
    1 as conversation_count,
    message_count as message_count,
    case when has_start_sentiment then 1 else 0 end as start_sentiment_count,
    case when is_negative_start then 1 else 0 end as negative_start_count,
    case when is_negative_start and has_end_sentiment then 1 else 0 end as recovery_base_count,
    case when is_recovered then 1 else 0 end as recovered_count,
    case when start_sentiment_label = 'neutral' and has_end_sentiment then 1 else 0 end as neutral_base_count,
    case when is_neutral_to_positive then 1 else 0 end as neutral_to_positive_count,
    case when is_answered then 1 else 0 end as answered_count,
    case when is_sla_due then 1 else 0 end as sla_due_count,
    case when is_sla_met then 1 else 0 end as sla_met_count,
    case when sla_status = 'breached_answered' then 1 else 0 end as breached_answered_count,
    case when sla_status = 'breached_unanswered' then 1 else 0 end as breached_unanswered_count,
    case when sla_status = 'pending' then 1 else 0 end as pending_count,
    first_response_target_minutes as min_first_response_target_minutes,
    case when end_sentiment_label = 'negative' or sla_status = 'breached_unanswered'
        then 1 else 0 end as at_risk_count,
    case when is_influencer then 1 else 0 end as influencer_count,
    case when is_influencer and is_negative_start then 1 else 0 end as influencer_negative_count,
    case when follower_count > 0 then 1 else 0 end as followed_count,
    coalesce(follower_count, 0) as follower_sum,
    case when is_negative_start then coalesce(follower_count, 0) else 0 end as negative_follower_sum,
    case when first_response_minutes < 15 then 1 else 0 end as wait_under15_conversation_count,
    case when is_negative_start and first_response_minutes < 15 then 1 else 0 end as wait_under15_negative_start_count,
    case when is_negative_start and has_end_sentiment and first_response_minutes < 15
        then 1 else 0 end as wait_under15_recovery_base_count,
    case when is_recovered and first_response_minutes < 15 then 1 else 0 end as wait_under15_recovered_count,
    case when first_response_minutes >= 15 and first_response_minutes < 60
        then 1 else 0 end as wait_15to60_conversation_count,
    case when is_negative_start and first_response_minutes >= 15 and first_response_minutes < 60
        then 1 else 0 end as wait_15to60_negative_start_count,
    case when is_negative_start and has_end_sentiment and first_response_minutes >= 15 and first_response_minutes < 60
        then 1 else 0 end as wait_15to60_recovery_base_count,
    case when is_recovered and first_response_minutes >= 15 and first_response_minutes < 60
        then 1 else 0 end as wait_15to60_recovered_count,
    case when first_response_minutes >= 60 and first_response_minutes < 120
        then 1 else 0 end as wait_60to120_conversation_count,
    case when is_negative_start and first_response_minutes >= 60 and first_response_minutes < 120
        then 1 else 0 end as wait_60to120_negative_start_count,
    case when is_negative_start and has_end_sentiment and first_response_minutes >= 60 and first_response_minutes < 120
        then 1 else 0 end as wait_60to120_recovery_base_count,
    case when is_recovered and first_response_minutes >= 60 and first_response_minutes < 120
        then 1 else 0 end as wait_60to120_recovered_count,
    case when first_response_minutes >= 120 and first_response_minutes < 480
        then 1 else 0 end as wait_120to480_conversation_count,
    case when is_negative_start and first_response_minutes >= 120 and first_response_minutes < 480
        then 1 else 0 end as wait_120to480_negative_start_count,
    case when is_negative_start and has_end_sentiment and first_response_minutes >= 120 and first_response_minutes < 480
        then 1 else 0 end as wait_120to480_recovery_base_count,
    case when is_recovered and first_response_minutes >= 120 and first_response_minutes < 480
        then 1 else 0 end as wait_120to480_recovered_count,
    case when first_response_minutes >= 480 then 1 else 0 end as wait_over480_conversation_count,
    case when is_negative_start and first_response_minutes >= 480
        then 1 else 0 end as wait_over480_negative_start_count,
    case when is_negative_start and has_end_sentiment and first_response_minutes >= 480
        then 1 else 0 end as wait_over480_recovery_base_count,
    case when is_recovered and first_response_minutes >= 480 then 1 else 0 end as wait_over480_recovered_count,
    case when first_response_minutes is null then 1 else 0 end as wait_never_conversation_count,
    case when is_negative_start and first_response_minutes is null
        then 1 else 0 end as wait_never_negative_start_count,
    case when is_negative_start and has_end_sentiment and first_response_minutes is null
        then 1 else 0 end as wait_never_recovery_base_count,
    case when is_recovered and first_response_minutes is null then 1 else 0 end as wait_never_recovered_count,
    case when start_sentiment_label = 'negative' and end_sentiment_label = 'negative'
        then 1 else 0 end as flow_negative_negative_count,
    case when start_sentiment_label = 'negative' and end_sentiment_label = 'neutral'
        then 1 else 0 end as flow_negative_neutral_count,
    case when start_sentiment_label = 'negative' and end_sentiment_label = 'positive'
        then 1 else 0 end as flow_negative_positive_count,
    case when start_sentiment_label = 'negative' and end_sentiment_label is null
        then 1 else 0 end as flow_negative_none_count,
    case when start_sentiment_label = 'neutral' and end_sentiment_label = 'negative'
        then 1 else 0 end as flow_neutral_negative_count,
    case when start_sentiment_label = 'neutral' and end_sentiment_label = 'neutral'
        then 1 else 0 end as flow_neutral_neutral_count,
    case when start_sentiment_label = 'neutral' and end_sentiment_label = 'positive'
        then 1 else 0 end as flow_neutral_positive_count,
    case when start_sentiment_label = 'neutral' and end_sentiment_label is null
        then 1 else 0 end as flow_neutral_none_count,
    case when start_sentiment_label = 'positive' and end_sentiment_label = 'negative'
        then 1 else 0 end as flow_positive_negative_count,
    case when start_sentiment_label = 'positive' and end_sentiment_label = 'neutral'
        then 1 else 0 end as flow_positive_neutral_count,
    case when start_sentiment_label = 'positive' and end_sentiment_label = 'positive'
        then 1 else 0 end as flow_positive_positive_count,
    case when start_sentiment_label = 'positive' and end_sentiment_label is null
        then 1 else 0 end as flow_positive_none_count,
    case when start_sentiment_label is null and end_sentiment_label = 'negative'
        then 1 else 0 end as flow_unscored_negative_count,
    case when start_sentiment_label is null and end_sentiment_label = 'neutral'
        then 1 else 0 end as flow_unscored_neutral_count,
    case when start_sentiment_label is null and end_sentiment_label = 'positive'
        then 1 else 0 end as flow_unscored_positive_count,
    case when start_sentiment_label is null and end_sentiment_label is null
        then 1 else 0 end as flow_unscored_none_count,
    case when response_bin = -25 then 1 else 0 end as frt_m25,
    case when response_bin = -24 then 1 else 0 end as frt_m24,
    case when response_bin = -23 then 1 else 0 end as frt_m23,
    case when response_bin = -22 then 1 else 0 end as frt_m22,
    case when response_bin = -21 then 1 else 0 end as frt_m21,
    case when response_bin = -20 then 1 else 0 end as frt_m20,
    case when response_bin = -19 then 1 else 0 end as frt_m19,
    case when response_bin = -18 then 1 else 0 end as frt_m18,
    case when response_bin = -17 then 1 else 0 end as frt_m17,
    case when response_bin = -16 then 1 else 0 end as frt_m16,
    case when response_bin = -15 then 1 else 0 end as frt_m15,
    case when response_bin = -14 then 1 else 0 end as frt_m14,
    case when response_bin = -13 then 1 else 0 end as frt_m13,
    case when response_bin = -12 then 1 else 0 end as frt_m12,
    case when response_bin = -11 then 1 else 0 end as frt_m11,
    case when response_bin = -10 then 1 else 0 end as frt_m10,
    case when response_bin = -9 then 1 else 0 end as frt_m09,
    case when response_bin = -8 then 1 else 0 end as frt_m08,
    case when response_bin = -7 then 1 else 0 end as frt_m07,
    case when response_bin = -6 then 1 else 0 end as frt_m06,
    case when response_bin = -5 then 1 else 0 end as frt_m05,
    case when response_bin = -4 then 1 else 0 end as frt_m04,
    case when response_bin = -3 then 1 else 0 end as frt_m03,
    case when response_bin = -2 then 1 else 0 end as frt_m02,
    case when response_bin = -1 then 1 else 0 end as frt_m01,
    case when response_bin = 0 then 1 else 0 end as frt_p00,
    case when response_bin = 1 then 1 else 0 end as frt_p01,
    case when response_bin = 2 then 1 else 0 end as frt_p02,
    case when response_bin = 3 then 1 else 0 end as frt_p03,
    case when response_bin = 4 then 1 else 0 end as frt_p04,
    case when response_bin = 5 then 1 else 0 end as frt_p05,
    case when response_bin = 6 then 1 else 0 end as frt_p06,
    case when response_bin = 7 then 1 else 0 end as frt_p07,
    case when response_bin = 8 then 1 else 0 end as frt_p08,
    case when response_bin = 9 then 1 else 0 end as frt_p09,
    case when response_bin = 10 then 1 else 0 end as frt_p10,
    case when response_bin = 11 then 1 else 0 end as frt_p11,
    case when response_bin = 12 then 1 else 0 end as frt_p12,
    case when response_bin = 13 then 1 else 0 end as frt_p13,
    case when response_bin = 14 then 1 else 0 end as frt_p14,
    case when response_bin = 15 then 1 else 0 end as frt_p15,
    case when response_bin = 16 then 1 else 0 end as frt_p16,
    case when response_bin = 17 then 1 else 0 end as frt_p17,
    case when response_bin = 18 then 1 else 0 end as frt_p18,
    case when response_bin = 19 then 1 else 0 end as frt_p19,
    case when response_bin = 20 then 1 else 0 end as frt_p20
from (
    select
        *,
        case when first_response_minutes is not null then
            least(greatest(ceil(log10(first_response_minutes / 120) * 10), -25), 20)::integer
        end as response_bin
    from conversation_facts
    where started_at >= first_at
        and started_at < end_at
)
