-- Negative-start share per local day in time zone $tz (conversations starting negative / those with a start sentiment).
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: day.
with

daily as (
    select
        date_trunc('day', local_started_at) as day_at,
        count(*) as conversation_count,
        count(*) filter (where is_negative_start) as negative_start_count,
        count(*) filter (where has_start_sentiment) as start_sentiment_count
    from local_conversations($start_at, $end_at, $channels, $accounts, $priorities, $tz)
    group by 1
),

final as (
    select
        day_at,
        conversation_count,
        negative_start_count,
        negative_start_count / nullif(start_sentiment_count, 0) as negative_start_share
    from daily
)

select * from final
order by day_at
