-- Negative-start share per local day in time zone $tz (conversations starting negative / those with a start sentiment).
-- Reads conversation_rollup. Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: day.
with

daily as (
    select
        date_trunc('day', local_quarter_at) as day_at,
        sum(conversation_count)::bigint as conversation_count,
        sum(negative_start_count)::bigint as negative_start_count,
        sum(start_sentiment_count) as start_sentiment_count
    from local_rollup($start_at, $end_at, $channels, $accounts, $priorities, $tz)
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
