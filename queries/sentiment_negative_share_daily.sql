-- Negative-start share per day (conversations starting negative / all conversations starting that day).
-- Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: day.
with

daily as (
    select
        date_trunc('day', started_at) as day_at,
        count(*) as conversation_count,
        count(*) filter (where is_negative_start) as negative_start_count
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
    group by 1
),

final as (
    select
        day_at,
        conversation_count,
        negative_start_count,
        negative_start_count / conversation_count as negative_start_share
    from daily
)

select * from final
order by day_at
