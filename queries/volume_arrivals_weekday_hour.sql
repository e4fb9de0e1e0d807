-- Average conversations starting per hour for each weekday x hour of day, over the hours in range (empty hours count).
-- Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: weekday (1 = Monday) x hour of day.
with

bounds as (
    select
        greatest(date_trunc('hour', $start_at::timestamp), date_trunc('hour', min(started_at))) as first_hour,
        least(date_trunc('hour', $end_at::timestamp - interval 1 second), date_trunc('hour', max(started_at)))
            as last_hour
    from conversations
),

slots as (
    select
        isodow(hour_at) as weekday,
        hour(hour_at) as hour_of_day,
        any_value(strftime(hour_at, '%a')) as weekday_name,
        count(*) as hour_count
    from (
        select unnest(generate_series(b.first_hour, b.last_hour, interval 1 hour)) as hour_at
        from bounds as b
    )
    group by all
),

arrivals as (
    select
        isodow(started_at) as weekday,
        hour(started_at) as hour_of_day,
        count(*) as conversation_count
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
    group by all
),

final as (
    select
        s.weekday,
        s.weekday_name,
        s.hour_of_day,
        s.hour_count,
        coalesce(a.conversation_count, 0) as conversation_count,
        coalesce(a.conversation_count, 0) / s.hour_count as avg_conversations_per_hour
    from slots as s
    left join arrivals as a
        on s.weekday = a.weekday
        and s.hour_of_day = a.hour_of_day
)

select * from final
order by weekday, hour_of_day
