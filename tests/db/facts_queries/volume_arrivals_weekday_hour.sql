-- Average conversations starting per hour for each weekday x hour of day, over the covered hours in range (empty
-- covered hours count; gap and stray days are left out), on the local clock of time zone $tz.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: weekday (1 = Monday) x hour of day.
with

bounds as (
    select
        greatest($start_at::timestamp, min(started_at)) as first_at,
        least($end_at::timestamp - interval 1 second, max(started_at)) as last_at
    from conversations
),

covered as (
    select hour_at
    from covered_hours((select first_at from bounds), (select last_at from bounds))
),

hours as (
    -- Every local clock hour of the range that holds data and was collected in full (covered days only: a gap or
    -- stray day is missing, not a run of empty hours).
    select z.local_hour_at as hour_at
    from bounds as b, tz_offsets($tz, b.first_at, b.last_at) as z
    left join covered as c on date_trunc('hour', z.quarter_at) = c.hour_at
    group by z.local_hour_at
    having bool_and(c.hour_at is not null)
),

slots as (
    select
        isodow(hour_at) as weekday,
        hour(hour_at) as hour_of_day,
        any_value(strftime(hour_at, '%a')) as weekday_name,
        count(*) as hour_count
    from hours
    group by all
),

arrivals as (
    select
        isodow(h.hour_at) as weekday,
        hour(h.hour_at) as hour_of_day,
        sum(a.conversation_count) as conversation_count
    from (
        select date_trunc('hour', local_started_at) as hour_at, count(*) as conversation_count
        from local_conversations($start_at, $end_at, $channels, $accounts, $priorities, $tz)
        group by 1
    ) as a
    inner join hours as h on a.hour_at = h.hour_at
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
