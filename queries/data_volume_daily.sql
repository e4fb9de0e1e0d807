-- Conversations and messages per day over the filtered range, every day listed (empty days too), with collection
-- gaps flagged: a day under 10% of the median day's conversations is a gap in the data, not an incident.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: day (UTC, by started_at).
with

daily as (
    select
        started_at::date as started_date,
        count(*) as conversation_count,
        sum(message_count) as message_count
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
    group by started_date
),

days as (
    -- Every day of the filtered range that lies within the data, so a day without conversations shows up as zero.
    select unnest(generate_series(
        greatest($start_at::date, (select min(started_at) from conversations)::date),
        least($end_at::date - interval 1 day, (select max(started_at) from conversations)::date),
        interval 1 day
    ))::date as started_date
),

filled as (
    select
        d.started_date,
        coalesce(v.conversation_count, 0) as conversation_count,
        coalesce(v.message_count, 0) as message_count
    from days as d
    left join daily as v on d.started_date = v.started_date
),

final as (
    select
        *,
        median(conversation_count) over () as median_day_count,
        conversation_count < 0.1 * median(conversation_count) over () as is_gap
    from filled
)

select * from final
order by started_date
