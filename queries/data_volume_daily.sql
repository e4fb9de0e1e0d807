-- Conversations and messages per day over the filtered range, every day listed (empty days too), with collection
-- gaps flagged: a day under 10% of the median day's conversations is a gap in the data, not an incident.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: day (local in time zone $tz, by start).
with

daily as (
    select
        local_started_at::date as started_date,
        count(*) as conversation_count,
        sum(message_count) as message_count
    from local_conversations($start_at, $end_at, $channels, $accounts, $priorities, $tz)
    group by started_date
),

days as (
    -- Every day of the filtered range that lies within the data, so a day without conversations shows up as zero.
    select unnest(generate_series(
        greatest(to_local($start_at, $tz)::date, (select to_local(min(started_at), $tz) from conversations)::date),
        least(
            to_local($end_at::timestamp - interval 1 second, $tz)::date,
            (select to_local(max(started_at), $tz) from conversations)::date
        ),
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
