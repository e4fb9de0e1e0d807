-- Arrivals per hour against the expected volume (PRODUCT.md §3, same definition as the volume_baseline macro, joined
-- on exact lags for speed). Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: hour.
with

bounds as (
    select
        date_trunc('hour', $start_at::timestamp) as first_hour,
        date_trunc('hour', $end_at::timestamp - interval 1 second) as last_hour,
        (select date_trunc('hour', min(started_at)) from conversations) as data_first_hour
),

hours as (
    select unnest(generate_series(
        greatest(b.first_hour - interval 28 day, b.data_first_hour), b.last_hour, interval 1 hour
    )) as hour_at
    from bounds as b
),

arrivals as (
    select
        date_trunc('hour', started_at) as hour_at,
        count(*) as conversation_count
    from scoped_conversations($start_at::timestamp - interval 28 day, $end_at, $channels, $accounts, $priorities)
    group by 1
),

incident_hours as (
    select distinct unnest(generate_series(
        date_trunc('hour', started_at), date_trunc('hour', ended_at), interval 1 hour
    )) as hour_at
    from incidents
),

flagged as (
    select
        h.hour_at,
        coalesce(a.conversation_count, 0) as conversation_count,
        i.hour_at is not null as is_incident_hour
    from hours as h
    left join arrivals as a on h.hour_at = a.hour_at
    left join incident_hours as i on h.hour_at = i.hour_at
),

lagged as (
    select
        h.hour_at,
        p.conversation_count
    from flagged as h
    cross join (values (7), (14), (21), (28)) as l (lag_days)
    inner join flagged as p on p.hour_at = h.hour_at - to_days(l.lag_days)
    where not p.is_incident_hour
),

baseline as (
    select
        hour_at,
        avg(conversation_count) as expected_count,
        coalesce(stddev_samp(conversation_count), 0) as expected_sd,
        count(*) as baseline_weeks
    from lagged
    group by hour_at
),

final as (
    select
        f.hour_at,
        f.conversation_count,
        b.expected_count,
        coalesce(b.expected_sd, 0) as expected_sd,
        coalesce(b.baseline_weeks, 0) as baseline_weeks,
        f.is_incident_hour
    from flagged as f
    left join baseline as b on f.hour_at = b.hour_at
    where f.hour_at >= (select first_hour from bounds)
)

select * from final
order by hour_at
