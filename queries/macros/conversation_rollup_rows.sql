-- The conversation_rollup rows (queries/derived/conversation_rollup.sql): the conversation_facts starting in
-- [first_at, end_at) counted per UTC quarter-hour of the start x channel x account x priority x incident, with the
-- counts and sums the aggregate page queries add up. Quarter-hours map exactly to local hours and days in every time zone (tz_offsets), and a date range
-- picked in any zone starts and ends on a quarter-hour, so summing rows gives exactly what counting conversations gives.
-- flow_<start>_<end>_count cells: start sentiment (or unscored) x end sentiment (or none).
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
        as flow_unscored_none_count
from conversation_facts
where started_at >= first_at
    and started_at < end_at
group by all
